/**
 * A real OpenID Connect provider (oidc-provider v9) on 127.0.0.1 for integration and e2e tests.
 */
import { generateKeyPair, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { promisify } from 'node:util';
import type { ClientMetadata, Configuration, KoaContextWithOIDC, Middleware, OIDCError } from 'oidc-provider';
import { clientCredentialsRecorder } from './client-credentials-recorder.ts';
import { type DeviceFlowOptions, deviceFlowMiddleware } from './device-flow-knobs.ts';
import { revokeGrant } from './grant-revocation.ts';
import { defaultResourceFor, jwtAccessTokenClaims, resourceIndicatorsFeature } from './jwt-access-tokens.ts';
import { closeServer, listenOnLoopback } from './loopback-server.ts';
import { registerPasswordGrant } from './password-grant.ts';
import { withoutProviderNotices } from './provider-notices.ts';
import { deviceFlowFeature, renderError } from './provider-pages.ts';
import { type ProviderQuirks, quirkMiddlewares, withRefreshClaimsNeedingScope } from './provider-quirks.ts';
import { type RefreshTokenPolicy, refreshTokenRule } from './refresh-token-policy.ts';
import { type RecordedRequest, recordRequests } from './request-log.ts';
import type { SelfSignedCertificate } from './self-signed-certificate.ts';
import { accountFinder, type UserClaims } from './test-accounts.ts';
import { PASSWORD_GRANT, TEST_CLIENTS, testClients } from './test-clients.ts';
import { registerTokenExchangeGrant, type TokenExchangeOptions } from './token-exchange-grant.ts';

export { DEFAULT_DEVICE_INTERVAL, type DeviceFlowOptions } from './device-flow-knobs.ts';
export { API_AUDIENCE, API_RESOURCE } from './jwt-access-tokens.ts';
export { getFreePort } from './loopback-server.ts';
export { passwordOf } from './password-grant.ts';
export type { ProviderQuirks } from './provider-quirks.ts';
export type { RefreshTokenPolicy } from './refresh-token-policy.ts';
export { TEST_CLIENTS } from './test-clients.ts';

/** Options of {@link startTestProvider}; all optional. */
export interface TestProviderOptions {
  /** Lifetime of ID tokens in seconds (default 30). */
  idTokenTTL?: number;
  /** Lifetime of access tokens in seconds (default: the ID token lifetime). */
  accessTokenTTL?: number;
  /** Issue a new refresh token on every refresh (default true). */
  rotateRefreshToken?: boolean;
  /**
   * 'always' (default): a refresh token whenever the client may use the refresh_token grant, as
   * Dex and Keycloak do. 'provider-default': oidc-provider's own rule, which needs
   * `offline_access` and, for that scope to survive, `prompt=consent` in the authorization request.
   */
  refreshTokenPolicy?: RefreshTokenPolicy;
  /** Redirect URIs of the `exact-web` client, matched exactly; the client exists only if given. */
  exactRedirectUris?: string[];
  /** Claim overrides per login name, e.g. `{ alice: { email_verified: false } }`. */
  claims?: Record<string, UserClaims>;
  /** Device flow knobs; by default the response says `interval: 1`. */
  device?: DeviceFlowOptions;
  /** false: no device authorization endpoint at all, as providers without RFC 8628 (default true). */
  deviceFlow?: boolean;
  /**
   * The `kubernetes` client's access tokens are JWTs for API_AUDIENCE (as for access-token mode)
   * on every grant; opaque otherwise (the default, as Google's and many Okta and Auth0 setups'),
   * with `expires_in`. The `confidential` client always gets JWT access tokens.
   */
  jwtAccessTokens?: boolean;
  /** Serve HTTPS with this key and certificate (the issuer is then https). */
  tls?: SelfSignedCertificate;
  /** Host name of the issuer (default 127.0.0.1); the provider still listens on 127.0.0.1, e.g. behind a test proxy. */
  hostname?: string;
  /** Clients registered besides the test clients. */
  clients?: ClientMetadata[];
  /** IDs of those clients whose access tokens are JWTs for API_AUDIENCE, as the `confidential` client's. */
  jwtAccessTokenClients?: string[];
  /** Register an RFC 8693 token exchange grant trusting these issuers' subject tokens. */
  tokenExchange?: TokenExchangeOptions;
  /** Koa middlewares in front of every route, outermost first: a test's stand-in for a provider's quirk. */
  middlewares?: Middleware[];
  /** false: no revocation endpoint (RFC 7009), as some providers (default true). */
  revocation?: boolean;
  /** true: RP-initiated logout, with an end_session_endpoint in discovery (default false). */
  rpInitiatedLogout?: boolean;
  /** Quirks of real providers (Okta's refresh, GitLab's discovery, ...); none by default. */
  quirks?: ProviderQuirks;
}

/** Counters of what the provider did, by outcome. */
export interface ProviderCounts {
  /** Successful authorization requests (a code was sent back to the client), and device approvals by the user. */
  authorizations: number;
  /** Successful authorization_code grants. */
  codeExchanges: number;
  /** Successful refresh_token grants. */
  refreshes: number;
  /** Failed refresh_token grants. */
  refreshErrors: number;
  /** Successful password grants. */
  passwordGrants: number;
  /** Token requests with the device_code grant, whatever the answer. */
  devicePolls: number;
  /** Device_code token requests answered with tokens. */
  deviceApprovals: number;
  /** Successful client_credentials grants. */
  clientCredentialsGrants: number;
}

/** A running test provider. */
export interface TestProvider {
  /** `http://127.0.0.1:<port>` (https with `tls`, the `hostname` if given), without a trailing slash. */
  issuer: string;
  /** Every request received, in order, with its headers. */
  requests: RecordedRequest[];
  counts: ProviderCounts;
  /** The audience of each token the token exchange grant issued, in order (with `tokenExchange`). */
  exchangedAudiences: string[];
  /**
   * `<event>: <error> - <error_detail>` of every grant, authorization, device authorization and
   * server error, except device polls answered authorization_pending.
   */
  errors: string[];
  /** Revokes every grant with its refresh and access tokens: the next refresh gets invalid_grant. */
  revokeAllRefreshTokens(): Promise<void>;
  /** Changes the lifetime of ID tokens issued from now on (and of access tokens unless set). */
  setIdTokenTTL(seconds: number): void;
  /** Every form field of the last client_credentials token request (unknown ones included). */
  readonly lastClientCredentialsParams: Record<string, string | string[]> | undefined;
  /** The Authorization scheme of that request, e.g. `Basic`. */
  readonly lastClientCredentialsAuthScheme: string | undefined;
  close(): Promise<void>;
}

/** Default ID token lifetime: long enough for a test, short enough to test expiry by waiting. */
const DEFAULT_ID_TOKEN_TTL = 30;
/** Refresh tokens, grants and sessions outlive any test run. */
const LONG_TTL = 24 * 60 * 60;
/** Time allowed for a login or device code, like real providers' ten minutes. */
const INTERACTION_TTL = 10 * 60;
/** The device_code grant's answer while the user has not approved yet. */
const AUTHORIZATION_PENDING = 'authorization_pending';
/** The grant type of a client authenticating as itself (RFC 6749 section 4.4). */
const CLIENT_CREDENTIALS_GRANT = 'client_credentials';
/** RSA key size of the signing key (RS256 is what kube-apiserver accepts by default). */
const SIGNING_KEY_BITS = 2048;

/** The signing key of this test process's providers, made on first use. */
let processSigningKeys: Promise<{ keys: Record<string, unknown>[] }> | undefined;

/**
 * An RS256 signing key of this test process, so that no provider uses oidc-provider's built-in
 * dev key. The providers of one process share it: an RSA key takes about 0.1 s of CPU to make, and
 * a provider starts for nearly every scenario; each has its own issuer, which every token check
 * compares first. A test about a key the issuer does not publish signs with a key of its own.
 */
function signingKeys(): Promise<{ keys: Record<string, unknown>[] }> {
  processSigningKeys ??= (async () => {
    const { privateKey } = await promisify(generateKeyPair)('rsa', { modulusLength: SIGNING_KEY_BITS });
    const jwk = privateKey.export({ format: 'jwk' });
    return { keys: [{ ...jwk, kid: randomBytes(8).toString('hex'), alg: 'RS256', use: 'sig' }] };
  })();
  return processSigningKeys;
}

/** Zeroed counters. */
function newProviderCounts(): ProviderCounts {
  return {
    authorizations: 0,
    codeExchanges: 0,
    refreshes: 0,
    refreshErrors: 0,
    passwordGrants: 0,
    devicePolls: 0,
    deviceApprovals: 0,
    clientCredentialsGrants: 0,
  };
}

function describeError(event: string, error: OIDCError): string {
  const detail = error.error_detail ?? error.error_description ?? error.message;
  return `${event}: ${error.error ?? error.name} - ${detail}`;
}

/** Starts oidc-provider on 127.0.0.1 with the test clients and users; see {@link TestProviderOptions}. */
export async function startTestProvider(options: TestProviderOptions = {}): Promise<TestProvider> {
  let idTokenTTL = options.idTokenTTL ?? DEFAULT_ID_TOKEN_TTL;
  const server = options.tls ? createHttpsServer(options.tls) : createServer();
  const requests = recordRequests(server);
  const issuer = `${options.tls ? 'https' : 'http'}://${options.hostname ?? '127.0.0.1'}:${await listenOnLoopback(server)}`;
  const quirks = options.quirks ?? {};
  const findAccount = withRefreshClaimsNeedingScope(accountFinder(options.claims), quirks.refreshClaimsNeedScope ?? []);
  const issueRefreshToken = refreshTokenRule(options.refreshTokenPolicy ?? 'always');
  const jwtClients = new Set<string>([TEST_CLIENTS.confidential]);
  if (options.jwtAccessTokens) jwtClients.add(TEST_CLIENTS.native);
  for (const clientId of options.jwtAccessTokenClients ?? []) jwtClients.add(clientId);
  const defaultResource = defaultResourceFor(jwtClients);

  const jwks = await signingKeys();
  const configuration: Configuration = {
    clients: [...testClients(options.exactRedirectUris, options.deviceFlow !== false), ...(options.clients ?? [])],
    findAccount,
    claims: { email: ['email', 'email_verified'], profile: ['name'], groups: ['groups'] },
    conformIdTokenClaims: false,
    cookies: { keys: [randomBytes(32).toString('hex')] },
    features: {
      devInteractions: { enabled: true },
      revocation: { enabled: options.revocation !== false },
      rpInitiatedLogout: { enabled: options.rpInitiatedLogout === true },
      deviceFlow: options.deviceFlow === false ? { enabled: false } : deviceFlowFeature,
      clientCredentials: { enabled: true },
      resourceIndicators: resourceIndicatorsFeature(defaultResource),
    },
    extraTokenClaims: jwtAccessTokenClaims(findAccount),
    issueRefreshToken: async (_ctx, client, source) => issueRefreshToken(client, source.scopes),
    jwks,
    pkce: { required: () => true },
    renderError,
    rotateRefreshToken: () => options.rotateRefreshToken ?? true,
    ttl: {
      IdToken: () => idTokenTTL,
      AccessToken: () => options.accessTokenTTL ?? idTokenTTL,
      ClientCredentials: () => options.accessTokenTTL ?? idTokenTTL,
      RefreshToken: LONG_TTL,
      Grant: LONG_TTL,
      Session: LONG_TTL,
      Interaction: INTERACTION_TTL,
      DeviceCode: options.device?.expiresIn ?? INTERACTION_TTL,
    },
  };

  const { provider, errors: providerErrors } = await withoutProviderNotices(async () => {
    const { default: Provider, errors } = await import('oidc-provider');
    return { provider: new Provider(issuer, configuration), errors };
  });
  const counts = newProviderCounts();
  const exchangedAudiences: string[] = [];
  const errors: string[] = [];
  for (const middleware of [...quirkMiddlewares(quirks), ...(options.middlewares ?? [])]) provider.use(middleware);
  registerPasswordGrant(provider, { errors: providerErrors, findAccount, issueRefreshToken, defaultResource });
  if (options.tokenExchange) {
    registerTokenExchangeGrant(provider, options.tokenExchange, {
      errors: providerErrors,
      issuer,
      signingKey: jwks.keys[0] as Record<string, unknown>,
      onExchange: (audience) => exchangedAudiences.push(audience),
    });
  }
  const clientCredentials = clientCredentialsRecorder();
  provider.use(clientCredentials.middleware);
  provider.use(
    deviceFlowMiddleware(options.device ?? {}, {
      counts,
      recordError: (text) => errors.push(text),
      revokeGrant: (grantId) => revokeGrant(provider, grantId),
    }),
  );
  // Koa composes the middlewares when the callback is taken: everything above must come first.
  server.on('request', provider.callback());

  const grantIds = new Set<string>();
  const grantType = (ctx: KoaContextWithOIDC) => ctx.oidc.params?.['grant_type'];

  provider.on('grant.saved', (grant) => grantIds.add(grant.jti));
  provider.on('authorization.success', () => {
    counts.authorizations += 1;
  });
  provider.on('grant.success', (ctx) => {
    if (grantType(ctx) === 'authorization_code') counts.codeExchanges += 1;
    if (grantType(ctx) === 'refresh_token') counts.refreshes += 1;
    if (grantType(ctx) === PASSWORD_GRANT) counts.passwordGrants += 1;
    if (grantType(ctx) === CLIENT_CREDENTIALS_GRANT) counts.clientCredentialsGrants += 1;
  });
  provider.on('grant.error', (ctx, error) => {
    if (grantType(ctx) === 'refresh_token') counts.refreshErrors += 1;
    // A device poll before approval is the protocol's normal state, not a failure.
    if (error.error !== AUTHORIZATION_PENDING) errors.push(describeError('grant.error', error));
  });
  provider.on('authorization.error', (_ctx, error) => errors.push(describeError('authorization.error', error)));
  provider.on('device_authorization.error', (_ctx, error) =>
    errors.push(describeError('device_authorization.error', error)),
  );
  provider.on('server_error', (_ctx, error) => {
    errors.push(describeError('server_error', error));
    console.error('test provider server_error:', error);
  });

  return {
    issuer,
    requests,
    counts,
    exchangedAudiences,
    errors,
    async revokeAllRefreshTokens() {
      for (const grantId of grantIds) await revokeGrant(provider, grantId);
      grantIds.clear();
    },
    setIdTokenTTL(seconds) {
      idTokenTTL = seconds;
    },
    get lastClientCredentialsParams() {
      return clientCredentials.last()?.params;
    },
    get lastClientCredentialsAuthScheme() {
      return clientCredentials.last()?.authScheme;
    },
    close: () => closeServer(server),
  };
}
