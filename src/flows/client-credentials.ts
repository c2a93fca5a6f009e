/**
 * The client credentials grant: a token for the client itself, with no
 * person, for CI.
 */
import * as client from 'openid-client';
import type { TokenSet } from '../core/credential.ts';
import { UsageError } from '../core/errors.ts';
import { requestTokens } from '../provider/grant-request.ts';
import type { ProviderSession } from '../provider/session.ts';

/**
 * Gets a token with the client's own credentials (HTTP Basic when the
 * provider allows it, or a private key). The extra parameters become form fields. `openid` is
 * not sent: there is no user to identify, and providers refuse it here.
 */
export async function loginWithClientCredentials(session: ProviderSession): Promise<TokenSet> {
  if (session.options.clientSecret === undefined && session.options.clientAssertionKey === undefined) {
    throw new UsageError('--grant-type=client-credentials needs --oidc-client-secret', {
      hint: 'or --oidc-client-assertion-key=FILE, to authenticate the client with a private key',
    });
  }
  const scope = session.options.extraScopes.join(' ');
  const parameters = { ...session.options.authRequestExtraParams, ...(scope ? { scope } : {}) };
  return requestTokens(
    session,
    'the client credentials grant',
    () => client.clientCredentialsGrant(session.config, parameters),
    {
      accessTokenSuffices: true,
    },
  );
}
