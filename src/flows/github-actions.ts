/**
 * The github-actions grant: a GitHub Actions job's OIDC ID token, asked of the
 * runner's token service with the two variables GitHub sets when the job has
 * `permissions: id-token: write`. There is no refresh token: the cached token
 * is used until it nears expiry, then a new one is asked for.
 */
import type { TokenSet } from '../core/credential.ts';
import { ConfigError, NetworkError, UsageError } from '../core/errors.ts';
import type { Logger } from '../io/logger.ts';
import { describeProviderError, type Party } from '../provider/errors.ts';
import type { ProviderHttp } from '../provider/http.ts';
import type { ProviderSession } from '../provider/session.ts';

/** The token service's URL; it already has a query (`api-version=...`). */
const REQUEST_URL_VARIABLE = 'ACTIONS_ID_TOKEN_REQUEST_URL';
/** The bearer token of the token service, valid for the job. */
const REQUEST_TOKEN_VARIABLE = 'ACTIONS_ID_TOKEN_REQUEST_TOKEN';
/** What the job needs for GitHub to set both variables. */
const PERMISSION_HINT =
  'give the job `permissions: id-token: write` (GitHub sets the variables only then; not for pull requests from forks)';
/** The token service, asked with the provider's settings (the github-actions grant, whose provider is GitHub's issuer). */
const SERVICE_WITH_PROVIDER_SETTINGS: Party = {
  name: 'the GitHub Actions token service',
  trust: 'trust its CA with --certificate-authority',
  url: REQUEST_URL_VARIABLE,
};
/** The token service, asked with the system's trust (a token to exchange at another provider, whose settings are not its). */
export const SERVICE_WITH_SYSTEM_TRUST: Party = {
  name: 'the GitHub Actions token service',
  trust: "the system's trust (SSL_CERT_FILE, NODE_EXTRA_CA_CERTS) must hold its CA; the CA flags are the provider's",
  url: REQUEST_URL_VARIABLE,
};
/** The service's words for a refused request token. */
const UNAUTHORIZED_STATUSES = new Set([401, 403]);

/** A variable GitHub sets, or a ConfigError saying what the job lacks. */
function requiredVariable(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value)
    throw new ConfigError(
      `${name} is not set: --grant-type=github-actions runs in a GitHub Actions job allowed to request an ID token`,
      { hint: PERMISSION_HINT },
    );
  return value;
}

/** The token service's URL with `audience` added to its query. */
function requestUrl(raw: string, audience: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`${REQUEST_URL_VARIABLE} is not an absolute URL`);
  }
  url.searchParams.set('audience', audience);
  return url;
}

/** The `value` of the service's JSON answer. */
function tokenOf(body: unknown, host: string): string {
  const value = (body as { value?: unknown } | null)?.value;
  if (typeof value !== 'string' || value === '')
    throw new NetworkError(`the GitHub Actions token service at ${host} answered without a "value" token`);
  return value;
}

/**
 * Asks the token service for the job's ID token for `audience` through
 * `http` (`party` words its failures), unverified: its verifier is whoever
 * it is for (this CLI, or a provider it is exchanged at). The request token
 * and the answer are registered with the redactor.
 */
export async function fetchGitHubActionsToken(
  { http, party }: { http: ProviderHttp; party: Party },
  logger: Logger,
  env: NodeJS.ProcessEnv,
  audience: string,
): Promise<string> {
  const url = requestUrl(requiredVariable(env, REQUEST_URL_VARIABLE), audience);
  const requestToken = requiredVariable(env, REQUEST_TOKEN_VARIABLE);
  logger.redactor.add(requestToken);
  const action = 'the GitHub Actions ID token request';
  let response: Response;
  try {
    response = await http.fetch(url.href, {
      method: 'GET',
      headers: { authorization: `Bearer ${requestToken}`, accept: 'application/json' },
      body: undefined,
      redirect: 'manual',
      signal: AbortSignal.timeout(http.deadlineMs),
    });
  } catch (error) {
    throw describeProviderError(error, action, url.host, party);
  }
  if (!response.ok) {
    const refused = UNAUTHORIZED_STATUSES.has(response.status);
    throw new NetworkError(
      `the GitHub Actions token service at ${url.host} answered ${response.status}${refused ? ` to ${REQUEST_TOKEN_VARIABLE}` : ''}`,
      {
        hint: refused
          ? `${REQUEST_TOKEN_VARIABLE} may belong to another job or have expired; ${PERMISSION_HINT}`
          : 'try again; GitHub may be having trouble',
      },
    );
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch (error) {
    throw new NetworkError(`the GitHub Actions token service at ${url.host} answered with something other than JSON`, {
      cause: error,
    });
  }
  const token = tokenOf(body, url.host);
  logger.redactor.add(token);
  logger.debug(`got an ID token from the GitHub Actions token service for the audience ${audience}`);
  return token;
}

/**
 * The github-actions grant: the job's ID token whose audience is the client
 * ID, verified (signature through the issuer's JWKS, `iss`, `aud`, `exp`).
 */
export async function loginWithGitHubActions(session: ProviderSession, env: NodeJS.ProcessEnv): Promise<TokenSet> {
  // The provider is GitHub's issuer here: its settings are the token service's too.
  const token = await fetchGitHubActionsToken(
    { http: session.http, party: SERVICE_WITH_PROVIDER_SETTINGS },
    session.logger,
    env,
    session.options.clientId,
  );
  await session.verifier.verifyForeignToken(token, 'GitHub Actions ID token');
  return { id_token: token };
}
