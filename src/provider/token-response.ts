/**
 * Turning a token endpoint response into the verified tokens kubelogin keeps.
 */
import type { TokenEndpointResponse } from 'openid-client';
import type { TokenSet } from '../core/credential.ts';
import { AuthError } from '../core/errors.ts';
import type { ProviderSession } from './session.ts';
import { isCompactJws } from './token-verifier.ts';

/** How a response is accepted. */
export interface AcceptOptions {
  /** The nonce sent with the login (none on refresh). */
  nonce?: string;
  /** Kept when the provider does not rotate refresh tokens. */
  previousRefreshToken?: string;
  /** The client credentials grant identifies no user, so most providers send no ID token: the access token is handed over. */
  accessTokenSuffices?: boolean;
}

/** The provider answered without the ID token kubectl needs (OIDC Core allows that on refresh). */
export class MissingIdTokenError extends AuthError {}

/**
 * An access token that is not a JWT, kept as it is (never parsed) with the
 * expiry its `expires_in` gives; without `expires_in` it cannot be cached or
 * handed over (kubectl needs an expiry), so it is refused.
 */
function opaqueAccessToken(session: ProviderSession, response: TokenEndpointResponse): TokenSet {
  const { issuer } = session.metadata;
  if (response.expires_in === undefined) {
    throw new AuthError(
      `the provider ${issuer} returned an access token that is not a JWT and no expires_in, so when it expires cannot be known`,
      { hint: 'have the provider issue JWT access tokens, or answer with expires_in (RFC 6749 section 5.1)' },
    );
  }
  const issuedAt = Math.floor(session.now() / 1000);
  session.logger.debug(
    `the access token from ${issuer} is not a JWT, so it could not be verified locally; it is handed over as it is, ` +
      `for its expires_in of ${response.expires_in}s, and the API server checks it`,
  );
  return {
    access_token: response.access_token,
    access_token_issued_at: issuedAt,
    access_token_expires_at: issuedAt + Math.floor(response.expires_in),
  };
}

/** Verifies the tokens of a response and returns what to cache. */
export async function acceptTokenResponse(
  session: ProviderSession,
  response: TokenEndpointResponse,
  { nonce, previousRefreshToken, accessTokenSuffices = false }: AcceptOptions = {},
): Promise<TokenSet> {
  const tokens: TokenSet = { refresh_token: response.refresh_token ?? previousRefreshToken };
  // The granted scopes are sent again on refresh, so they matter only beside a refresh token.
  if (tokens.refresh_token !== undefined && response.scope) tokens.scope = response.scope;
  if (response.id_token !== undefined) {
    await session.verifier.verifyIdToken(response.id_token, nonce);
    tokens.id_token = response.id_token;
  }
  if (session.options.useAccessToken && !isCompactJws(response.access_token)) {
    Object.assign(tokens, opaqueAccessToken(session, response));
  } else if (session.options.useAccessToken || (accessTokenSuffices && tokens.id_token === undefined)) {
    await session.verifier.verifyAccessToken(response.access_token);
    tokens.access_token = response.access_token;
  } else if (tokens.id_token === undefined) {
    throw new MissingIdTokenError(`the provider ${session.metadata.issuer} returned no ID token`, {
      hint: 'check that the client may use the openid scope',
    });
  }
  return tokens;
}
