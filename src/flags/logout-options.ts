/**
 * Conversion of logout's flags into LogoutOptions: get-token's flags select
 * one entry (the same cache key), or `--all` takes every entry; with `--all`,
 * `--oidc-issuer-url` and `--oidc-client-id` say whose entries the client's
 * credentials given are for.
 */
import { UsageError } from '../core/errors.ts';
import type { LogoutOptions } from '../core/options.ts';
import { expandHome, type PathEnvironment } from '../core/paths.ts';
import type { LOGOUT_FLAGS } from './command-flags.ts';
import type { RawFlags } from './flag-specs.ts';
import { toGetTokenOptions, tokenCache } from './login-options.ts';

/** Parsed values of logout's flags. */
export type RawLogoutFlags = RawFlags<typeof LOGOUT_FLAGS>;

/** The flags that carry a client's credentials, which go only to the provider they are for. */
const CREDENTIAL_FLAGS = [
  ['oidcClientSecret', 'oidc-client-secret'],
  ['oidcClientAssertionKey', 'oidc-client-assertion-key'],
  ['oidcRequestHeader', 'oidc-request-header'],
] as const;

/** Converts and validates logout's flags. */
export function toLogoutOptions(
  raw: RawLogoutFlags,
  world: PathEnvironment,
  warn: (message: string) => void,
): LogoutOptions {
  const all = raw.all ?? false;
  if (raw.oidcIssuerUrl === undefined) {
    if (!all) {
      throw new UsageError('--oidc-issuer-url is required', {
        hint: 'give the flags of get-token (as in the kubeconfig) to log out of that entry, or --all',
      });
    }
    const credential = CREDENTIAL_FLAGS.find(([attribute]) => raw[attribute] !== undefined);
    if (credential !== undefined) {
      throw new UsageError(
        `--${credential[1]} with --all goes only to the provider it is for: give its --oidc-issuer-url and --oidc-client-id too`,
      );
    }
  }
  const login = raw.oidcIssuerUrl === undefined ? undefined : toGetTokenOptions(raw, world, warn);
  return {
    target: all ? undefined : login,
    cache: login?.cache ?? tokenCache(raw, world),
    transport: {
      certificateAuthorities: (raw.certificateAuthority ?? []).map((path) => expandHome(path, world)),
      certificateAuthorityData: raw.certificateAuthorityData ?? [],
      insecureSkipTLSVerify: raw.insecureSkipTlsVerify ?? false,
      credentialsFor: all ? login?.provider : undefined,
    },
    endSession: raw.endSession ?? false,
    browser: { skipOpenBrowser: raw.skipOpenBrowser ?? false, browserCommand: raw.browserCommand || undefined },
  };
}
