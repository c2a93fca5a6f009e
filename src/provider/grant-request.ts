/**
 * The one way a grant asks the token endpoint for tokens, so that every grant
 * maps the provider's errors, hides the tokens from the logs and verifies
 * them alike.
 */
import type { TokenEndpointResponse } from 'openid-client';
import type { TokenSet } from '../core/credential.ts';
import { AuthError } from '../core/errors.ts';
import { describeProviderError } from './errors.ts';
import type { ProviderSession } from './session.ts';
import { failedIdTokenCheck } from './token-checks.ts';
import { type AcceptOptions, acceptTokenResponse } from './token-response.ts';

/**
 * Sends one token request and returns the verified tokens to keep. `what`
 * names the request in errors (`the token refresh`); a failure is the
 * provider's error in words (an AuthError carries its OAuth error code), or
 * the check of the ID token that openid-client failed.
 * Every token in the response is registered with the redactor before anything
 * can log it.
 */
export async function requestTokens(
  session: ProviderSession,
  what: string,
  send: () => Promise<TokenEndpointResponse>,
  accept: AcceptOptions = {},
): Promise<TokenSet> {
  let response: TokenEndpointResponse;
  try {
    response = await send();
  } catch (error) {
    const failed = failedIdTokenCheck(error);
    if (failed)
      throw new AuthError(`the ID token from ${session.metadata.issuer} failed verification: ${failed.reason}`, {
        hint: failed.hint,
        cause: error,
      });
    throw describeProviderError(error, what, session.host);
  }
  session.logger.redactor.add(response.access_token, response.refresh_token, response.id_token);
  return acceptTokenResponse(session, response, accept);
}
