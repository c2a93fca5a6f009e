/**
 * Refreshing the tokens with the refresh token.
 */
import * as client from 'openid-client';
import type { TokenSet } from '../core/credential.ts';
import { AuthError } from '../core/errors.ts';
import { requestTokens } from '../provider/grant-request.ts';
import type { ProviderSession } from '../provider/session.ts';
import { MissingIdTokenError } from '../provider/token-response.ts';

/**
 * Refreshes the tokens. Returns undefined when the provider rejects the
 * refresh token (`invalid_grant`) or answers without an ID token, so the
 * caller logs in again; any other failure, such as the network, is an error:
 * no browser opens for it.
 */
export async function refreshTokens(session: ProviderSession, refreshToken: string): Promise<TokenSet | undefined> {
  const { logger } = session;
  logger.redactor.add(refreshToken);
  try {
    const tokens = await requestTokens(session, 'the token refresh', () => client.refreshTokenGrant(session.config, refreshToken), {
      previousRefreshToken: refreshToken,
    });
    logger.debug(tokens.refresh_token !== refreshToken ? 'refreshed the tokens; the refresh token was rotated' : 'refreshed the tokens');
    return tokens;
  } catch (error) {
    if (error instanceof MissingIdTokenError) {
      logger.info('The provider returned no ID token on refresh; logging in again.');
      return undefined;
    }
    if (error instanceof AuthError && error.oauthError === 'invalid_grant') {
      logger.info('The refresh token was rejected by the provider; logging in again.');
      return undefined;
    }
    throw error;
  }
}
