/**
 * The resource owner password credentials grant, for providers that still
 * allow it (CI, some Keycloak set-ups).
 */
import * as client from 'openid-client';
import type { TokenSet } from '../cache/token-store.ts';
import type { Logger } from '../io/logger.ts';
import { describeProviderError } from '../provider/errors.ts';
import type { ProviderSession } from '../provider/session.ts';
import { acceptTokenResponse } from '../provider/token-response.ts';

/** Logs in with a username and password. */
export async function loginWithPassword(session: ProviderSession, username: string, password: string, logger: Logger): Promise<TokenSet> {
  logger.redactor.add(password);
  let response: client.TokenEndpointResponse;
  try {
    response = await client.genericGrantRequest(session.config, 'password', { username, password, scope: session.scopes });
  } catch (error) {
    throw describeProviderError(error, 'the password grant', session.host);
  }
  logger.redactor.add(response.access_token, response.refresh_token, response.id_token);
  return acceptTokenResponse(session, response);
}
