/**
 * `--exchange-audience`: the login's token exchanged (RFC 8693) at the
 * provider for one whose audience is a cluster's, so N clusters with N
 * audiences cost one browser login.
 */
import * as client from 'openid-client';
import { type TokenSet, tokenForKubectl } from '../core/credential.ts';
import { AuthError } from '../core/errors.ts';
import { decodeJwtClaims } from '../core/jwt.ts';
import { requestTokens } from '../provider/grant-request.ts';
import type { ProviderSession } from '../provider/session.ts';
import { ACCESS_TOKEN_TYPE, ID_TOKEN_TYPE, TOKEN_EXCHANGE_GRANT } from './token-exchange.ts';

/** True when a token's `aud` (a string or a list) names `audience`. */
function hasAudience(token: string, audience: string): boolean {
  const aud = decodeJwtClaims(token)?.['aud'];
  return aud === audience || (Array.isArray(aud) && aud.includes(audience));
}

/**
 * Exchanges the token kubectl would get from `login` for one with `audience`.
 * The answer is verified as a JWT of the provider (signature, `iss`, `exp`)
 * and must name `audience`; the provider's refusal (`invalid_target`,
 * `unauthorized_client`) is an error naming its answer.
 */
export async function exchangeForAudience(
  session: ProviderSession,
  login: TokenSet,
  audience: string,
): Promise<TokenSet> {
  const useAccessToken = session.options.useAccessToken;
  const subjectToken = tokenForKubectl(login, useAccessToken);
  if (subjectToken === undefined) throw new AuthError('the login gave no token to exchange for --exchange-audience');
  session.logger.redactor.add(subjectToken);
  const subjectType = useAccessToken || login.id_token === undefined ? ACCESS_TOKEN_TYPE : ID_TOKEN_TYPE;
  const parameters = {
    subject_token: subjectToken,
    subject_token_type: subjectType,
    requested_token_type: ID_TOKEN_TYPE,
    audience,
  };
  // The issued token is for another audience than the client: it is checked as a JWT of the provider, then for its audience.
  const tokens = await requestTokens(
    session,
    `the token exchange for --exchange-audience ${audience}`,
    async () => {
      const response = await client.genericGrantRequest(session.config, TOKEN_EXCHANGE_GRANT, parameters);
      (response as { id_token?: string }).id_token = undefined;
      return response;
    },
    { accessTokenSuffices: true },
  );
  const token = tokens.access_token as string;
  if (!hasAudience(token, audience)) {
    throw new AuthError(
      `the provider ${session.metadata.issuer} answered the exchange for --exchange-audience ${audience} with a token for another audience`,
      {
        hint: 'check that the provider lets this client exchange tokens for that audience',
      },
    );
  }
  session.logger.debug(`exchanged the login's token for one with the audience ${audience}`);
  return { access_token: token };
}
