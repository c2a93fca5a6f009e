/** When the test provider hands out refresh tokens. */
import type { Client } from 'oidc-provider';

/** How the provider decides to issue a refresh token. */
export type RefreshTokenPolicy = 'always' | 'provider-default';

/** Decides whether a token response for `client` and the granted `scopes` carries a refresh token. */
export type RefreshTokenRule = (client: Client, scopes: ReadonlySet<string>) => boolean;

/** The scope without which oidc-provider's own rule issues no refresh token. */
const OFFLINE_ACCESS = 'offline_access';

/**
 * The rule of `policy`: 'always' issues one whenever the client may use the refresh_token grant
 * (as Dex and Keycloak do); 'provider-default' is oidc-provider's own rule, which also needs
 * `offline_access` among the granted scopes.
 */
export function refreshTokenRule(policy: RefreshTokenPolicy): RefreshTokenRule {
  return (client, scopes) =>
    client.grantTypeAllowed('refresh_token') && (policy === 'always' || scopes.has(OFFLINE_ACCESS));
}
