/**
 * Kubeconfigs with users of the removed `auth-provider: oidc`, whose tokens come from a real login
 * at the test provider, for convert-kubeconfig.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HTTP_LOGIN_COMMAND } from '../browser/drivers.ts';
import { readOnlyEntry } from '../cache-entries.ts';
import { getTokenArgs } from '../get-token-args.ts';
import type { World } from '../world.ts';

/** The tokens a legacy user keeps in its auth-provider config. */
export interface LegacyTokens {
  idToken: string;
  refreshToken: string;
}

/** The scopes of a legacy user's login: an email to be known by, and a refresh token to keep. */
const LEGACY_SCOPES = ['email', 'offline_access'];

/**
 * Logs `user` in at the world's provider with the CLI (native client, scopes email and
 * offline_access) into a throwaway cache directory, and returns the tokens it cached. The login is
 * not in the world's login log.
 */
export async function loginForTokens(world: Pick<World, 'provider' | 'run'>, user: string): Promise<LegacyTokens> {
  const cacheDir = await mkdtemp(join(tmpdir(), 'kubelogin-legacy-tokens-'));
  try {
    const result = await world.run(
      getTokenArgs({
        issuer: world.provider.issuer,
        extraScopes: LEGACY_SCOPES,
        browserCommand: HTTP_LOGIN_COMMAND,
        tokenCacheDir: cacheDir,
      }),
      { env: { LOGIN_USER: user, LOGIN_LOG: '' } },
    );
    if (result.code !== 0) throw new Error(`the login of ${user} failed:\n${result.stderr}`);
    const entry = await readOnlyEntry(cacheDir);
    if (!entry.id_token || !entry.refresh_token)
      throw new Error(`the login of ${user} cached ${Object.keys(entry).join(', ')}`);
    return { idToken: entry.id_token, refreshToken: entry.refresh_token };
  } finally {
    await rm(cacheDir, { recursive: true, force: true });
  }
}

/** The `auth-provider: oidc` config keys kubectl used to read, by their kubeconfig names. */
export type LegacyConfig = Partial<
  Record<
    | 'idp-issuer-url'
    | 'client-id'
    | 'client-secret'
    | 'extra-scopes'
    | 'id-token'
    | 'refresh-token'
    | 'idp-certificate-authority'
    | 'idp-certificate-authority-data',
    string
  >
>;

/** A `users:` entry (kubectl layout, two-space indent) with `auth-provider: oidc` and `config`. */
export function legacyUserYaml(name: string, config: LegacyConfig): string {
  const lines = Object.entries(config).map(([key, value]) => `        ${key}: ${JSON.stringify(value)}`);
  return (
    [`- name: ${name}`, '  user:', '    auth-provider:', '      config:', ...lines, '      name: oidc'].join('\n') +
    '\n'
  );
}
