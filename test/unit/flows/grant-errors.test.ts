/**
 * How the grants without a person word what went wrong: the provider's OAuth
 * error (token exchange, client credentials), the GitHub Actions token
 * service's status, a connection that failed, and a timeout. The grants run
 * against a session whose network is a function: it answers as a provider
 * would, or fails as the provider's fetch (provider/http.ts) does.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AuthError,
  ConfigError,
  type KubeloginError,
  NetworkError,
  TimeoutError,
  UsageError,
} from '../../../src/core/errors.ts';
import type { ProviderOptions } from '../../../src/core/options.ts';
import { loginWithClientCredentials } from '../../../src/flows/client-credentials.ts';
import { loginWithGitHubActions } from '../../../src/flows/github-actions.ts';
import { loginWithTokenExchange } from '../../../src/flows/token-exchange.ts';
import {
  STAND_IN_CLIENT_SECRET as CLIENT_SECRET,
  failing,
  STAND_IN_HOST as HOST,
  json,
  type Network,
  sessionOver,
  stalling,
} from '../../support/session-stand-in.ts';

/** GitHub's token service, as ACTIONS_ID_TOKEN_REQUEST_URL names it (with a query already). */
const CI_HOST = 'pipelines.actions.example';
const CI_ENV = {
  ACTIONS_ID_TOKEN_REQUEST_URL: `https://${CI_HOST}/_apis/token?api-version=2.0`,
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'request-token-of-the-job',
};
const EXCHANGE = { source: { kind: 'github-actions' }, type: 'urn:ietf:params:oauth:token-type:id_token' } as const;

/** The GitHub Actions token service answering with a (not verified here) token, and the provider answering `provider`. */
function withCiToken(provider: Network): Network {
  return (url, init) =>
    url.host === CI_HOST ? Promise.resolve(json(200, { value: 'a-ci-token' })) : provider(url, init);
}

/** The error `login` fails with; fails when it succeeds. */
async function failureOf(login: Promise<unknown>): Promise<KubeloginError> {
  try {
    await login;
  } catch (error) {
    return error as KubeloginError;
  }
  assert.fail('the login succeeded');
}

/** Asserts the class, the message and that no secret of the run is in it. */
function assertError(error: KubeloginError, type: abstract new (...args: never[]) => Error, message: string): void {
  assert.ok(error instanceof type, `${error.name}: ${error.message}`);
  assert.equal(error.message, message);
  for (const secret of [CLIENT_SECRET, CI_ENV.ACTIONS_ID_TOKEN_REQUEST_TOKEN, 'a-ci-token'])
    assert.ok(!error.message.includes(secret) && !error.hint?.includes(secret), `${secret} in the error`);
}

describe('token exchange errors', () => {
  const exchange = async (provider: Network) =>
    failureOf(loginWithTokenExchange(await sessionOver(withCiToken(provider)), EXCHANGE, CI_ENV));

  it("names the provider's refusal and carries its OAuth error: invalid_target, unauthorized_client", async () => {
    const target = await exchange(async () =>
      json(400, { error: 'invalid_target', error_description: 'the audience is not allowed' }),
    );
    assertError(target, AuthError, `the token exchange at ${HOST} failed: invalid_target: the audience is not allowed`);
    assert.equal((target as AuthError).oauthError, 'invalid_target');
    const unauthorized = await exchange(async () => json(400, { error: 'unauthorized_client' }));
    assertError(unauthorized, AuthError, `the token exchange at ${HOST} failed: unauthorized_client`);
    assert.equal((unauthorized as AuthError).oauthError, 'unauthorized_client');
  });

  it('names the host and the reason when the connection fails', async () => {
    assertError(
      await exchange(() => failing('ECONNREFUSED')),
      NetworkError,
      `cannot reach the OIDC provider at ${HOST} (the token exchange): connection refused`,
    );
  });

  it('says which timeout passed: the response timeout, or the whole request', async () => {
    assertError(
      await exchange(() => failing('UND_ERR_HEADERS_TIMEOUT')),
      TimeoutError,
      `the OIDC provider at ${HOST} did not answer within 30s (the token exchange)`,
    );
    assertError(
      await exchange((_url, init) => stalling(init)),
      TimeoutError,
      `the token exchange at ${HOST} did not answer in time`,
    );
  });
});

describe('client credentials errors', () => {
  const clientCredentials = async (provider: Network, options: Partial<ProviderOptions> = {}) =>
    failureOf(loginWithClientCredentials(await sessionOver(provider, options)));

  it('names invalid_client in the body of a 401, or in its WWW-Authenticate challenge', async () => {
    const inBody = await clientCredentials(async () =>
      json(401, { error: 'invalid_client', error_description: 'client authentication failed' }),
    );
    assertError(
      inBody,
      AuthError,
      `the client credentials grant at ${HOST} failed: invalid_client: client authentication failed`,
    );
    assert.equal((inBody as AuthError).oauthError, 'invalid_client');
    const inChallenge = await clientCredentials(async () =>
      json(
        401,
        { error: 'invalid_client' },
        { 'www-authenticate': 'Basic realm="sso", error="invalid_client", error_description="unknown client"' },
      ),
    );
    assertError(
      inChallenge,
      AuthError,
      `the client credentials grant at ${HOST} failed: invalid_client: unknown client`,
    );
    assert.equal((inChallenge as AuthError).oauthError, 'invalid_client');
  });

  it('names the host and the reason when the connection fails, and the timeout that passed', async () => {
    assertError(
      await clientCredentials(() => failing('ENOTFOUND')),
      NetworkError,
      `cannot reach the OIDC provider at ${HOST} (the client credentials grant): host not found (DNS)`,
    );
    assertError(
      await clientCredentials(() => failing('UND_ERR_CONNECT_TIMEOUT')),
      TimeoutError,
      `the OIDC provider at ${HOST} did not accept a connection within 10s (the client credentials grant)`,
    );
  });

  it('needs a secret or a key before any request', async () => {
    let requests = 0;
    const error = await clientCredentials(
      async () => {
        requests += 1;
        return json(500, {});
      },
      { clientSecret: undefined },
    );
    assertError(error, UsageError, '--grant-type=client-credentials needs --oidc-client-secret');
    assert.equal(requests, 0);
  });
});

describe('GitHub Actions token service errors', () => {
  const githubActions = async (service: Network, env: NodeJS.ProcessEnv = CI_ENV) =>
    failureOf(loginWithGitHubActions(await sessionOver(service), env));

  it('names the request token variable on a 401 or 403, with what the job needs', async () => {
    for (const status of [401, 403]) {
      const error = await githubActions(async () => json(status, { message: 'Unauthorized' }));
      assertError(
        error,
        NetworkError,
        `the GitHub Actions token service at ${CI_HOST} answered ${status} to ACTIONS_ID_TOKEN_REQUEST_TOKEN`,
      );
      assert.match(error.hint ?? '', /may belong to another job or have expired; .*permissions: id-token: write/);
    }
  });

  it('names the service on a 500, and says to try again', async () => {
    const error = await githubActions(async () => json(500, { message: 'Internal Server Error' }));
    assertError(error, NetworkError, `the GitHub Actions token service at ${CI_HOST} answered 500`);
    assert.equal(error.hint, 'try again; GitHub may be having trouble');
  });

  it('says when the answer holds no token', async () => {
    assertError(
      await githubActions(async () => json(200, { count: 0 })),
      NetworkError,
      `the GitHub Actions token service at ${CI_HOST} answered without a "value" token`,
    );
  });

  it('names the host and the reason when the connection fails, and the timeout that passed', async () => {
    assertError(
      await githubActions(() => failing('ECONNRESET')),
      NetworkError,
      `cannot reach the GitHub Actions token service at ${CI_HOST} (the GitHub Actions ID token request): connection reset`,
    );
    assertError(
      await githubActions((_url, init) => stalling(init)),
      TimeoutError,
      `the GitHub Actions ID token request at ${CI_HOST} did not answer in time`,
    );
  });

  it('says what the job lacks when a variable is missing, before any request', async () => {
    let requests = 0;
    const error = await githubActions(
      async () => {
        requests += 1;
        return json(500, {});
      },
      { ACTIONS_ID_TOKEN_REQUEST_URL: CI_ENV.ACTIONS_ID_TOKEN_REQUEST_URL },
    );
    assert.ok(error instanceof ConfigError);
    assert.match(error.message, /^ACTIONS_ID_TOKEN_REQUEST_TOKEN is not set: /);
    assert.match(error.hint ?? '', /permissions: id-token: write/);
    assert.equal(requests, 0);
  });
});
