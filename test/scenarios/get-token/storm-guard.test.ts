/**
 * No browser-tab storms: after a browser login was left unfinished, runs
 * nobody watches (IDEs, dashboards) fail at once instead of opening another
 * tab (or device login), for five minutes; a run from a terminal may always
 * log in, and grants without a browser are not its business. The guard
 * records only a browser (or device) login the person left unfinished: not a
 * token request that timed out after the browser part had finished, so the
 * next background run may log in once the provider has recovered; and with
 * --token-cache-storage=none it writes nothing.
 */
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { STORM_GUARD_WINDOW_MS } from '../../../src/cache/storm-guard.ts';
import { HTTP_DEVICE_APPROVE_COMMAND } from '../../support/browser/drivers.ts';
import { assertLoggedIn } from '../../support/cli-outcome.ts';
import { STALLING_PROXY_HOST, startStallingProxy } from '../../support/provider/stalling-proxy.ts';
import { type CliResult, NON_INTERACTIVE_EXEC_INFO } from '../../support/run-cli.ts';
import { serverForAll } from '../../support/server-for-all.ts';
import { type WorldRunOptions, worldForAll } from '../../support/world.ts';

/** Shortens the provider's connect and response timeouts (10 s and 30 s) to one second. */
const PROVIDER_TIMEOUT_ENV = { KUBELOGIN_TEST_PROVIDER_TIMEOUT_MS: '1000' };
/** The markers of unfinished logins: `unfinished-logins` in kubelogin's user cache directory. */
const MARKER_DIRECTORY = join('kubelogin', 'unfinished-logins');
/** Each marker test runs the CLI twice or three times, with timeouts of a second or so. */
const TEST_TIMEOUT_MS = 90_000;
/** A run on a terminal: stdin, stdout and stderr are terminals, and kubectl did not run it. */
const TERMINAL: WorldRunOptions = { stdinIsTTY: true, stdoutIsTTY: true, stderrIsTTY: true };

/** The markers under the user cache directory `xdgCacheHome`; none when it does not exist. */
async function markersIn(xdgCacheHome: string): Promise<string[]> {
  return readdir(join(xdgCacheHome, MARKER_DIRECTORY)).catch(() => []);
}

/** Asserts exit 1 without the guard's refusal. */
function assertFailedUnguarded(result: CliResult): void {
  assert.equal(result.code, 1, result.stderr);
  assert.doesNotMatch(result.stderr, /left unfinished/);
}

describe('storm guard', () => {
  const world = worldForAll();
  /** Where env-paths puts kubelogin's user cache directory on Linux without XDG_CACHE_HOME. */
  const xdgCacheHome = () => join(world().home.home, '.cache');

  /** A run nobody watches (kubectl says interactive: false) with `extra` flags, whose browser answers in `mode`. */
  const background = (mode: string, options: WorldRunOptions = {}, extra: readonly string[] = []) =>
    world().getToken(['--authentication-timeout-sec=1', ...extra], {
      ...options,
      env: { KUBERNETES_EXEC_INFO: NON_INTERACTIVE_EXEC_INFO, LOGIN_MODE: mode },
    });

  /** Asserts the guard's refusal. */
  const assertRefused = (result: CliResult) => {
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.match(
      result.stderr,
      /^error: a browser login for this cluster was left unfinished \d+s ago; not opening another one from a run nobody watches$/m,
    );
    assert.match(
      result.stderr,
      /^hint: run `kubectl get pods` \(or `kubelogin get-token \.\.\.`\) in a terminal to log in$/m,
    );
  };

  it('lets the first background run open the browser; it times out unfinished and is noted', async () => {
    const result = await background('none');
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^error: the browser login did not finish within 1s$/m);
    assert.equal(await world().browserRuns(), 1);
    assert.equal((await markersIn(xdgCacheHome())).length, 1);
  });

  it('makes the next background runs fail at once, without a browser, saying how to log in', async () => {
    for (let run = 0; run < 3; run++) assertRefused(await background('approve'));
    assert.equal(await world().browserRuns(), 1);
  });

  it('refuses a background device login for the cluster too: it also sends the person to a browser', async () => {
    const device = ['--grant-type=device-code', `--browser-command=${HTTP_DEVICE_APPROVE_COMMAND}`];
    assertRefused(await background('approve', {}, device));
    assert.equal(await world().browserRuns(), 1);
  });

  it('does not stand in the way of a grant without a browser: authcode-keyboard fails for want of a terminal', async () => {
    const result = await background('approve', {}, ['--grant-type=authcode-keyboard']);
    assertFailedUnguarded(result);
    assert.match(result.stderr, /^error: --grant-type=authcode-keyboard \(pasting the code\) needs a terminal/m);
  });

  it('neither reads nor writes its note with --token-cache-storage=none: such a background run logs in', async () => {
    const result = await background('approve', {}, ['--token-cache-storage=none']);
    assertLoggedIn(result);
    assert.equal(await world().browserRuns(), 2);
    assert.equal((await markersIn(xdgCacheHome())).length, 1, 'the note is still there');
  });

  it('lets a background run open the browser again once the five minutes have passed', async () => {
    // Only the CLI reads this clock (the marker's age): it runs the window ahead of the real one.
    const result = await background('none', { now: () => Date.now() + STORM_GUARD_WINDOW_MS });
    assertFailedUnguarded(result);
    assert.match(result.stderr, /^error: the browser login did not finish within 1s$/m);
    assert.equal(await world().browserRuns(), 3);
  });

  it('lets a run whose stderr is a terminal open the browser, though kubectl says it is not interactive', async () => {
    const result = await background('none', { stderrIsTTY: true });
    assertFailedUnguarded(result);
    assert.match(result.stderr, /the browser login did not finish within 1s/);
    assert.equal(await world().browserRuns(), 4);
  });

  it('lets a run from a terminal log in, which clears the note', async () => {
    const result = await world().getToken([], TERMINAL);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(await world().browserRuns(), 5);
    assert.deepEqual(await markersIn(xdgCacheHome()), []);
    // Background runs are answered from the new token.
    const later = await background('approve');
    assert.equal(later.code, 0, later.stderr);
  });
});

describe('storm guard markers', () => {
  const world = worldForAll({ provider: { hostname: STALLING_PROXY_HOST } });
  const stallingProxy = serverForAll(() => startStallingProxy(world().provider.issuer));
  /** XDG_CACHE_HOME of the runs: where env-paths puts kubelogin's user cache directory on Linux. */
  const xdgCacheHome = () => join(world().home.home, 'xdg-cache');

  /** A run nobody watches (kubectl says interactive: false), as IDEs make them, with `extra` flags and variables. */
  function background(extra: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
    return world().getToken(extra, {
      env: {
        XDG_CACHE_HOME: xdgCacheHome(),
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
    assert.deepEqual(await markersIn(xdgCacheHome()), []);
  });

  it('a token request that hangs after the browser finished leaves no marker, and the next background run logs in', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    stallingProxy().stallTokenRequests = true;
    const stalledBefore = stallingProxy().stalledRequests;
    const stalled = await background([]);
    stallingProxy().stallTokenRequests = false;
    assertFailedUnguarded(stalled);
    assert.equal(stallingProxy().stalledRequests, stalledBefore + 1, 'the token request was not the one that hung');
    assert.equal(world().provider.counts.authorizations, 1, 'the browser part did not finish');
    assert.deepEqual(await markersIn(xdgCacheHome()), []);

    // The provider has recovered: a background run may open the browser again.
    assertLoggedIn(await background([]));
    assert.equal(await world().browserRuns(), 3);
  });

  it("a device login whose token poll hangs leaves no marker: the person's deadline did not pass", {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const deviceArgs = [
      '--grant-type=device-code',
      `--browser-command=${HTTP_DEVICE_APPROVE_COMMAND}`,
      '--oidc-extra-scope=profile',
    ];
    stallingProxy().stallTokenRequests = true;
    const stalled = await background(deviceArgs);
    stallingProxy().stallTokenRequests = false;
    assertFailedUnguarded(stalled);
    assert.deepEqual(await markersIn(xdgCacheHome()), []);
  });
});
