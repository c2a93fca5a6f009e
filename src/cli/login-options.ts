/**
 * Conversion of parsed flag values into typed options: validation, defaults
 * and `~` expansion, shared by every command and both parsers.
 */
import { UsageError } from '../core/errors.ts';
import type { GetTokenOptions, GrantType, LoginOptions, PkceMethod, TokenCacheStorage } from '../core/options.ts';
import { defaultTokenCacheDir, expandHome } from './paths.ts';

/** Where the loopback server listens unless told otherwise, as in the Go kubelogin. */
export const DEFAULT_LISTEN_ADDRESSES = ['127.0.0.1:8000', '127.0.0.1:18000'];
/** How long a person has to finish the browser login, as in the Go kubelogin. */
const DEFAULT_AUTHENTICATION_TIMEOUT_SECONDS = 180;
/** Host name of the default redirect URL; providers' guides register `http://localhost:8000`. */
const DEFAULT_REDIRECT_HOSTNAME = 'localhost';

/** Parsed values of the login flags, by attribute name. */
export interface RawLoginFlags {
  oidcIssuerUrl?: string;
  oidcClientId?: string;
  oidcClientSecret?: string;
  oidcExtraScope?: string[];
  oidcRedirectUrl?: string;
  oidcPkceMethod?: PkceMethod;
  oidcUsePkce?: boolean;
  oidcAuthRequestExtraParams?: Record<string, string>;
  oidcRequestHeader?: Record<string, string>;
  oidcUseAccessToken?: boolean;
  grantType?: GrantType;
  listenAddress?: string[];
  listenPort?: number[];
  oidcRedirectUrlHostname?: string;
  oidcRedirectUrlAuthcodeKeyboard?: string;
  skipOpenBrowser?: boolean;
  browserCommand?: string;
  authenticationTimeoutSec?: number;
  openUrlAfterAuthentication?: string;
  username?: string;
  password?: string;
  certificateAuthority?: string[];
  certificateAuthorityData?: string[];
  insecureSkipTlsVerify?: boolean;
}

/** Parsed values of the get-token flags. */
export interface RawGetTokenFlags extends RawLoginFlags {
  tokenCacheDir?: string;
  tokenCacheStorage?: TokenCacheStorage;
  forceRefresh?: boolean;
}

/** Deprecated flags still accepted from old kubeconfigs, and what replaces each. */
const DEPRECATED_FLAGS: Record<string, string> = {
  listenPort: '--listen-port is deprecated; use --listen-address=127.0.0.1:PORT',
  oidcRedirectUrlHostname: '--oidc-redirect-url-hostname is deprecated; use --oidc-redirect-url',
  oidcRedirectUrlAuthcodeKeyboard: '--oidc-redirect-url-authcode-keyboard is deprecated; use --oidc-redirect-url',
};

/** Checks that a flag holds an absolute http(s) URL and returns it. */
export function requireHttpUrl(flag: string, value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--${flag} must be an absolute http or https URL, got ${JSON.stringify(value)}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new UsageError(`--${flag} must be an http or https URL, got ${JSON.stringify(value)}`);
  }
  return url;
}

/** Checks a `host:port` listen address. */
function checkListenAddress(address: string): string {
  const match = /^(.*):(\d{1,5})$/.exec(address);
  if (!match || match[1] === '' || Number(match[2]) > 65535) {
    throw new UsageError(`--listen-address takes host:port, got ${JSON.stringify(address)}`);
  }
  return address;
}

/** Converts and validates the login flags; `warn` receives deprecation notices. */
export function toLoginOptions(
  raw: RawLoginFlags,
  logLevel: number,
  warn: (message: string) => void,
  env: NodeJS.ProcessEnv = process.env,
): LoginOptions {
  for (const [name, notice] of Object.entries(DEPRECATED_FLAGS)) {
    if (raw[name as keyof RawLoginFlags] !== undefined) warn(notice);
  }
  if (!raw.oidcIssuerUrl) throw new UsageError('--oidc-issuer-url is required');
  requireHttpUrl('oidc-issuer-url', raw.oidcIssuerUrl);
  if (!raw.oidcClientId) throw new UsageError('--oidc-client-id is required');

  const redirectUrl = raw.oidcRedirectUrl ?? raw.oidcRedirectUrlAuthcodeKeyboard;
  if (redirectUrl !== undefined) requireHttpUrl(raw.oidcRedirectUrl ? 'oidc-redirect-url' : 'oidc-redirect-url-authcode-keyboard', redirectUrl);
  if (raw.openUrlAfterAuthentication !== undefined) requireHttpUrl('open-url-after-authentication', raw.openUrlAfterAuthentication);
  const timeoutSeconds = raw.authenticationTimeoutSec ?? DEFAULT_AUTHENTICATION_TIMEOUT_SECONDS;
  if (timeoutSeconds <= 0) throw new UsageError('--authentication-timeout-sec must be greater than 0');

  const listenAddresses = raw.listenAddress?.length
    ? raw.listenAddress.map(checkListenAddress)
    : raw.listenPort?.length
      ? raw.listenPort.map((port) => `127.0.0.1:${port}`)
      : DEFAULT_LISTEN_ADDRESSES;

  return {
    provider: {
      issuerUrl: raw.oidcIssuerUrl,
      clientId: raw.oidcClientId,
      clientSecret: raw.oidcClientSecret || undefined,
      extraScopes: raw.oidcExtraScope ?? [],
      pkceMethod: raw.oidcUsePkce ? 'S256' : (raw.oidcPkceMethod ?? 'auto'),
      authRequestExtraParams: raw.oidcAuthRequestExtraParams ?? {},
      requestHeaders: raw.oidcRequestHeader ?? {},
      useAccessToken: raw.oidcUseAccessToken ?? false,
      certificateAuthorities: (raw.certificateAuthority ?? []).map((path) => expandHome(path, env)),
      certificateAuthorityData: raw.certificateAuthorityData ?? [],
      insecureSkipTLSVerify: raw.insecureSkipTlsVerify ?? false,
    },
    grantType: raw.grantType ?? 'auto',
    browser: {
      listenAddresses,
      redirectUrl,
      redirectUrlHostname: raw.oidcRedirectUrlHostname ?? DEFAULT_REDIRECT_HOSTNAME,
      skipOpenBrowser: raw.skipOpenBrowser ?? false,
      browserCommand: raw.browserCommand || undefined,
      authenticationTimeoutMs: timeoutSeconds * 1000,
      openUrlAfterAuthentication: raw.openUrlAfterAuthentication,
    },
    username: raw.username || undefined,
    password: raw.password || undefined,
    logLevel,
  };
}

/** Converts and validates the get-token flags. */
export function toGetTokenOptions(
  raw: RawGetTokenFlags,
  logLevel: number,
  env: NodeJS.ProcessEnv,
  warn: (message: string) => void,
): GetTokenOptions {
  return {
    ...toLoginOptions(raw, logLevel, warn, env),
    tokenCacheDir: raw.tokenCacheDir ? expandHome(raw.tokenCacheDir, env) : defaultTokenCacheDir(env),
    tokenCacheStorage: raw.tokenCacheStorage ?? 'disk',
    forceRefresh: raw.forceRefresh ?? false,
  };
}
