/**
 * JWT access tokens (RFC 9068) from the test provider, made through oidc-provider's resource
 * indicators: a token meant for a resource server is a JWT signed with the provider's RS256 key,
 * with `aud` set to that server, and can be checked against the provider's JWKS like an ID token.
 */
import type { Account, Client, Configuration, KoaContextWithOIDC, ResourceServerInfo } from 'oidc-provider';

/** `aud` of the access tokens meant for the cluster's API server. */
export const API_AUDIENCE = 'kubernetes-api';
/** The resource indicator of that API; oidc-provider wants an absolute URI, so a URN stands for it. */
export const API_RESOURCE = 'urn:kubelogin-test:kubernetes-api';
/** The algorithm kube-apiserver accepts by default. */
const SIGNING_ALG = 'RS256';

/** Finds an account by login, as the provider's `findAccount` does. */
type AccountFinder = (ctx: KoaContextWithOIDC, login: string) => Promise<Account>;

/** The resource whose tokens a client gets when it names none: the API for `jwtClientIds`, else none (opaque tokens). */
export function defaultResourceFor(jwtClientIds: ReadonlySet<string>): (client: Client) => string | undefined {
  return (client) => (jwtClientIds.has(client.clientId) ? API_RESOURCE : undefined);
}

/**
 * How tokens for `resource` are made: JWTs signed by the provider. The audience is API_AUDIENCE
 * for API_RESOURCE and the resource itself for any other (a client may ask for any absolute URI).
 */
export function resourceServerInfo(resource: string): ResourceServerInfo {
  return {
    scope: '',
    audience: resource === API_RESOURCE ? API_AUDIENCE : resource,
    accessTokenFormat: 'jwt',
    jwt: { sign: { alg: SIGNING_ALG } },
  };
}

/**
 * oidc-provider's `features.resourceIndicators`: clients get tokens for their default resource
 * (see {@link defaultResourceFor}) on every grant, refreshes included, unless they ask for another.
 */
export function resourceIndicatorsFeature(
  defaultResource: (client: Client) => string | undefined,
): NonNullable<Configuration['features']>[string] {
  return {
    enabled: true,
    defaultResource: async (_ctx: KoaContextWithOIDC, client: Client, oneOf?: string[]) =>
      oneOf ?? defaultResource(client),
    // Without this, a refresh or code exchange that names no resource would get an opaque token.
    useGrantedResource: async () => true,
    getResourceServerInfo: async (_ctx: KoaContextWithOIDC, resource: string) => resourceServerInfo(resource),
  };
}

/**
 * oidc-provider's `extraTokenClaims`: a JWT access token of a user carries the user's claims
 * (email, groups, ...) besides `sub`, as Keycloak's do, so that an API server can map it to a user.
 */
export function jwtAccessTokenClaims(findAccount: AccountFinder): NonNullable<Configuration['extraTokenClaims']> {
  return async (ctx, token) => {
    if (token.resourceServer === undefined || token.accountId === undefined) return undefined;
    const account = await findAccount(ctx, token.accountId);
    const { sub: _sub, ...claims } = await account.claims('access_token', token.scope ?? '');
    return claims;
  };
}
