/**
 * Refreshing the tokens with the refresh token.
 */
import * as client from 'openid-client';
import type { TokenSet } from '../core/credential.ts';
import { AuthError, KubeloginError } from '../core/errors.ts';
import { requestTokens } from '../provider/grant-request.ts';
import type { ProviderSession } from '../provider/session.ts';
import { MissingIdTokenError } from '../provider/token-response.ts';

/**
 * Refreshes the tokens. Returns undefined when the provider rejects the
 * refresh token (any OAuth error answer: `invalid_grant` by the spec, but
 * providers also say `invalid_request` or `unauthorized_client` for an
 * expired one) or answers without an ID token, so the caller logs in again;
 * any other failure (the network, a timeout, a 5xx answer) is an error: no
 * browser opens for it.
 */
export async function refreshTokens(session: ProviderSession, refreshToken: string): Promise<TokenSet | undefined> {
  const { logger } = session;
  logger.redactor.add(refreshToken);
  try {
    const tokens = await requestTokens(
      session,
      'the token refresh',
      () => client.refreshTokenGrant(session.config, refreshToken),
      {
        previousRefreshToken: refreshToken,
      },
    );
    logger.debug(
      tokens.refresh_token !== refreshToken
        ? 'refreshed the tokens; the refresh token was rotated'
        : 'refreshed the tokens',
    );
    return tokens;
  } catch (error) {
    if (error instanceof MissingIdTokenError) {
      logger.info('The provider returned no ID token on refresh; logging in again.');
      return undefined;
    }
    if (error instanceof AuthError && error.oauthError !== undefined) {
      logger.info(`The refresh token was rejected by the provider (${error.oauthError}); logging in again.`);
      return undefined;
    }
    throw error;
  }
}

/** What one refresh proved: a new ID token came back (and whether the refresh token rotated), none did, or it failed. */
export type RefreshProof =
  | { kind: 'renewed'; rotated: boolean }
  | { kind: 'no-id-token' }
  | { kind: 'failed'; reason: string };

/**
 * Refreshes once to see whether renewal works, as `setup` proves it: unlike
 * refreshTokens, a missing ID token and a rejection are outcomes to report,
 * not a reason to log in.
 */
export async function proveRefresh(session: ProviderSession, refreshToken: string): Promise<RefreshProof> {
  session.logger.redactor.add(refreshToken);
  try {
    const tokens = await requestTokens(
      session,
      'the token refresh',
      () => client.refreshTokenGrant(session.config, refreshToken),
      {
        previousRefreshToken: refreshToken,
      },
    );
    return { kind: 'renewed', rotated: tokens.refresh_token !== refreshToken };
  } catch (error) {
    if (error instanceof MissingIdTokenError) return { kind: 'no-id-token' };
    if (error instanceof KubeloginError) return { kind: 'failed', reason: error.message };
    throw error;
  }
}
