/**
 * Conversion of convert-kubeconfig's flags into ConvertOptions, and of a
 * removed `auth-provider: oidc` config into the get-token run that replaces it.
 */
import { ConfigError } from '../core/errors.ts';
import type { ConvertedUser, ConvertOptions } from '../core/options.ts';
import { expandHome, type PathEnvironment } from '../core/paths.ts';
import type { CONVERT_FLAGS } from './command-flags.ts';
import { toExecArgs } from './exec-args.ts';
import { GET_TOKEN_FLAGS, type RawFlags } from './flag-specs.ts';
import { type RawGetTokenFlags, toGetTokenOptions } from './login-options.ts';

/** Parsed values of convert-kubeconfig's flags. */
export type RawConvertFlags = RawFlags<typeof CONVERT_FLAGS>;

/** The get-token flags equivalent to an auth-provider config. */
function flagsOf(config: Readonly<Record<string, unknown>>, tokenCacheDir: string | undefined): RawGetTokenFlags {
  const text = (key: string) =>
    typeof config[key] === 'string' && config[key] !== '' ? (config[key] as string) : undefined;
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

/** Converts convert-kubeconfig's flags; `warn` receives the notices of the get-token flags of each user. */
export function toConvertOptions(
  raw: RawConvertFlags,
  world: PathEnvironment,
  warn: (message: string) => void,
): ConvertOptions {
  const tokenCacheDir = raw.tokenCacheDir ? expandHome(raw.tokenCacheDir, world) : undefined;
  return {
    kubeconfig: raw.kubeconfig ? expandHome(raw.kubeconfig, world) : undefined,
    context: raw.context,
    user: raw.user,
    convertUser(userName, config, cacheDir = tokenCacheDir): ConvertedUser {
      const flags = flagsOf(config, cacheDir);
      try {
        return {
          options: toGetTokenOptions(flags, world, warn),
          execArgs: ['get-token', ...toExecArgs(flags, GET_TOKEN_FLAGS)],
        };
      } catch (cause) {
        // The flags were made up from the config: name the config's keys, not the flags.
        const message = (cause as Error).message
          .replace(/--oidc-issuer-url/, 'idp-issuer-url')
          .replace(/--oidc-client-id/, 'client-id');
        throw new ConfigError(`the user ${userName} cannot be converted: ${message}`, { cause });
      }
    },
  };
}
