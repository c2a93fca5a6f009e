/**
 * Refreshing the tokens with the refresh token.
 */
import * as client from 'openid-client';
import type { TokenSet } from '../cache/token-store.ts';
import { AuthError } from '../core/errors.ts';
import type { Logger } from '../io/logger.ts';
import { describeProviderError } from '../provider/errors.ts';
import type { ProviderSession } from '../provider/session.ts';
import { acceptTokenResponse } from '../provider/token-response.ts';

/**
 * Refreshes the tokens. Returns undefined when the provider rejects the
 * refresh token (`invalid_grant`), so the caller logs in again; any other
 * failure, such as the network, is an error: no browser opens for it.
 */
export async function refreshTokens(session: ProviderSession, refreshToken: string, logger: Logger): Promise<TokenSet | undefined> {
  logger.redactor.add(refreshToken);
  let response: client.TokenEndpointResponse;
  try {
    response = await client.refreshTokenGrant(session.config, refreshToken);
  } catch (error) {
    const failure = describeProviderError(error, 'the token refresh', session.host);
    if (failure instanceof AuthError && failure.oauthError === 'invalid_grant') {
      logger.info('The refresh token was rejected by the provider; logging in again.');
      return undefined;
    }
    throw failure;
  }
  logger.redactor.add(response.access_token, response.refresh_token, response.id_token);
  if (response.id_token === undefined && !session.options.useAccessToken) {
    logger.info('The provider returned no ID token on refresh; logging in again.');
    return undefined;
  }
  const tokens = await acceptTokenResponse(session, response, { previousRefreshToken: refreshToken });
  logger.debug(response.refresh_token ? 'refreshed the tokens; the refresh token was rotated' : 'refreshed the tokens');
  return tokens;
}
