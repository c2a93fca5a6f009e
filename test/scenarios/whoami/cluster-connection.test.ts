/**
 * How whoami reaches the cluster, as kubectl does: never over plain http, at the server URL's
 * path, with `tls-server-name`, through HTTPS_PROXY unless NO_PROXY says otherwise; and what it
 * does with an API server that misbehaves: a redirect is reported (another server's answer is not
 * the cluster's), an answer too large or too slow ends the run instead of its memory or patience.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readOnlyEntry } from '../../support/cache-entries.ts';
import { assertOneLineError } from '../../support/cli-outcome.ts';
import type { ApiServer, ApiServerOptions } from '../../support/cluster/api-server.ts';
import { type KubeconfigOptions, writeKubeconfig } from '../../support/cluster/kubeconfig.ts';
import { closeServer, listenOnLoopback } from '../../support/provider/loopback-server.ts';
import { startRecordingProxy } from '../../support/provider/recording-proxy.ts';
import type { CliResult } from '../../support/run-cli.ts';
import { serverForAll } from '../../support/server-for-all.ts';
import { WORLD_CONTEXT as CONTEXT, worldForAll } from '../../support/world.ts';

/** The path of SelfSubjectReview, as the API server stand-in records it. */
const REVIEW_PATH = '/apis/authentication.k8s.io/v1/selfsubjectreviews';
/** A name only the recording proxy resolves (RFC 6761 reserves .test). */
const CLUSTER_HOST = 'cluster.test';
/** The proxy variables of the machine running the tests, unset so only what a test sets applies. */
const NO_PROXY_VARIABLES: NodeJS.ProcessEnv = Object.fromEntries(
  ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy'].map((name) => [name, undefined]),
);
/** The connect and response timeouts of whoami's request in the deadline test (test-only variable). */
const CLUSTER_TIMEOUT_MS = 500;

describe('whoami and the connection to the cluster', () => {
  const world = worldForAll({ apiServer: {} });
  /** An http server that records whether a request carried an Authorization header. */
  const plainHttp = serverForAll(async () => {
    const authorizations: Array<string | undefined> = [];
    const server = createServer((request, response) => {
      authorizations.push(request.headers.authorization);
      response.writeHead(401, { 'content-type': 'application/json' }).end('{}');
    });
    const port = await listenOnLoopback(server);
    return { url: `http://127.0.0.1:${port}`, authorizations, close: () => closeServer(server) };
  });
  const proxy = serverForAll(() => startRecordingProxy({ hosts: { [CLUSTER_HOST]: '127.0.0.1' } }));

  /** A kubeconfig for `server` at `url` (default its own; the world's user and exec block) at a new path, with `cluster` settings. */
  let kubeconfigs = 0;
  async function kubeconfigFor(
    server: Pick<ApiServer, 'url' | 'certificateAuthorityData'>,
    url = server.url,
    cluster: Partial<KubeconfigOptions> = {},
  ): Promise<string> {
    const path = join(world().home.home, `kubeconfig-${++kubeconfigs}`);
    await writeKubeconfig(path, {
      server: url,
      certificateAuthorityData: server.certificateAuthorityData,
      execApiVersion: 'client.authentication.k8s.io/v1',
      command: 'kubelogin',
      args: world().args,
      ...cluster,
    });
    return path;
  }
  /** whoami on `kubeconfig`, with the world's token cached. */
  async function whoami(kubeconfig: string, env: NodeJS.ProcessEnv = {}, timeoutMs?: number): Promise<CliResult> {
    if ((await world().getToken()).code !== 0) throw new Error('the login failed');
    return world().run(['whoami', `--kubeconfig=${kubeconfig}`], {
      env: { ...NO_PROXY_VARIABLES, ...env },
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
    });
  }
  /** Another API server stand-in, trusting the world's provider. */
  const apiServer = (options: Partial<ApiServerOptions>): Promise<ApiServer> => world().startApiServer(options);
  /** Asserts that no cached token is in the run's output. */
  async function assertNoToken(result: CliResult): Promise<void> {
    const entry = await readOnlyEntry(world().cacheDir);
    for (const token of [entry.id_token, entry.refresh_token, entry.access_token])
      if (token) assert.ok(!`${result.stdout}${result.stderr}`.includes(token), 'a token was printed');
  }

  it('sends no token to a server over plain http, refusing it in one line that names the server', async () => {
    const kubeconfig = await kubeconfigFor(world().apiServer, plainHttp().url);
    const result = await whoami(kubeconfig);
    assertOneLineError(
      result,
      new RegExp(
        `^error: the server ${plainHttp().url} of the cluster ${CONTEXT} \\(context ${CONTEXT} in ${kubeconfig}\\) is not https: kubelogin sends no token over it, as kubectl sends none$`,
      ),
    );
    assert.deepEqual(plainHttp().authorizations, [], 'a request reached the http server');
  });

  it("keeps the path of the server URL (a cluster behind Rancher's /k8s/clusters/<id>)", async () => {
    const prefix = '/k8s/clusters/c-xyz';
    const server = await apiServer({ pathPrefix: prefix });
    const result = await whoami(await kubeconfigFor(server, `${server.url}${prefix}`));
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /The cluster .* says\n {2}username /);
    assert.deepEqual(
      server.requests.map((request) => request.path),
      [REVIEW_PATH],
    );
  });

  it("verifies the cluster's certificate for its tls-server-name", async () => {
    const server = await apiServer({ certificateNames: ['DNS:kubernetes.test'] });
    const result = await whoami(await kubeconfigFor(server, server.url, { tlsServerName: 'kubernetes.test' }));
    assert.equal(result.code, 0, result.stderr);
    assert.equal(server.requests.at(-1)?.path, REVIEW_PATH);
  });

  it('goes through HTTPS_PROXY, and directly for a host in NO_PROXY', async () => {
    const server = await apiServer({ certificateNames: [`DNS:${CLUSTER_HOST}`] });
    const target = `${CLUSTER_HOST}:${new URL(server.url).port}`;
    const kubeconfig = await kubeconfigFor(server, `https://${target}`);
    const proxied = await whoami(kubeconfig, { HTTPS_PROXY: proxy().url });
    assert.equal(proxied.code, 0, proxied.stderr);
    assert.ok(proxy().targets.includes(target), `the proxy saw ${proxy().targets.join(', ')}`);

    // cluster.test resolves only in the proxy: directly, it is not found.
    const direct = await whoami(kubeconfig, { HTTPS_PROXY: proxy().url, NO_PROXY: CLUSTER_HOST });
    assertOneLineError(direct, new RegExp(`^error: cannot reach the API server https://${target} .*: host not found$`));
  });

  it("reports a redirect instead of following it: another server's answer is not the cluster's", async () => {
    const elsewhere = world().apiServer;
    const requestsElsewhere = elsewhere.requests.length;
    const server = await apiServer({ reviewQuirk: { redirectTo: `${elsewhere.url}${REVIEW_PATH}` } });
    const result = await whoami(await kubeconfigFor(server));
    assert.equal(result.code, 1, result.stderr);
    assert.equal(result.stdout, '');
    assert.match(
      result.stderr,
      new RegExp(
        `^error: the API server ${server.url} \\(context ${CONTEXT} in \\S+\\) answered the SelfSubjectReview with a redirect \\(HTTP 307 to ${elsewhere.url}${REVIEW_PATH}\\), which kubelogin does not follow`,
      ),
    );
    assert.equal(elsewhere.requests.length, requestsElsewhere, 'the redirect was followed');
    await assertNoToken(result);
    for (let level = 1; level <= 9; level++)
      await assertNoToken(await world().run(['whoami', `--kubeconfig=${await kubeconfigFor(server)}`, `-v${level}`]));
  });

  it('stops reading an answer larger than a review can be', async () => {
    const server = await apiServer({ reviewQuirk: { bodyBytes: 64 * 1024 * 1024 } });
    const result = await whoami(await kubeconfigFor(server));
    assertOneLineError(
      result,
      new RegExp(
        `^error: the answer of the API server ${server.url} \\(context ${CONTEXT} in \\S+\\) to a SelfSubjectReview is larger than 1048576 bytes: not a review$`,
      ),
    );
    const sent = server.requests.at(-1)?.bytesSent ?? 0;
    assert.ok(sent < 16 * 1024 * 1024, `the whole answer was read: ${sent} bytes`);
  });

  it('gives up on an answer that trickles in past the deadline', { timeout: 30_000 }, async () => {
    const server = await apiServer({ reviewQuirk: { dripEveryMs: 100 } });
    const started = Date.now();
    const result = await whoami(
      await kubeconfigFor(server),
      { KUBELOGIN_TEST_CLUSTER_TIMEOUT_MS: String(CLUSTER_TIMEOUT_MS) },
      20_000,
    );
    assertOneLineError(
      result,
      new RegExp(
        `^error: the API server ${server.url} \\(context ${CONTEXT} in \\S+\\) did not finish its answer within 6s$`,
      ),
    );
    assert.ok(Date.now() - started < 15_000, 'the run was not ended by its deadline');
  });
});
