/**
 * The real kubectl (v1.32) with the built CLI as its credential plugin, for the grants without a
 * loopback redirect: the device authorization grant (RFC 8628), approved by a fake browser that
 * `--browser-command` starts, and the client credentials grant, whose JWT access token is what
 * kubectl sends. The stand-in API server checks every token as kube-apiserver does.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { ensureChromium } from '../support/browser/chromium.ts';
import { CHROMIUM_DEVICE_APPROVE_COMMAND, HTTP_DEVICE_APPROVE_COMMAND } from '../support/browser/drivers.ts';
import type { ApiRequest } from '../support/cluster/api-server.ts';
import { getDemoPods } from '../support/cluster/cluster-run.ts';
import { type OidcCluster, type OidcClusterOptions, oidcClusterPerTest } from '../support/cluster/oidc-cluster.ts';
import { API_AUDIENCE, API_RESOURCE, type ProviderCounts, TEST_CLIENTS } from '../support/provider/test-provider.ts';

/** Each test logs in at most once; a hang fails it instead of stalling the suite. */
const TEST_TIMEOUT_MS = 120_000;
/** A device approval that has not finished by then has failed; the plugin gives up before kubectl's deadline. */
const AUTHENTICATION_TIMEOUT_SEC = 30;
/** The login name the device drivers type; the API server sees its email. */
const LOGIN_USER = 'alice';
const EXPECTED_USER_EMAIL = `${LOGIN_USER}@example.com`;
/** What the CLI prints on stderr in the device flow, alone on its line. */
const DEVICE_PROMPT = /^To log in, open (\S+) \(code (\S+)\)$/;
/** The claim naming the client in a client credentials token: oidc-provider puts the client ID in `sub`. */
const CLIENT_USERNAME_CLAIM = 'sub';

const V1 = 'client.authentication.k8s.io/v1';

const startCluster = oidcClusterPerTest();

/** Starts a cluster with a v1 exec block in interactiveMode Never, stopped after the test, and runs `body` with it. */
async function withCluster(
  options: Omit<OidcClusterOptions, 'execApiVersion'>,
  body: (cluster: OidcCluster) => Promise<void>,
): Promise<void> {
  await body(
    await startCluster({
      execApiVersion: V1,
      interactiveMode: 'Never',
      loginUser: LOGIN_USER,
      authenticationTimeoutSec: AUTHENTICATION_TIMEOUT_SEC,
      ...options,
    }),
  );
}

/** Asserts that every request since `from` was authenticated as `username`. */
function assertAuthenticatedAs(requests: ApiRequest[], username: string, from = 0): void {
  const recent = requests.slice(from);
  assert.ok(recent.length > 0, 'kubectl sent no request to the API server');
  for (const request of recent) {
    assert.equal(request.status, 200, `${request.path} got ${request.status}: ${request.error ?? ''}`);
    assert.equal(request.username, username, request.path);
  }
}

/** Asserts that `stderr` is the device prompt alone, once, pointing at the provider, and returns its URL. */
function assertDevicePromptOnce(stderr: string, issuer: string): URL {
  const lines = stderr.split('\n').filter((line) => line !== '');
  const prompts = lines.filter((line) => DEVICE_PROMPT.test(line));
  assert.equal(prompts.length, 1, `the device prompt must be shown exactly once:\n${stderr}`);
  assert.deepEqual(lines, prompts, `nothing but the device prompt on stderr:\n${stderr}`);
  const [, url, userCode] = DEVICE_PROMPT.exec(prompts[0] as string) ?? [];
  const verification = new URL(url as string);
  assert.equal(verification.origin, issuer, "the verification URL is the provider's");
  assert.equal(
    verification.searchParams.get('user_code'),
    userCode,
    'the complete verification URL carries the user code shown',
  );
  return verification;
}

/**
 * The device flow through kubectl: the first `kubectl get pods` shows the prompt, the fake browser
 * approves the device, the API server sees the user; the second run is a cache hit.
 */
async function assertDeviceLoginThenCacheHit(cluster: OidcCluster): Promise<void> {
  const first = await getDemoPods(cluster);
  assertDevicePromptOnce(first.stderr, cluster.provider.issuer);
  assertAuthenticatedAs(cluster.apiServer.requests, EXPECTED_USER_EMAIL);
  assert.equal(cluster.provider.counts.deviceApprovals, 1, 'the first run is approved once');
  assert.ok(cluster.provider.counts.devicePolls >= 1, 'the plugin polled the token endpoint');
  assert.equal(cluster.provider.counts.codeExchanges, 0, 'no authorization code flow');
  assert.deepEqual(cluster.provider.errors, [], 'the provider refused nothing');
  assert.equal(await cluster.browserRuns(), 1, 'the verification URL was opened once');

  const countsAfterLogin: ProviderCounts = { ...cluster.provider.counts };
  const seen = cluster.apiServer.requests.length;
  const second = await getDemoPods(cluster);
  assert.equal(second.stderr, '', 'a cache hit is quiet');
  assertAuthenticatedAs(cluster.apiServer.requests, EXPECTED_USER_EMAIL, seen);
  assert.deepEqual(cluster.provider.counts, countsAfterLogin, 'a cache hit asks the provider nothing');
  assert.equal(await cluster.browserRuns(), 1, 'a cache hit opens no browser');
}

describe('kubectl with kubelogin for the device code and client credentials grants', () => {
  before(() => {
    ensureChromium();
  });

  test('device code approved over HTTP, then a cache hit', { timeout: TEST_TIMEOUT_MS }, () =>
    withCluster(
      { grantType: 'device-code', browserCommand: HTTP_DEVICE_APPROVE_COMMAND },
      assertDeviceLoginThenCacheHit,
    ),
  );

  test('device code approved in headless Chromium, then a cache hit', { timeout: TEST_TIMEOUT_MS }, () =>
    withCluster(
      { grantType: 'device-code', browserCommand: CHROMIUM_DEVICE_APPROVE_COMMAND },
      assertDeviceLoginThenCacheHit,
    ),
  );

  test('client credentials: kubectl sends the JWT access token, then a cache hit', { timeout: TEST_TIMEOUT_MS }, () =>
    withCluster(
      {
        grantType: 'client-credentials',
        clientId: TEST_CLIENTS.confidential,
        clientSecret: TEST_CLIENTS.confidentialSecret,
        extraScopes: [],
        extraParams: { resource: API_RESOURCE },
        audience: API_AUDIENCE,
        usernameClaim: CLIENT_USERNAME_CLAIM,
      },
      async (cluster) => {
        const expectedUsername = `${cluster.provider.issuer}#${TEST_CLIENTS.confidential}`;
        const first = await getDemoPods(cluster);
        assert.equal(first.stderr, '', 'no browser, no prompt: kubectl and the plugin are quiet');
        assertAuthenticatedAs(cluster.apiServer.requests, expectedUsername);
        assert.equal(cluster.provider.counts.clientCredentialsGrants, 1, 'the first run gets one token');
        assert.equal(
          cluster.provider.lastClientCredentialsAuthScheme,
          'Basic',
          'the client authenticates with HTTP Basic',
        );
        const params = cluster.provider.lastClientCredentialsParams;
        assert.equal(params?.['resource'], API_RESOURCE, 'the extra params are form fields of the token request');
        assert.equal(params?.['client_secret'], undefined, 'the secret is not in the form');
        assert.deepEqual(cluster.provider.errors, [], 'the provider refused nothing');
        assert.equal(await cluster.browserRuns(), 0, 'client credentials open no browser');

        const seen = cluster.apiServer.requests.length;
        const second = await getDemoPods(cluster);
        assert.equal(second.stderr, '', 'a cache hit is quiet');
        assertAuthenticatedAs(cluster.apiServer.requests, expectedUsername, seen);
        assert.deepEqual(cluster.provider.counts, {
          authorizations: 0,
          codeExchanges: 0,
          refreshes: 0,
          refreshErrors: 0,
          passwordGrants: 0,
          devicePolls: 0,
          deviceApprovals: 0,
          clientCredentialsGrants: 1,
        });
      },
    ),
  );
});
