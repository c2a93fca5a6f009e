/**
 * The resource owner password credentials grant, for providers that still
 * allow it (CI, some Keycloak set-ups).
 */
import * as client from 'openid-client';
import type { TokenSet } from '../core/credential.ts';
import { requestTokens } from '../provider/grant-request.ts';
import type { ProviderSession } from '../provider/session.ts';

/** Logs in with a username and password. */
export async function loginWithPassword(
  session: ProviderSession,
  username: string,
  password: string,
): Promise<TokenSet> {
  session.logger.redactor.add(password);
  return requestTokens(session, 'the password grant', () =>
    client.genericGrantRequest(session.config, 'password', { username, password, scope: session.scopes }),
  );
}
