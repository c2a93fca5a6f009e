/**
 * The token-exchange grant (RFC 8693): a CI token (GitHub Actions' or one in
 * a file) exchanged at the provider's token endpoint for the provider's own
 * token, so a cluster trusts one issuer whatever the CI.
 */
import * as client from 'openid-client';
import type { TokenSet } from '../core/credential.ts';
import type { SubjectToken } from '../core/options.ts';
import { readTokenFile } from '../io/token-file.ts';
import { requestTokens } from '../provider/grant-request.ts';
import type { ProviderSession } from '../provider/session.ts';
import { fetchGitHubActionsToken, SERVICE_WITH_SYSTEM_TRUST } from './github-actions.ts';

/** The grant type of RFC 8693. */
export const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
/** The token types of RFC 8693 section 3 asked for and sent. */
export const ID_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:id_token';
export const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';

/**
 * The subject token: the job's GitHub Actions token for the client ID as
 * audience (asked with the system's trust: the CA flags, skip-verify and
 * request headers are the provider's), or the file's (read and checked like
 * --token-file).
 */
async function subjectTokenOf(
  session: ProviderSession,
  subject: SubjectToken,
  env: NodeJS.ProcessEnv,
): Promise<string> {
  if (subject.source.kind === 'github-actions')
    return fetchGitHubActionsToken(
      { http: session.serviceHttp, party: SERVICE_WITH_SYSTEM_TRUST },
      session.logger,
      env,
      session.options.clientId,
    );
  const { token } = readTokenFile(subject.source.path, session.now(), 'subject-token-source');
  session.logger.redactor.add(token);
  return token;
}

/**
 * Exchanges the subject token. It asks for an ID token for the client (what
 * kubectl gets by default) unless --oidc-use-access-token asks for an access
 * token; RFC 8693 returns either in `access_token`, and `issued_token_type`
 * says which: an ID token is verified as one (aud = the client ID), anything
 * else must be a JWT access token. Refusals (invalid_target,
 * unauthorized_client, invalid_grant) are the provider's answer in words.
 */
export async function loginWithTokenExchange(
  session: ProviderSession,
  subject: SubjectToken,
  env: NodeJS.ProcessEnv,
): Promise<TokenSet> {
  const subjectToken = await subjectTokenOf(session, subject, env);
  const scope = session.options.extraScopes.join(' ');
  const parameters: Record<string, string> = {
    ...session.options.authRequestExtraParams,
    subject_token: subjectToken,
    subject_token_type: subject.type,
    requested_token_type: session.options.useAccessToken ? ACCESS_TOKEN_TYPE : ID_TOKEN_TYPE,
    ...(scope ? { scope } : {}),
  };
  return requestTokens(
    session,
    'the token exchange',
    async () => {
      const response = await client.genericGrantRequest(session.config, TOKEN_EXCHANGE_GRANT, parameters);
      const issued = (response as { issued_token_type?: unknown }).issued_token_type;
      // RFC 8693 puts the issued token in access_token whatever its type; an ID token goes where the verifier reads one.
      if (issued === ID_TOKEN_TYPE && !session.options.useAccessToken)
        (response as { id_token?: string }).id_token = response.access_token;
      return response;
    },
    { accessTokenSuffices: true },
  );
}
