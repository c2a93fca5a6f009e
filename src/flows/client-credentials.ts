/**
 * The client credentials grant: a token for the client itself, with no
 * person, for CI.
 */
import * as client from 'openid-client';
import type { TokenSet } from '../cache/token-store.ts';
import { UsageError } from '../core/errors.ts';
import type { Logger } from '../io/logger.ts';
import { describeProviderError } from '../provider/errors.ts';
import type { ProviderSession } from '../provider/session.ts';
import { acceptTokenResponse } from '../provider/token-response.ts';

/**
 * Gets a token with the client's own credentials (HTTP Basic when the
 * provider allows it). The extra parameters become form fields. `openid` is
 * not sent: there is no user to identify, and providers refuse it here.
 */
export async function loginWithClientCredentials(session: ProviderSession, logger: Logger): Promise<TokenSet> {
  if (session.options.clientSecret === undefined) {
    throw new UsageError('--grant-type=client-credentials needs --oidc-client-secret');
  }
  const scope = session.options.extraScopes.join(' ');
  let response: client.TokenEndpointResponse;
  try {
    response = await client.clientCredentialsGrant(session.config, {
      ...session.options.authRequestExtraParams,
      ...(scope ? { scope } : {}),
    });
  } catch (error) {
    throw describeProviderError(error, 'the client credentials grant', session.host);
  }
  logger.redactor.add(response.access_token, response.refresh_token, response.id_token);
  return acceptTokenResponse(session, response, { accessTokenSuffices: true });
}
