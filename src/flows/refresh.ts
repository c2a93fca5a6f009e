/**
 * Refreshing the tokens with the refresh token. The refresh sends the scopes
 * the provider granted (RFC 6749 section 6 allows it, no wider than granted):
 * some providers (Okta) leave claims such as `groups` out of a refreshed ID
 * token otherwise. A provider that refuses `scope` on refresh gets the
 * request again without it, and the entry remembers that.
 */
import * as client from 'openid-client';
import type { TokenSet } from '../core/credential.ts';
import { AuthError, KubeloginError } from '../core/errors.ts';
import { requestTokens } from '../provider/grant-request.ts';
import type { ProviderSession } from '../provider/session.ts';
import { MissingIdTokenError } from '../provider/token-response.ts';

/** A cache entry that can be refreshed. */
export type RefreshableTokens = TokenSet & { refresh_token: string };

/** The OAuth error of a provider that refuses the `scope` parameter (or one of its scopes) on refresh. */
const SCOPE_REFUSED = 'invalid_scope';

/** One refresh request; `scope` is sent when given. */
function sendRefresh(session: ProviderSession, refreshToken: string, scope: string | undefined): Promise<TokenSet> {
  return requestTokens(
    session,
    'the token refresh',
    () => client.refreshTokenGrant(session.config, refreshToken, scope === undefined ? undefined : { scope }),
    { previousRefreshToken: refreshToken },
  );
}

/**
 * Refreshes `cached`: with the scopes it was granted (or, when the provider
 * did not say, those the login asked for), unless the provider refused
 * `scope` for this entry before; on `invalid_scope`, once more without it.
 * The tokens returned carry what the next refresh sends.
 */
async function refreshWithScope(session: ProviderSession, cached: RefreshableTokens): Promise<TokenSet> {
  const refreshToken = cached.refresh_token;
  session.logger.redactor.add(refreshToken);
  if (!cached.refresh_without_scope) {
    const scope = cached.scope ?? session.scopes;
    try {
      const tokens = await sendRefresh(session, refreshToken, scope);
      // No `scope` in the answer means the scopes sent were granted (RFC 6749 section 5.1).
      return { ...tokens, scope: tokens.scope ?? scope };
    } catch (error) {
      if (!(error instanceof AuthError && error.oauthError === SCOPE_REFUSED)) throw error;
      session.logger.debug(
        `the provider refused scope on refresh (${SCOPE_REFUSED}); refreshing without it, now and from now on for this entry`,
      );
    }
  }
  return { ...(await sendRefresh(session, refreshToken, undefined)), refresh_without_scope: true };
}

/**
 * Refreshes the tokens. Returns undefined when the provider rejects the
 * refresh token (any OAuth error answer: `invalid_grant` by the spec, but
 * providers also say `invalid_request` or `unauthorized_client` for an
 * expired one) or answers without an ID token, so the caller logs in again;
 * any other failure (the network, a timeout, a 5xx answer) is an error: no
 * browser opens for it.
 */
export async function refreshTokens(
  session: ProviderSession,
  cached: RefreshableTokens,
): Promise<TokenSet | undefined> {
  const { logger } = session;
  try {
    const tokens = await refreshWithScope(session, cached);
    logger.debug(
      tokens.refresh_token !== cached.refresh_token
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
 * Refreshes once, as get-token would, to see whether renewal works, as
 * `setup` proves it: unlike refreshTokens, a missing ID token and a rejection
 * are outcomes to report, not a reason to log in.
 */
export async function proveRefresh(session: ProviderSession, login: RefreshableTokens): Promise<RefreshProof> {
  try {
    const tokens = await refreshWithScope(session, login);
    return { kind: 'renewed', rotated: tokens.refresh_token !== login.refresh_token };
  } catch (error) {
    if (error instanceof MissingIdTokenError) return { kind: 'no-id-token' };
    if (error instanceof KubeloginError) return { kind: 'failed', reason: error.message };
    throw error;
  }
}
