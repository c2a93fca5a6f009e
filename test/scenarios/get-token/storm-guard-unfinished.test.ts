/**
 * The storm guard records only a browser (or device) login the person left unfinished: not a token
 * request that timed out after the browser part had finished, so the next background run may log
 * in once the provider has recovered; and with --token-cache-storage=none it writes nothing.
 */
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { HTTP_DEVICE_APPROVE_COMMAND } from '../../support/browser/drivers.ts';
import { type CliFixture, startCliFixture } from '../../support/cli-fixture.ts';
import { assertLoggedIn } from '../../support/cli-outcome.ts';
import { STALLING_PROXY_HOST, type StallingProxy, startStallingProxy } from '../../support/provider/stalling-proxy.ts';
import { type CliResult, NON_INTERACTIVE_EXEC_INFO, runCli } from '../../support/run-cli.ts';

/** Shortens the provider's connect and response timeouts (10 s and 30 s) to one second. */
const PROVIDER_TIMEOUT_ENV = { KUBELOGIN_TEST_PROVIDER_TIMEOUT_MS: '1000' };
/** The marker of an unfinished login for the guard: `unfinished-logins` in kubelogin's user cache directory. */
const MARKER_DIRECTORY = join('kubelogin', 'unfinished-logins');
/** Each test runs the CLI twice or three times, with timeouts of a second or so. */
const TEST_TIMEOUT_MS = 90_000;

/** The markers in the user cache directory `xdgCacheHome`; none when it does not exist. */
async function markersIn(xdgCacheHome: string): Promise<string[]> {
  return readdir(join(xdgCacheHome, MARKER_DIRECTORY)).catch(() => []);
}

/** Asserts exit 1 without the guard's refusal. */
function assertFailedUnguarded(result: CliResult): void {
  assert.equal(result.code, 1, result.stderr);
  assert.doesNotMatch(result.stderr, /left unfinished/);
}

describe('storm guard markers', () => {
  let fixture: CliFixture;
  let proxy: StallingProxy;
  /** XDG_CACHE_HOME of the runs: where env-paths puts kubelogin's user cache directory on Linux. */
  let xdgCacheHome: string;
  before(async () => {
    fixture = await startCliFixture({ hostname: STALLING_PROXY_HOST });
    proxy = await startStallingProxy(fixture.provider.issuer);
    xdgCacheHome = join(fixture.home.home, 'xdg-cache');
  });
  after(async () => {
    await proxy.close();
    await fixture.close();
  });

  /** A run nobody watches (kubectl says interactive: false), as IDEs make them, with `extra` flags and variables. */
  function background(extra: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
    return runCli([...fixture.args, ...extra], {
      env: {
        ...fixture.env,
        XDG_CACHE_HOME: xdgCacheHome,
        KUBERNETES_EXEC_INFO: NON_INTERACTIVE_EXEC_INFO,
        ...PROVIDER_TIMEOUT_ENV,
        ...env,
      },
    });
  }

  it('with --token-cache-storage=none, a browser login left unfinished writes no marker', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const result = await background(['--token-cache-storage=none', '--authentication-timeout-sec=1'], {
      LOGIN_MODE: 'none',
    });
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /^error: the browser login did not finish within 1s$/m);
    assert.deepEqual(await markersIn(xdgCacheHome), []);
  });

  it('a token request that hangs after the browser finished leaves no marker, and the next background run logs in', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    proxy.stallTokenRequests = true;
    const stalledBefore = proxy.stalledRequests;
    const stalled = await background([]);
    proxy.stallTokenRequests = false;
    assertFailedUnguarded(stalled);
    assert.equal(proxy.stalledRequests, stalledBefore + 1, 'the token request was not the one that hung');
    assert.equal(fixture.provider.counts.authorizations, 1, 'the browser part did not finish');
    assert.deepEqual(await markersIn(xdgCacheHome), []);

    // The provider has recovered: a background run may open the browser again.
    assertLoggedIn(await background([]));
    assert.equal(await fixture.browserRuns(), 3);
  });

  it("a device login whose token poll hangs leaves no marker: the person's deadline did not pass", {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const deviceArgs = [
      '--grant-type=device-code',
      `--browser-command=${HTTP_DEVICE_APPROVE_COMMAND}`,
      '--oidc-extra-scope=profile',
    ];
    proxy.stallTokenRequests = true;
    const stalled = await background(deviceArgs);
    proxy.stallTokenRequests = false;
    assertFailedUnguarded(stalled);
    assert.deepEqual(await markersIn(xdgCacheHome), []);
  });
});
