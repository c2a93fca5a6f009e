/**
 * RFC 8693 token exchange, which oidc-provider does not implement: a handler
 * registered with `provider.registerGrantType` that accepts a subject token
 * from a trusted CI issuer (verified with that issuer's JWKS) or from the
 * provider itself, and issues a JWT signed with the provider's key for the
 * requested audience (the client ID when none is asked for).
 */
import { randomBytes } from 'node:crypto';
import { createRemoteJWKSet, decodeJwt, importJWK, type JWK, jwtVerify, SignJWT } from 'jose';
import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC, errors as ProviderErrors } from 'oidc-provider';

/** The grant type of RFC 8693. */
export const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
/** The token types of RFC 8693 section 3 the handler knows. */
export const TOKEN_TYPES = {
  jwt: 'urn:ietf:params:oauth:token-type:jwt',
  idToken: 'urn:ietf:params:oauth:token-type:id_token',
  accessToken: 'urn:ietf:params:oauth:token-type:access_token',
} as const;
/** The form fields of an exchange besides grant_type and client authentication. */
const PARAMETERS = ['subject_token', 'subject_token_type', 'requested_token_type', 'audience', 'resource', 'scope'];
/** Lifetime of an exchanged token: long enough for a test, short as exchanged tokens are. */
const EXCHANGED_TTL_SECONDS = 300;

/** How the test provider exchanges. */
export interface TokenExchangeOptions {
  /** Issuers whose tokens are accepted as subject tokens, besides the provider itself. */
  trustedIssuers: string[];
  /** Audiences the provider refuses to issue for: invalid_target. */
  refusedAudiences?: string[];
  /** Clients that may use the grant but are not permitted to exchange, as Keycloak answers without the permission: unauthorized_client. */
  unauthorizedClients?: string[];
}

/** What the handler takes from the provider. */
export interface TokenExchangeDependencies {
  errors: typeof ProviderErrors;
  issuer: string;
  /** The provider's private signing key (JWK with kid). */
  signingKey: Record<string, unknown>;
  /** Called with the audience of each token issued. */
  onExchange(audience: string): void;
}

function stringParam(ctx: KoaContextWithOIDC, name: string): string | undefined {
  const value = ctx.oidc.params?.[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Adds the token exchange grant to `provider`. */
export function registerTokenExchangeGrant(
  provider: Provider,
  options: TokenExchangeOptions,
  deps: TokenExchangeDependencies,
): void {
  const { errors } = deps;
  const keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();
  const keysOf = (issuer: string) => {
    let keys = keySets.get(issuer);
    if (keys === undefined) {
      keys = createRemoteJWKSet(new URL(issuer === deps.issuer ? `${issuer}/jwks` : `${issuer}/.well-known/jwks`));
      keySets.set(issuer, keys);
    }
    return keys;
  };
  provider.registerGrantType(
    TOKEN_EXCHANGE_GRANT,
    async (ctx) => {
      const client = ctx.oidc.client;
      if (client === undefined) throw new errors.InvalidRequest('no client');
      if (options.unauthorizedClients?.includes(client.clientId))
        throw new errors.UnauthorizedClient('client not allowed to exchange');
      const subjectToken = stringParam(ctx, 'subject_token');
      const subjectType = stringParam(ctx, 'subject_token_type');
      if (subjectToken === undefined || subjectType === undefined)
        throw new errors.InvalidRequest('subject_token and subject_token_type are required');
      if (subjectType !== TOKEN_TYPES.jwt && subjectType !== TOKEN_TYPES.idToken)
        throw new errors.InvalidRequest(`unsupported subject_token_type ${subjectType}`);
      let issuer: string | undefined;
      try {
        issuer = decodeJwt(subjectToken).iss;
      } catch {
        throw new errors.InvalidGrant('the subject token is not a JWT');
      }
      if (issuer === undefined || (issuer !== deps.issuer && !options.trustedIssuers.includes(issuer)))
        throw new errors.InvalidGrant('the subject token comes from an untrusted issuer');
      let subject: string;
      try {
        const { payload } = await jwtVerify(subjectToken, keysOf(issuer), { issuer, requiredClaims: ['exp', 'sub'] });
        subject = payload.sub as string;
      } catch (error) {
        throw new errors.InvalidGrant(`the subject token failed verification: ${(error as Error).message}`);
      }
      const audience = stringParam(ctx, 'audience') ?? client.clientId;
      if (options.refusedAudiences?.includes(audience))
        throw new errors.InvalidTarget(`no tokens for the audience ${audience}`);
      const requested = stringParam(ctx, 'requested_token_type') ?? TOKEN_TYPES.accessToken;
      const issuedType = requested === TOKEN_TYPES.idToken ? TOKEN_TYPES.idToken : TOKEN_TYPES.jwt;
      const now = Math.floor(Date.now() / 1000);
      const key = await importJWK(deps.signingKey as JWK, 'RS256');
      const token = await new SignJWT({
        sub: subject,
        azp: client.clientId,
        jti: randomBytes(8).toString('hex'),
        exchanged_from: issuer,
      })
        .setProtectedHeader({ alg: 'RS256', kid: deps.signingKey['kid'] as string, typ: 'JWT' })
        .setIssuer(deps.issuer)
        .setAudience(audience)
        .setIssuedAt(now)
        .setExpirationTime(now + EXCHANGED_TTL_SECONDS)
        .sign(key);
      deps.onExchange(audience);
      ctx.body = {
        access_token: token,
        issued_token_type: issuedType,
        token_type: 'N_A',
        expires_in: EXCHANGED_TTL_SECONDS,
      };
    },
    PARAMETERS,
  );
}
