/**
 * A real OpenID Connect provider (oidc-provider v9) on 127.0.0.1 for integration and e2e tests.
 */
import { generateKeyPair, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { promisify } from 'node:util';
import type { ClientMetadata, Configuration, KoaContextWithOIDC, OIDCError } from 'oidc-provider';
import { closeServer, listenOnLoopback } from './loopback-server.ts';
import { withoutProviderNotices } from './provider-notices.ts';
import { accountFinder, type UserClaims } from './test-accounts.ts';

export { getFreePort } from './loopback-server.ts';

/** How the provider decides to issue a refresh token. */
export type RefreshTokenPolicy = 'always' | 'provider-default';

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
}

/** Counters of what the provider did, by outcome. */
export interface ProviderCounts {
  /** Successful authorization requests (a code was sent back to the client). */
  authorizations: number;
  /** Successful authorization_code grants. */
  codeExchanges: number;
  /** Successful refresh_token grants. */
  refreshes: number;
  /** Failed refresh_token grants. */
  refreshErrors: number;
}

/** A running test provider. */
export interface TestProvider {
  /** `http://127.0.0.1:<port>`, without a trailing slash. */
  issuer: string;
  counts: ProviderCounts;
  /** `<event>: <error> - <error_detail>` of every grant, authorization and server error. */
  errors: string[];
  /** Revokes every grant with its refresh and access tokens: the next refresh gets invalid_grant. */
  revokeAllRefreshTokens(): Promise<void>;
  /** Changes the lifetime of ID tokens issued from now on (and of access tokens unless set). */
  setIdTokenTTL(seconds: number): void;
  close(): Promise<void>;
}

/** Client IDs and secrets registered on every test provider. */
export const TEST_CLIENTS = {
  native: 'kubernetes',
  exactWeb: 'exact-web',
  exactWebSecret: 'exact-web-secret',
  confidential: 'confidential',
  confidentialSecret: 'confidential-secret',
} as const;

/** Default ID token lifetime: long enough for a test, short enough to test expiry by waiting. */
const DEFAULT_ID_TOKEN_TTL = 30;
/** Refresh tokens, grants and sessions outlive any test run. */
const LONG_TTL = 24 * 60 * 60;
/** Time allowed for a login or device code, like real providers' ten minutes. */
const INTERACTION_TTL = 10 * 60;
/** Scopes the clients may ask for. */
const CLIENT_SCOPE = 'openid email profile groups offline_access';
/** The device authorization grant type, registered now for device flow tests. */
const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
/** RSA key size of the signing key (RS256 is what kube-apiserver accepts by default). */
const SIGNING_KEY_BITS = 2048;

/** A fresh RS256 signing key, so that no provider shares oidc-provider's built-in dev key. */
async function signingKeys(): Promise<{ keys: Record<string, unknown>[] }> {
  const { privateKey } = await promisify(generateKeyPair)('rsa', { modulusLength: SIGNING_KEY_BITS });
  const jwk = privateKey.export({ format: 'jwk' });
  return { keys: [{ ...jwk, kid: randomBytes(8).toString('hex'), alg: 'RS256', use: 'sig' }] };
}

function clients(exactRedirectUris: string[] | undefined): ClientMetadata[] {
  const native: ClientMetadata = {
    client_id: TEST_CLIENTS.native,
    application_type: 'native',
    token_endpoint_auth_method: 'none',
    // A native client's loopback redirect URIs match with any port (RFC 8252 section 7.3).
    redirect_uris: ['http://localhost', 'http://127.0.0.1'],
    grant_types: ['authorization_code', 'refresh_token', DEVICE_CODE_GRANT],
    response_types: ['code'],
    scope: CLIENT_SCOPE,
  };
  const confidential: ClientMetadata = {
    client_id: TEST_CLIENTS.confidential,
    client_secret: TEST_CLIENTS.confidentialSecret,
    token_endpoint_auth_method: 'client_secret_basic',
    grant_types: ['client_credentials'],
    response_types: [],
    redirect_uris: [],
  };
  if (exactRedirectUris === undefined) return [native, confidential];
  const exactWeb: ClientMetadata = {
    client_id: TEST_CLIENTS.exactWeb,
    client_secret: TEST_CLIENTS.exactWebSecret,
    token_endpoint_auth_method: 'client_secret_basic',
    redirect_uris: exactRedirectUris,
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    scope: CLIENT_SCOPE,
  };
  return [native, exactWeb, confidential];
}

/** Error pages with a plain title, so a driver that fails can print something readable. */
async function renderError(ctx: KoaContextWithOIDC, out: Record<string, string>): Promise<void> {
  const escape = (text: string) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  ctx.type = 'html';
  ctx.body = `<!DOCTYPE html><html><head><title>Provider error</title></head><body>${Object.entries(out)
    .map(([key, value]) => `<p>${escape(key)}: ${escape(String(value))}</p>`)
    .join('')}</body></html>`;
}

function describeError(event: string, error: OIDCError): string {
  const detail = error.error_detail ?? error.error_description ?? error.message;
  return `${event}: ${error.error ?? error.name} - ${detail}`;
}

/** Starts oidc-provider on 127.0.0.1 with the test clients and users; see {@link TestProviderOptions}. */
export async function startTestProvider(options: TestProviderOptions = {}): Promise<TestProvider> {
  let idTokenTTL = options.idTokenTTL ?? DEFAULT_ID_TOKEN_TTL;
  const server = createServer();
  const issuer = `http://127.0.0.1:${await listenOnLoopback(server)}`;

  const configuration: Configuration = {
    clients: clients(options.exactRedirectUris),
    findAccount: accountFinder(options.claims),
    claims: { email: ['email', 'email_verified'], profile: ['name'], groups: ['groups'] },
    conformIdTokenClaims: false,
    cookies: { keys: [randomBytes(32).toString('hex')] },
    features: {
      devInteractions: { enabled: true },
      revocation: { enabled: true },
      deviceFlow: { enabled: true },
      clientCredentials: { enabled: true },
    },
    jwks: await signingKeys(),
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
      DeviceCode: INTERACTION_TTL,
    },
  };
  if ((options.refreshTokenPolicy ?? 'always') === 'always') {
    configuration.issueRefreshToken = async (_ctx, client) => client.grantTypeAllowed('refresh_token');
  }

  const provider = await withoutProviderNotices(async () => {
    const { default: Provider } = await import('oidc-provider');
    return new Provider(issuer, configuration);
  });
  server.on('request', provider.callback());

  const counts: ProviderCounts = { authorizations: 0, codeExchanges: 0, refreshes: 0, refreshErrors: 0 };
  const errors: string[] = [];
  const grantIds = new Set<string>();
  const grantType = (ctx: KoaContextWithOIDC) => ctx.oidc.params?.['grant_type'];

  provider.on('grant.saved', (grant) => grantIds.add(grant.jti));
  provider.on('authorization.success', () => {
    counts.authorizations += 1;
  });
  provider.on('grant.success', (ctx) => {
    if (grantType(ctx) === 'authorization_code') counts.codeExchanges += 1;
    if (grantType(ctx) === 'refresh_token') counts.refreshes += 1;
  });
  provider.on('grant.error', (ctx, error) => {
    if (grantType(ctx) === 'refresh_token') counts.refreshErrors += 1;
    errors.push(describeError('grant.error', error));
  });
  provider.on('authorization.error', (_ctx, error) => errors.push(describeError('authorization.error', error)));
  provider.on('server_error', (_ctx, error) => {
    errors.push(describeError('server_error', error));
    console.error('test provider server_error:', error);
  });

  return {
    issuer,
    counts,
    errors,
    async revokeAllRefreshTokens() {
      for (const grantId of grantIds) {
        await provider.RefreshToken.revokeByGrantId(grantId);
        await provider.AccessToken.revokeByGrantId(grantId);
        await (await provider.Grant.find(grantId))?.destroy();
      }
      grantIds.clear();
    },
    setIdTokenTTL(seconds) {
      idTokenTTL = seconds;
    },
    close: () => closeServer(server),
  };
}
