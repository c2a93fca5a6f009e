/**
 * Turning a token endpoint response into the verified tokens kubelogin keeps.
 */
import type { TokenEndpointResponse } from 'openid-client';
import type { TokenSet } from '../cache/token-store.ts';
import { AuthError } from '../core/errors.ts';
import type { ProviderSession } from './session.ts';

/**
 * Verifies the tokens of a response and returns what to cache. `nonce` is the
 * one sent with the login (none on refresh); `previousRefreshToken` is kept
 * when the provider does not rotate refresh tokens.
 */
export async function acceptTokenResponse(
  session: ProviderSession,
  response: TokenEndpointResponse,
  {
    nonce,
    previousRefreshToken,
    accessTokenSuffices = false,
  }: {
    nonce?: string;
    previousRefreshToken?: string;
    /** The client credentials grant identifies no user, so most providers send no ID token: the access token is handed over. */
    accessTokenSuffices?: boolean;
  } = {},
): Promise<TokenSet> {
  const tokens: TokenSet = { refresh_token: response.refresh_token ?? previousRefreshToken };
  if (response.id_token !== undefined) {
    await session.verifier.verifyIdToken(response.id_token, nonce);
    tokens.id_token = response.id_token;
  }
  if (session.options.useAccessToken || (accessTokenSuffices && tokens.id_token === undefined)) {
    await session.verifier.verifyAccessToken(response.access_token);
    tokens.access_token = response.access_token;
  } else if (tokens.id_token === undefined) {
    throw new AuthError(`the provider ${session.metadata.issuer} returned no ID token`, {
      hint: 'check that the client may use the openid scope',
    });
  }
  return tokens;
}
