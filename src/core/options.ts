/**
 * Typed options, produced from flags in one place (cli/) and consumed by the
 * commands and flows.
 */

/** Grant types accepted by `--grant-type`. */
export const GRANT_TYPES = ['auto', 'authcode', 'authcode-keyboard', 'password', 'device-code', 'client-credentials'] as const;
/** One of the grant types. */
export type GrantType = (typeof GRANT_TYPES)[number];

/** PKCE methods accepted by `--oidc-pkce-method`. */
export const PKCE_METHODS = ['auto', 'no', 'S256'] as const;
/** One of the PKCE methods. */
export type PkceMethod = (typeof PKCE_METHODS)[number];

/** Storages accepted by `--token-cache-storage`. */
export const TOKEN_CACHE_STORAGES = ['disk', 'keyring', 'none'] as const;
/** One of the token cache storages. */
export type TokenCacheStorage = (typeof TOKEN_CACHE_STORAGES)[number];

/** How to reach and identify to the provider. */
export interface ProviderOptions {
  issuerUrl: string;
  clientId: string;
  clientSecret: string | undefined;
  /** Scopes besides `openid`, in the order given. */
  extraScopes: string[];
  pkceMethod: PkceMethod;
  authRequestExtraParams: Record<string, string>;
  requestHeaders: Record<string, string>;
  useAccessToken: boolean;
  certificateAuthorities: string[];
  certificateAuthorityData: string[];
  insecureSkipTLSVerify: boolean;
}

/** The loopback server and browser of the authorization code flow. */
export interface BrowserLoginOptions {
  /** `host:port` addresses tried in order. */
  listenAddresses: string[];
  /** Overrides `redirect_uri`; its path becomes the callback path. */
  redirectUrl: string | undefined;
  /** Host name in the default redirect URL (`localhost`). */
  redirectUrlHostname: string;
  skipOpenBrowser: boolean;
  browserCommand: string | undefined;
  authenticationTimeoutMs: number;
  openUrlAfterAuthentication: string | undefined;
  /** `--local-server-cert` and `--local-server-key`: the loopback server speaks HTTPS and the redirect URI says `https`. */
  localServerTls?: LocalServerTlsFiles;
}

/** PEM files of the loopback server's certificate and private key (`~` expanded). */
export interface LocalServerTlsFiles {
  certFile: string;
  keyFile: string;
}

/** Everything a login needs: the provider, the grant and its settings. */
export interface LoginOptions {
  provider: ProviderOptions;
  grantType: GrantType;
  browser: BrowserLoginOptions;
  username: string | undefined;
  password: string | undefined;
  logLevel: number;
}

/** True when the login uses the password grant: asked for, or chosen by `auto` because --username was given. */
export function usesPasswordGrant(options: Pick<LoginOptions, 'grantType' | 'username'>): boolean {
  return options.grantType === 'password' || (options.grantType === 'auto' && options.username !== undefined);
}

/** Options of `get-token`. */
export interface GetTokenOptions extends LoginOptions {
  tokenCacheDir: string;
  tokenCacheStorage: TokenCacheStorage;
  forceRefresh: boolean;
}
