/**
 * `convert-kubeconfig`: rewrites users of the removed `auth-provider: oidc`
 * into exec users running `kubelogin get-token`, and seeds the token cache
 * with their tokens so nobody has to log in again.
 */
import { join } from 'node:path';
import type { Document, YAMLMap } from 'yaml';
import { isMap } from 'yaml';
import { DiskTokenStore } from '../cache/token-store.ts';
import { toExecArgs } from '../flags/exec-args.ts';
import { GET_TOKEN_FLAGS } from '../flags/flag-specs.ts';
import { type RawGetTokenFlags, toGetTokenOptions } from '../flags/login-options.ts';
import { computeCacheKey } from '../core/cache-key.ts';
import { ConfigError } from '../core/errors.ts';
import type { GetTokenOptions } from '../core/options.ts';
import type { Deps } from '../deps.ts';
import type { Logger } from '../io/logger.ts';
import { entryNames, findEntry, KUBELOGIN_COMMAND, putExecUser, userOfContext } from '../kubeconfig/kubeconfig-edit.ts';
import { assertWritable, kubeconfigPath, readKubeconfig, writeKubeconfig } from '../kubeconfig/kubeconfig-file.ts';
import { cacheKeyInput } from './get-token.ts';

/** Options of convert-kubeconfig. */
export interface ConvertOptions {
  kubeconfig: string | undefined;
  /** Only the user of this context. */
  context: string | undefined;
  /** Only this user. */
  user: string | undefined;
  /** Given as --token-cache-dir: seeded, and passed on to get-token. */
  tokenCacheDir: string | undefined;
  logLevel: number;
}

/** The `auth-provider` config of a user, when it is `oidc`. */
function oidcAuthProvider(entry: YAMLMap): Record<string, unknown> | undefined {
  const provider = (entry.toJSON() as { user?: { 'auth-provider'?: { name?: unknown; config?: Record<string, unknown> } } }).user?.['auth-provider'];
  return provider?.name === 'oidc' ? (provider.config ?? {}) : undefined;
}

/** The get-token flags equivalent to an auth-provider config. */
function flagsOf(config: Record<string, unknown>, tokenCacheDir: string | undefined): RawGetTokenFlags {
  const text = (key: string) => (typeof config[key] === 'string' && config[key] !== '' ? (config[key] as string) : undefined);
  const scopes = text('extra-scopes');
  const caFile = text('idp-certificate-authority');
  const caData = text('idp-certificate-authority-data');
  return {
    oidcIssuerUrl: text('idp-issuer-url'),
    oidcClientId: text('client-id'),
    oidcClientSecret: text('client-secret'),
    oidcExtraScope: scopes?.split(',').filter((scope) => scope !== ''),
    certificateAuthority: caFile ? [caFile] : undefined,
    certificateAuthorityData: caData ? [caData] : undefined,
    tokenCacheDir,
  };
}

/** get-token's options for a converted user; an unusable auth-provider config is an error naming the user. */
function toGetTokenOptionsOf(name: string, flags: RawGetTokenFlags, options: ConvertOptions, deps: Deps, logger: Logger): GetTokenOptions {
  try {
    return toGetTokenOptions(flags, options.logLevel, deps.env, (message) => logger.warn(message));
  } catch (cause) {
    const message = (cause as Error).message.replace(/--oidc-issuer-url/, 'idp-issuer-url').replace(/--oidc-client-id/, 'client-id');
    throw new ConfigError(`the user ${name} cannot be converted: ${message}`, { cause });
  }
}

/** The users to convert: the one asked for, or every auth-provider oidc user. */
function targets(document: Document, options: ConvertOptions): string[] {
  const named = options.user ?? (options.context !== undefined ? userOfContext(document, options.context) : undefined);
  if (named === undefined) return entryNames(document, 'users');
  if (findEntry(document, 'users', named) === undefined) {
    throw new ConfigError(`the kubeconfig has no user named ${named}`, { hint: `users: ${entryNames(document, 'users').join(', ') || 'none'}` });
  }
  return [named];
}

/** Converts the kubeconfig; reports each user changed on stderr. */
export async function runConvertKubeconfig(options: ConvertOptions, deps: Deps, logger: Logger): Promise<void> {
  const file = readKubeconfig(kubeconfigPath(options.kubeconfig, deps.env), { mustExist: true });
  assertWritable(file);
  const explicit = options.user !== undefined || options.context !== undefined;
  const converted: string[] = [];
  /** Cache keys of the users converted so far, and whose they are. */
  const keysTaken = new Map<string, string>();
  for (const name of targets(file.document, options)) {
    const entry = findEntry(file.document, 'users', name);
    const config = entry && isMap(entry) ? oidcAuthProvider(entry) : undefined;
    if (config === undefined) {
      if (explicit) throw new ConfigError(`the user ${name} does not use auth-provider oidc, so there is nothing to convert`);
      continue;
    }
    const flags = flagsOf(config, options.tokenCacheDir);
    let getToken = toGetTokenOptionsOf(name, flags, options, deps, logger);
    const key = computeCacheKey(cacheKeyInput(getToken));
    const sharer = keysTaken.get(key);
    if (sharer === undefined) {
      keysTaken.set(key, name);
    } else {
      // Same issuer, client and scopes as a user converted before, so the same cache key: a
      // cache directory of its own keeps the two people's tokens apart.
      flags.tokenCacheDir = join(getToken.tokenCacheDir, name.replace(/[^\w.-]+/g, '_'));
      getToken = toGetTokenOptionsOf(name, flags, options, deps, logger);
      logger.warn(`the user ${name} has the same provider settings as ${sharer}; it gets its own token cache directory ${flags.tokenCacheDir}`);
    }
    const tokens = { id_token: config['id-token'] as string | undefined, refresh_token: config['refresh-token'] as string | undefined };
    logger.redactor.add(tokens.id_token, tokens.refresh_token, getToken.provider.clientSecret);
    if (tokens.id_token || tokens.refresh_token) {
      await new DiskTokenStore(getToken.tokenCacheDir).save(key, tokens);
    }
    putExecUser(file.document, name, { command: KUBELOGIN_COMMAND, args: ['get-token', ...toExecArgs(flags as Record<string, unknown>, GET_TOKEN_FLAGS)], interactiveMode: 'Never' });
    converted.push(`${name}${tokens.id_token || tokens.refresh_token ? ' (its tokens are in the cache: no new login needed)' : ''}`);
  }
  if (converted.length === 0) {
    logger.info(`No user of ${file.path} uses auth-provider oidc; nothing changed.`);
    return;
  }
  const backup = writeKubeconfig(file);
  for (const line of converted) logger.info(`Converted the user ${line} to kubelogin get-token.`);
  logger.info(`Wrote ${file.path}${backup ? ` (the previous file is kept as ${backup})` : ''}`);
}
