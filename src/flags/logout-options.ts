/**
 * Conversion of logout's flags into LogoutOptions: get-token's flags select
 * one entry (the same cache key), or `--all` takes every entry.
 */
import { UsageError } from '../core/errors.ts';
import type { LogoutOptions } from '../core/options.ts';
import { expandHome, type PathEnvironment } from '../core/paths.ts';
import type { LOGOUT_FLAGS } from './command-flags.ts';
import type { RawFlags } from './flag-specs.ts';
import { toGetTokenOptions, tokenCache } from './login-options.ts';

/** Parsed values of logout's flags. */
export type RawLogoutFlags = RawFlags<typeof LOGOUT_FLAGS>;

/** Converts and validates logout's flags. */
export function toLogoutOptions(
  raw: RawLogoutFlags,
  world: PathEnvironment,
  warn: (message: string) => void,
): LogoutOptions {
  const all = raw.all ?? false;
  if (all && raw.oidcIssuerUrl !== undefined) {
    throw new UsageError(
      '--all logs out of every cache entry, whatever its issuer; give --all or --oidc-issuer-url, not both',
    );
  }
  if (!all && raw.oidcIssuerUrl === undefined) {
    throw new UsageError('--oidc-issuer-url is required', {
      hint: 'give the flags of get-token (as in the kubeconfig) to log out of that entry, or --all',
    });
  }
  const target = all ? undefined : toGetTokenOptions(raw, world, warn);
  return {
    target,
    cache: target?.cache ?? tokenCache(raw, world),
    transport: {
      certificateAuthorities: (raw.certificateAuthority ?? []).map((path) => expandHome(path, world)),
      certificateAuthorityData: raw.certificateAuthorityData ?? [],
      insecureSkipTLSVerify: raw.insecureSkipTlsVerify ?? false,
      requestHeaders: raw.oidcRequestHeader ?? {},
      clientId: raw.oidcClientId || undefined,
      clientSecret: raw.oidcClientSecret || undefined,
    },
    endSession: raw.endSession ?? false,
    browser: { skipOpenBrowser: raw.skipOpenBrowser ?? false, browserCommand: raw.browserCommand || undefined },
  };
}
