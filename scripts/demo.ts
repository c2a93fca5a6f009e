/**
 * `npm run demo [-- --headless]`: kubectl logging in through kubelogin, end to end, on this machine.
 *
 * Starts the embedded test OIDC provider and a stand-in kube-apiserver on loopback, writes a
 * temporary HOME and kubeconfig whose exec block runs this CLI, and runs `kubectl get pods` twice:
 * the first run logs in, the second is answered from kubelogin's token cache. With a display and
 * without --headless the CLI opens the real browser; otherwise the demo user logs in automatically
 * through the HTTP login driver. Everything is deleted afterwards, and the exit status says whether
 * every step did what it should.
 */
import { readdir, readFile } from 'node:fs/promises';
import { constants } from 'node:os';
import { join } from 'node:path';
import { decodeJwt, type JWTPayload } from 'jose';
import { HTTP_LOGIN_COMMAND } from '../test/support/browser/drivers.ts';
import { cliArgv } from '../test/support/cli-command.ts';
import type { ApiRequest } from '../test/support/cluster/api-server.ts';
import { DEMO_POD_NAME } from '../test/support/cluster/kube-api-responses.ts';
import {
  type ClusterKubectlOptions,
  type OidcCluster,
  startOidcCluster,
} from '../test/support/cluster/oidc-cluster.ts';
import type { CliResult } from '../test/support/run-cli.ts';

/** The flag that forces the automatic login even when a display is available. */
const HEADLESS_FLAG = '--headless';
/** Long enough to read the output and rerun kubectl by hand, short enough to show an expiry time. */
const ID_TOKEN_TTL_SEC = 300;
/** Who logs in automatically in headless mode. */
const DEMO_USER = 'demo';
/** The automatic login takes a second or two; a person in a browser gets the CLI's own 180 s. */
const HEADLESS_AUTHENTICATION_TIMEOUT_SEC = 30;
const INTERACTIVE_AUTHENTICATION_TIMEOUT_SEC = 180;
/** kubectl's deadline: the login's timeout plus room for kubectl's own requests. */
const KUBECTL_MARGIN_MS = 30_000;
/** The cache file of a token: a lowercase hex SHA-256 (lock files lie beside it). */
const CACHE_FILE_NAME = /^[0-9a-f]{64}$/;

/** Signals that end the demo early, after cleaning up. */
const STOP_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];
/** Shells report death by signal N as exit status 128 + N. */
const SIGNAL_EXIT_BASE = 128;

/** A step that did not do what the demo promises. */
class DemoFailure extends Error {}

function say(text = ''): void {
  process.stdout.write(`${text}\n`);
}

function check(condition: boolean, message: string): asserts condition {
  if (!condition) throw new DemoFailure(message);
}

/** True when the CLI can open a real browser window here. */
function hasDisplay(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env['DISPLAY'] || env['WAYLAND_DISPLAY']);
}

/** Reads the one cached token set and decodes its ID token (without verifying: the CLI and API server did). */
async function cachedIdTokenClaims(cacheDir: string): Promise<JWTPayload> {
  const files = (await readdir(cacheDir)).filter((name) => CACHE_FILE_NAME.test(name));
  check(files.length === 1, `expected one token in ${cacheDir}, found ${files.length}`);
  const cached = JSON.parse(await readFile(join(cacheDir, files[0] as string), 'utf8')) as { id_token?: string };
  check(typeof cached.id_token === 'string', 'the token cache holds no ID token');
  return decodeJwt(cached.id_token);
}

/** Runs `kubectl get pods` with its output shown, and checks that it listed the demo pod. */
async function getPods(
  cluster: OidcCluster,
  run: string,
  kubectl: ClusterKubectlOptions,
): Promise<{ result: CliResult; requests: ApiRequest[] }> {
  say(`$ kubectl --kubeconfig=${cluster.kubeconfigPath} get pods   # ${run}`);
  const seen = cluster.apiServer.requests.length;
  const started = Date.now();
  const result = await cluster.kubectl(['get', 'pods'], { ...kubectl, echo: true });
  say(`(${((Date.now() - started) / 1000).toFixed(1)} s)`);
  say();
  check(result.code === 0, `kubectl get pods (${run}) exited with ${result.code ?? result.signal}`);
  check(result.stdout.includes(DEMO_POD_NAME), `kubectl get pods (${run}) did not list ${DEMO_POD_NAME}`);
  const requests = cluster.apiServer.requests.slice(seen);
  const rejected = requests.filter((request) => request.status !== 200);
  check(
    rejected.length === 0,
    `the API server rejected ${rejected.map((request) => `${request.path} (${request.error ?? request.status})`).join(', ')}`,
  );
  return { result, requests };
}

/** `1 request`, `5 requests`. */
function countOf(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function describeExpiry(exp: number | undefined): string {
  if (exp === undefined) return 'no exp claim';
  const seconds = Math.round(exp - Date.now() / 1000);
  return `${new Date(exp * 1000).toISOString()} (in ${Math.floor(seconds / 60)} min ${seconds % 60} s)`;
}

async function runDemo(cluster: OidcCluster, interactive: boolean, kubectl: ClusterKubectlOptions): Promise<void> {
  const { provider, apiServer, home } = cluster;
  say(`OIDC provider (issuer):  ${provider.issuer}`);
  say(`API server:              ${apiServer.url} (accepts ID tokens from that issuer, audience kubernetes)`);
  say(`Temporary HOME:          ${home.home}`);
  say(`kubeconfig exec plugin:  ${cliArgv(cluster.getTokenArgs).join(' ')}`);
  say();
  say(
    interactive
      ? "Your browser will open on the provider's login page: log in with any username and any password, then confirm the consent page."
      : `No browser here (or ${HEADLESS_FLAG}): the user "${DEMO_USER}" logs in automatically through the HTTP login driver.`,
  );
  say();

  const first = await getPods(cluster, 'first run: no cached token, so kubelogin logs in', kubectl);
  const afterFirst = { ...provider.counts };
  check(afterFirst.authorizations === 1, `the first run made ${afterFirst.authorizations} authorizations, expected 1`);

  const second = await getPods(cluster, 'second run: kubelogin should answer from its cache', kubectl);
  check(provider.counts.authorizations === 1, 'the second run logged in again instead of using the cache');
  check(provider.counts.refreshes === 0, 'the second run refreshed the token instead of using the cache');

  const [identity] = first.requests;
  check(identity?.username !== undefined, 'the API server recorded no user');
  const claims = await cachedIdTokenClaims(home.cacheDir);
  const tokenExps = new Set([...first.requests, ...second.requests].map((request) => request.tokenExp));
  check(tokenExps.size === 1, 'the two runs presented different tokens');

  say('What happened');
  say(`  Issuer:          ${provider.issuer}`);
  say(
    `  Logged in as:    ${identity.username} (groups: ${identity.groups?.join(', ') || 'none'}), as the API server saw it`,
  );
  say(`  Token expires:   ${describeExpiry(claims.exp)}`);
  say(`  ID token claims (from kubelogin's cache in ${home.cacheDir}):`);
  for (const line of JSON.stringify(claims, null, 2).split('\n')) say(`    ${line}`);
  say(
    `  First run:       logged in: ${countOf(afterFirst.authorizations, 'authorization')} and ${countOf(afterFirst.codeExchanges, 'code exchange')} at the provider; ` +
      `the API server accepted ${countOf(first.requests.length, 'request')} with the new ID token.`,
  );
  say(
    `  Second run:      answered from the cache: no new authorization, no refresh; ` +
      `the API server accepted ${countOf(second.requests.length, 'request')} with the same token.`,
  );
}

async function main(): Promise<number> {
  const headless = process.argv.slice(2).includes(HEADLESS_FLAG) || !hasDisplay(process.env);
  const authenticationTimeoutSec = headless
    ? HEADLESS_AUTHENTICATION_TIMEOUT_SEC
    : INTERACTIVE_AUTHENTICATION_TIMEOUT_SEC;
  say(
    `kubelogin demo: kubectl get pods through kubelogin (${headless ? 'headless, automatic login' : 'log in in your browser'})`,
  );
  say();
  const cluster = await startOidcCluster({
    execApiVersion: 'client.authentication.k8s.io/v1',
    interactiveMode: 'Never',
    provider: { idTokenTTL: ID_TOKEN_TTL_SEC },
    browserCommand: headless ? HTTP_LOGIN_COMMAND : undefined,
    loginUser: DEMO_USER,
    authenticationTimeoutSec,
  });
  // Ctrl-C while the browser login waits (or a SIGTERM) still stops the servers and deletes the files.
  const interrupted = new AbortController();
  const stop = (signal: NodeJS.Signals) => {
    interrupted.abort();
    cluster.close().finally(() => process.exit(SIGNAL_EXIT_BASE + constants.signals[signal]));
  };
  for (const signal of STOP_SIGNALS) process.once(signal, stop);
  try {
    await runDemo(cluster, !headless, {
      timeoutMs: authenticationTimeoutSec * 1000 + KUBECTL_MARGIN_MS,
      signal: interrupted.signal,
    });
    say();
    say('Demo succeeded. Cleaning up: servers stopped, temporary HOME and kubeconfig deleted.');
    return 0;
  } catch (error) {
    process.stderr.write(
      `\ndemo failed: ${error instanceof DemoFailure ? error.message : ((error as Error).stack ?? error)}\n`,
    );
    if (cluster.provider.errors.length > 0)
      process.stderr.write(`provider errors:\n  ${cluster.provider.errors.join('\n  ')}\n`);
    return 1;
  } finally {
    for (const signal of STOP_SIGNALS) process.removeListener(signal, stop);
    await cluster.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`demo failed: ${(error as Error).stack ?? error}\n`);
    process.exitCode = 1;
  },
);
