/**
 * The real kubectl (v1.32) with the built CLI as its credential plugin, against the test provider
 * and a stand-in API server that checks tokens as kube-apiserver does.
 */
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { delimiter, dirname, join } from 'node:path';
import { before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ensureChromium } from '../support/browser/chromium.ts';
import { CHROMIUM_LOGIN_COMMAND, HTTP_LOGIN_COMMAND } from '../support/browser/drivers.ts';
import { linkCli } from '../support/cli-command.ts';
import type { ApiRequest } from '../support/cluster/api-server.ts';
import { getDemoPods } from '../support/cluster/cluster-run.ts';
import { runKubectl } from '../support/cluster/kubectl.ts';
import { type OidcCluster, type OidcClusterOptions, oidcClusterPerTest } from '../support/cluster/oidc-cluster.ts';
import { parseExecCredential } from '../support/run-cli.ts';
import { describeRun } from '../support/run-process.ts';

/** Each test logs in at most once or twice; a hang fails it instead of stalling the suite. */
const TEST_TIMEOUT_MS = 120_000;
/** A login that has not finished by then has failed; the plugin gives up before kubectl's deadline. */
const AUTHENTICATION_TIMEOUT_SEC = 30;
/** The login name the drivers type; the API server sees its email. */
const LOGIN_USER = 'alice';
const EXPECTED_USERNAME = `${LOGIN_USER}@example.com`;
/** A short ID token lifetime, so that the expiry test waits only a few seconds. */
const SHORT_ID_TOKEN_TTL_SEC = 6;
/** Waited past `exp`, so that the token is expired by any clock that rounds. */
const PAST_EXPIRY_MS = 1_000;
/** Nothing listens on port 1: connecting fails at once. */
const UNREACHABLE_ISSUER = 'http://127.0.0.1:1';
/** The executable name that makes `kubectl oidc-login` find the plugin on PATH. */
const PLUGIN_EXECUTABLE = 'kubectl-oidc_login';

const V1 = 'client.authentication.k8s.io/v1';
const V1BETA1 = 'client.authentication.k8s.io/v1beta1';

const startCluster = oidcClusterPerTest();

/** Starts a cluster with the login user and deadline of these tests, stopped after the test, and runs `body` with it. */
async function withCluster(options: OidcClusterOptions, body: (cluster: OidcCluster) => Promise<void>): Promise<void> {
  await body(
    await startCluster({ loginUser: LOGIN_USER, authenticationTimeoutSec: AUTHENTICATION_TIMEOUT_SEC, ...options }),
  );
}

/** Runs `kubectl get pods`, asserts it listed the demo pod, and that kubectl and the plugin were quiet. */
async function getPods(cluster: OidcCluster): Promise<void> {
  const result = await getDemoPods(cluster);
  assert.equal(result.stderr, '', 'kubectl and the plugin must be quiet on success');
}

/** Asserts that every request since `from` was authenticated as the test user. */
function assertAuthenticatedAsUser(requests: ApiRequest[], from = 0): void {
  const recent = requests.slice(from);
  assert.ok(recent.length > 0, 'kubectl sent no request to the API server');
  for (const request of recent) {
    assert.equal(request.status, 200, `${request.path} got ${request.status}: ${request.error ?? ''}`);
    assert.equal(request.username, EXPECTED_USERNAME, request.path);
  }
}

/** Runs `kubectl get pods` twice and asserts that only the first one logged in. */
async function assertLoginThenCacheHit(cluster: OidcCluster): Promise<void> {
  await getPods(cluster);
  assertAuthenticatedAsUser(cluster.apiServer.requests);
  assert.equal(cluster.provider.counts.authorizations, 1, 'the first run logs in once');
  assert.equal(await cluster.browserRuns(), 1, 'the first run opens the browser once');

  const seen = cluster.apiServer.requests.length;
  await getPods(cluster);
  assertAuthenticatedAsUser(cluster.apiServer.requests, seen);
  assert.deepEqual(cluster.provider.counts, {
    authorizations: 1,
    codeExchanges: 1,
    refreshes: 0,
    refreshErrors: 0,
    passwordGrants: 0,
    devicePolls: 0,
    deviceApprovals: 0,
    clientCredentialsGrants: 0,
  });
  assert.equal(await cluster.browserRuns(), 1, 'a cache hit opens no browser');
}

describe('kubectl with kubelogin as its credential plugin', () => {
  before(() => {
    ensureChromium();
  });

  test(
    'v1 exec block, interactiveMode Never, login in headless Chromium, then a cache hit',
    { timeout: TEST_TIMEOUT_MS },
    () =>
      withCluster(
        { execApiVersion: V1, interactiveMode: 'Never', browserCommand: CHROMIUM_LOGIN_COMMAND },
        assertLoginThenCacheHit,
      ),
  );

  test('v1beta1 exec block, login with the HTTP driver, then a cache hit', { timeout: TEST_TIMEOUT_MS }, () =>
    withCluster({ execApiVersion: V1BETA1, browserCommand: HTTP_LOGIN_COMMAND }, assertLoginThenCacheHit),
  );

  test(
    'an expired ID token is refreshed without a new login and no request is rejected',
    { timeout: TEST_TIMEOUT_MS },
    () =>
      withCluster(
        { execApiVersion: V1, browserCommand: HTTP_LOGIN_COMMAND, provider: { idTokenTTL: SHORT_ID_TOKEN_TTL_SEC } },
        async (cluster) => {
          await getPods(cluster);
          assert.equal(cluster.provider.counts.authorizations, 1);
          const firstExp = Math.max(...cluster.apiServer.requests.map((request) => request.tokenExp ?? 0));
          assert.ok(firstExp > 0, 'the API server saw a token with exp');

          const waitMs = firstExp * 1000 + PAST_EXPIRY_MS - Date.now();
          assert.ok(
            waitMs <= SHORT_ID_TOKEN_TTL_SEC * 1000 + PAST_EXPIRY_MS,
            `token expires too late (in ${waitMs} ms)`,
          );
          await sleep(Math.max(0, waitMs));

          const seen = cluster.apiServer.requests.length;
          await getPods(cluster);
          assert.deepEqual(cluster.provider.counts, {
            authorizations: 1,
            codeExchanges: 1,
            refreshes: 1,
            refreshErrors: 0,
            passwordGrants: 0,
            devicePolls: 0,
            deviceApprovals: 0,
            clientCredentialsGrants: 0,
          });
          assert.equal(await cluster.browserRuns(), 1, 'a refresh opens no browser');
          assertAuthenticatedAsUser(cluster.apiServer.requests, seen);
          const secondExps = cluster.apiServer.requests.slice(seen).map((request) => request.tokenExp ?? 0);
          assert.ok(Math.min(...secondExps) > firstExp, 'the second run presented the refreshed token');
          assert.deepEqual(
            cluster.apiServer.requests.filter((request) => request.status === 401),
            [],
            'the API server never rejected a token',
          );
        },
      ),
  );

  test('kubectl oidc-login get-token finds kubectl-oidc_login on PATH', { timeout: TEST_TIMEOUT_MS }, () =>
    withCluster({ execApiVersion: V1, browserCommand: HTTP_LOGIN_COMMAND }, async (cluster) => {
      const pluginDir = join(cluster.home.home, 'plugins');
      await mkdir(pluginDir);
      const pluginPath = await linkCli(pluginDir, PLUGIN_EXECUTABLE);
      // The login driver's `#!/usr/bin/env node` needs this node on PATH.
      const path = [...new Set([...pluginPath, dirname(process.execPath)]), cluster.home.env['PATH'] ?? ''].join(
        delimiter,
      );
      const env = { ...cluster.home.env, PATH: path, LOGIN_USER, LOGIN_LOG: cluster.loginLogPath };

      // No --kubeconfig: kubectl looks a plugin up only when no flag comes before its name.
      const result = await runKubectl(['oidc-login', ...cluster.getTokenArgs], { env });
      assert.equal(result.code, 0, describeRun('kubectl oidc-login get-token', result));
      const credential = parseExecCredential(result.stdout);
      assert.equal(credential.kind, 'ExecCredential');
      assert.equal(credential.apiVersion, V1BETA1, 'without KUBERNETES_EXEC_INFO the answer is v1beta1');
      assert.ok(Date.parse(credential.status.expirationTimestamp) > Date.now(), 'the token is not expired');
      assert.equal(cluster.provider.counts.authorizations, 1);
      assert.equal(await cluster.browserRuns(), 1);
    }),
  );

  test('a failing plugin makes kubectl fail and show its error line', { timeout: TEST_TIMEOUT_MS }, () =>
    withCluster(
      { execApiVersion: V1, browserCommand: HTTP_LOGIN_COMMAND, issuerUrl: UNREACHABLE_ISSUER },
      async (cluster) => {
        const result = await cluster.kubectl(['get', 'pods']);
        assert.notEqual(result.code, 0, describeRun('kubectl get pods', result));
        assert.equal(result.signal, null, describeRun('kubectl get pods (killed at the deadline)', result));
        assert.match(
          result.stderr,
          /^error: cannot reach the OIDC provider at 127\.0\.0\.1:1\b/m,
          describeRun('kubectl get pods', result),
        );
        assert.match(result.stderr, /getting credentials: exec: executable .+ failed with exit code 1/);
        assert.equal(result.stdout, '');
        assert.equal(await cluster.browserRuns(), 0, 'no browser for an unreachable issuer');
        assert.deepEqual(
          cluster.apiServer.requests.filter((request) => request.status === 200),
          [],
          'nothing was served without credentials',
        );
      },
    ),
  );
});
