import type { ExecCluster } from './exec-credential.ts';

/**
 * Typed options, produced from flags in one place (cli/) and consumed by the
 * commands and flows.
 */

/** Grant types accepted by `--grant-type`. */
export const GRANT_TYPES = [
  'auto',
  'authcode',
  'authcode-keyboard',
  'password',
  'device-code',
  'client-credentials',
  'token-file',
  'github-actions',
  'token-exchange',
] as const;
/** One of the grant types. */
export type GrantType = (typeof GRANT_TYPES)[number];

/** PKCE methods accepted by `--oidc-pkce-method`. */
export const PKCE_METHODS = ['auto', 'no', 'S256'] as const;
/** One of the PKCE methods. */
export type PkceMethod = (typeof PKCE_METHODS)[number];

/** Signing algorithms of `--oidc-client-assertion-alg`: those of RSA and EC keys that providers accept for private_key_jwt. */
export const CLIENT_ASSERTION_ALGS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
] as const;
/** One of the client assertion algorithms. */
export type ClientAssertionAlg = (typeof CLIENT_ASSERTION_ALGS)[number];

/** Storages accepted by `--token-cache-storage`. */
export const TOKEN_CACHE_STORAGES = ['disk', 'keyring', 'none'] as const;
/** One of the token cache storages. */
export type TokenCacheStorage = (typeof TOKEN_CACHE_STORAGES)[number];

/**
 * A private key the client authenticates with instead of a secret
 * (`private_key_jwt`, RFC 7523): `--oidc-client-assertion-key` and friends.
 */
export interface ClientAssertionKey {
  /** The PEM file (`~` expanded). */
  keyFile: string;
  /** SHA-256 of the file, for the token cache key (never its content). */
  fingerprint: string;
  /** `kid` of the assertion's header; none when not given. */
  kid: string | undefined;
  /** The signing algorithm; undefined: chosen from the key (RS256, or ES256/384/512 by curve). */
  alg: ClientAssertionAlg | undefined;
  /** `aud` of the assertion; empty: the issuer (RFC 7523 section 3), never an endpoint a discovery document names. */
  audiences: string[];
}

/** Where the token-exchange grant takes its subject token: `--subject-token-source`. */
export type SubjectTokenSource = { kind: 'github-actions' } | { kind: 'file'; path: string };

/** The subject token of `--grant-type=token-exchange`. */
export interface SubjectToken {
  source: SubjectTokenSource;
  /** `--subject-token-type`, sent as `subject_token_type`. */
  type: string;
}

/** How to reach and identify to the provider. */
export interface ProviderOptions {
  /**
   * The issuer. Empty only for `--grant-type=token-file` without
   * `--oidc-issuer-url`: the token is then handed over unverified.
   */
  issuerUrl: string;
  /** The client ID; for the CI grants, the audience the token must have. Empty only where issuerUrl is. */
  clientId: string;
  clientSecret: string | undefined;
  /** Set when the client authenticates with a private key rather than a secret. */
  clientAssertionKey?: ClientAssertionKey | undefined;
  /** Scopes besides `openid`, in the order given. */
  extraScopes: string[];
  pkceMethod: PkceMethod;
  authRequestExtraParams: Record<string, string>;
  /** `--login-hint`: the account the person logs in as (`login_hint`); undefined without it. */
  loginHint?: string | undefined;
  requestHeaders: Record<string, string>;
  /** `--oidc-device-authorization-endpoint`: used instead of discovery's (or where it names none). */
  deviceAuthorizationEndpoint?: string | undefined;
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
  /** False with `--no-qr`: no QR code of a login URL on a terminal. */
  showQrCode: boolean;
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

/**
 * What the grants that log a person or client in at the provider share:
 * `--exchange-audience`, after the (shared, cached) login, exchanges the
 * user's token (RFC 8693) for one with this audience, cached on its own.
 */
interface ProviderLogin {
  exchangeAudience: string | undefined;
}

/** The password grant's settings: a missing one is asked for on a terminal. */
interface PasswordSettings {
  username: string | undefined;
  password: string | undefined;
}

/**
 * The grant of `--grant-type` with exactly the settings it takes. A new grant
 * is a new variant: the compiler then names every switch that must handle it.
 */
export type Grant =
  /** The password grant when `--username` is given, else the browser, else the device code flow. */
  | ({ type: 'auto' } & PasswordSettings & ProviderLogin)
  | ({ type: 'authcode' } & ProviderLogin)
  | ({ type: 'authcode-keyboard' } & ProviderLogin)
  | ({ type: 'password' } & PasswordSettings & ProviderLogin)
  | ({ type: 'device-code' } & ProviderLogin)
  | ({ type: 'client-credentials' } & ProviderLogin)
  /** `--token-file` (`~` expanded): the file is the cache, read on every run. */
  | { type: 'token-file'; tokenFile: string }
  | { type: 'github-actions' }
  | { type: 'token-exchange'; subjectToken: SubjectToken };

/** `--exchange-audience` of a grant; always undefined for the grants that hand over a CI token. */
export function exchangeAudienceOf(grant: Grant): string | undefined {
  return 'exchangeAudience' in grant ? grant.exchangeAudience : undefined;
}

/** Everything a login needs: the provider, the browser and the grant with its settings. */
export interface LoginOptions {
  provider: ProviderOptions;
  browser: BrowserLoginOptions;
  grant: Grant;
}

/**
 * Where get-token keeps tokens: `--token-cache-storage` and, unless it is
 * `none` (which reads, writes and locks nothing), the directory of the cache
 * files or, for the keyring, of the locks.
 */
export type TokenCache = { storage: 'none' } | { storage: Exclude<TokenCacheStorage, 'none'>; dir: string };

/** Options of `get-token`. */
export interface GetTokenOptions extends LoginOptions {
  cache: TokenCache;
  forceRefresh: boolean;
}

/** Options of `setup`. */
export interface SetupOptions extends LoginOptions {
  usernameClaim: string;
  groupsClaim: string;
  /** `--required-claim key=value`: claims the API server must find with these values. */
  requiredClaims: Record<string, string>;
  /** `--username-prefix` (github-actions: the CI prefix); undefined: none for email, `<issuer>#` for other claims, as the API server's default. */
  usernamePrefix: string | undefined;
  /** `get-token` and the login flags as given, for the exec block. */
  execArgs: string[];
  /**
   * `--provide-cluster-info`: the cluster whose exec extension holds the
   * settings that are not in `execArgs` (by flag name, as kubectl hands them
   * to get-token); undefined without it.
   */
  clusterSettings: { cluster: string; settings: Record<string, unknown> } | undefined;
  /** Where the kubeconfig is written, when --write-kubeconfig is given. */
  write:
    | { kubeconfig: string | undefined; user: string; context: string | undefined; cluster: string | undefined }
    | undefined;
  /** The kubeconfig user's name in what is printed. */
  userName: string;
}

/** What get-token runs with for a user of the removed `auth-provider: oidc`. */
export interface ConvertedUser {
  options: GetTokenOptions;
  /** `get-token` and its flags, for the exec block. */
  execArgs: string[];
}

/** Options of `convert-kubeconfig`. */
export interface ConvertOptions {
  kubeconfig: string | undefined;
  /** Only the user of this context. */
  context: string | undefined;
  /** Only this user. */
  user: string | undefined;
  /**
   * The get-token run equivalent to an `auth-provider: oidc` config, given
   * by the flag model; `tokenCacheDir` overrides the default cache directory.
   * Throws a ConfigError naming the user when the config cannot be used.
   */
  convertUser(
    userName: string,
    authProviderConfig: Readonly<Record<string, unknown>>,
    tokenCacheDir?: string,
  ): ConvertedUser;
}

/**
 * How `logout --all` reaches each entry's provider: the CA flags given, for
 * every entry; and the client's credentials (secret or key, request headers)
 * only for the entries of the issuer and client they were given with.
 */
export type LogoutTransport = Pick<
  ProviderOptions,
  'certificateAuthorities' | 'certificateAuthorityData' | 'insecureSkipTLSVerify'
> & {
  /** `--oidc-issuer-url` and `--oidc-client-id` with their credentials: the provider of the entries with that `iss` and client. */
  credentialsFor: ProviderOptions | undefined;
};

/** Options of `logout`. */
export interface LogoutOptions {
  /** The get-token run whose entry goes; undefined with `--all`. */
  target: GetTokenOptions | undefined;
  /** The token cache, with `--all` or without. */
  cache: TokenCache;
  /** With `--all`: how to reach each entry's provider. */
  transport: LogoutTransport;
  /** `--end-session`: also open the provider's end_session_endpoint. */
  endSession: boolean;
  browser: Pick<BrowserLoginOptions, 'skipOpenBrowser' | 'browserCommand'>;
}

/** Output formats of `whoami -o`. */
export const WHOAMI_OUTPUTS = ['text', 'json'] as const;
/** One of whoami's output formats. */
export type WhoamiOutput = (typeof WHOAMI_OUTPUTS)[number];

/** Options of `whoami`. */
export interface WhoamiOptions {
  /** `--kubeconfig`, else KUBECONFIG, else ~/.kube/config. */
  kubeconfig: string | undefined;
  /** `--context`, else the current context. */
  context: string | undefined;
  output: WhoamiOutput;
  /** `--login`: a browser login may be needed; without it whoami never opens a browser. */
  login: boolean;
  /**
   * The get-token run of an exec user's arguments (after `get-token`) in the
   * environment it would run with, by the flag model, with the cluster's
   * settings filled in as kubectl would hand them (`provideClusterInfo: true`);
   * undefined when the arguments are not get-token's flags. Throws a
   * UsageError or ConfigError for a value get-token would refuse.
   */
  getTokenOptionsOf(
    args: readonly string[],
    cluster: ExecCluster | undefined,
    env: NodeJS.ProcessEnv,
  ): GetTokenOptions | undefined;
}
