/**
 * The browser login on a terminal: the loopback server waits for the browser and, at the same
 * time, the person may paste the code or the whole URL the browser was sent to (from a browser on
 * another machine, where that URL shows as a page that cannot be reached). Whichever arrives first
 * is the login; the other way in stops at once. A terminal here is a stdin stream that claims to
 * be one, typed into by the test; the same on a real terminal is in
 * test/subprocess/terminal-prompts.test.ts.
 */
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { loginUntilCallback } from '../../support/browser/http-login-driver.mjs';
import type { CliResult } from '../../support/run-cli.ts';
import { decodeTerminalQrCodes } from '../../support/terminal-qr.ts';
import { type World, type WorldRunOptions, worldPerTest } from '../../support/world.ts';

/** The authorization URL as the paste prompt prints it, on a line of its own. */
const AUTHORIZATION_URL_LINE = /^ {2}(http\S+\/auth\?\S+)$/m;
/** The prompt of the paste. */
const PROMPT = 'Code or URL: ';
/** What clears the prompt's line on a terminal. */
const CLEAR_LINE = '\r\x1b[K';

/** A run on a terminal whose stdin the test types into. */
function onTerminal(world: World, extra: readonly string[], options: WorldRunOptions = {}) {
  const stdin = new PassThrough();
  const run = world.start([...world.args, '--grant-type=authcode', ...extra], {
    stdinIsTTY: true,
    stdinStream: stdin,
    ...options,
  });
  return { run, type: (line: string) => stdin.write(`${line}\n`), stdin };
}

/** The loopback port of a login, from the redirect URI of its authorization URL. */
function loopbackPort(authorizationUrl: string): number {
  return Number(new URL(new URL(authorizationUrl).searchParams.get('redirect_uri') as string).port);
}

/** Whether anything still listens on the loopback port. */
async function loopbackAnswers(port: number): Promise<boolean> {
  return fetch(`http://127.0.0.1:${port}/`, { redirect: 'manual' }).then(
    () => true,
    () => false,
  );
}

/** Asserts a login: exit 0, one ExecCredential, and no code of `callbackUrl` in stderr. */
function assertLoggedInWithoutCode(result: CliResult, callbackUrl: string): void {
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /^\{"kind":"ExecCredential"/);
  const code = new URL(callbackUrl).searchParams.get('code') as string;
  assert.ok(!result.stderr.includes(code), 'the code was printed');
}

describe('pasting the code at the browser login', () => {
  const startWorld = worldPerTest();

  it('takes the URL the browser was redirected to when the browser never calls back, and closes the loopback server', async () => {
    const world = await startWorld();
    const { run, type } = onTerminal(world, [], { env: { LOGIN_MODE: 'none' } });
    const [, url] = await run.waitForStderr(AUTHORIZATION_URL_LINE);
    await run.waitForStderr(new RegExp(`${PROMPT}$`));
    const callback = await loginUntilCallback(url as string, { user: 'bob' });
    type(callback);
    const result = await run.result;
    assertLoggedInWithoutCode(result, callback);
    assert.match(
      result.stderr,
      /^Or log in from a browser anywhere \(another machine, a phone\): open this URL there,$/m,
    );
    assert.match(result.stderr, /^then paste here the code, or the whole URL that browser ends on/m);
    assert.equal(await loopbackAnswers(loopbackPort(url as string)), false, 'the loopback server still listens');
    assert.equal(world.provider.counts.codeExchanges, 1);
    assert.equal(await world.browserRuns(), 1, 'the browser was opened as ever');
    assert.deepEqual(decodeTerminalQrCodes(result.stderr), [], 'no QR code when a browser was opened');
  });

  it('exchanges a bare code with the loopback redirect URI of the authorization request, printing it at no log level', async () => {
    const world = await startWorld();
    const { run, type } = onTerminal(world, ['-v9'], { env: { LOGIN_MODE: 'none' } });
    const [, url] = await run.waitForStderr(AUTHORIZATION_URL_LINE);
    const callback = await loginUntilCallback(url as string);
    type(new URL(callback).searchParams.get('code') as string);
    assertLoggedInWithoutCode(await run.result, callback);
    assert.equal(world.provider.counts.codeExchanges, 1);
  });

  it('lets the callback win: the prompt goes away and the run ends without stdin', async () => {
    const world = await startWorld();
    const { run, stdin } = onTerminal(world, [], { stderrIsTTY: true, env: { LOGIN_DELAY_MS: '300' } });
    const result = await run.result;
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(result.browserFailures, [], 'the browser reached the success page');
    const prompt = result.stderr.lastIndexOf(PROMPT);
    assert.ok(prompt !== -1, result.stderr);
    assert.ok(result.stderr.slice(prompt + PROMPT.length).startsWith(CLEAR_LINE), 'the prompt was not cleared');
    assert.equal(stdin.listenerCount('data'), 0, 'stdin is still read');
    assert.equal(world.provider.counts.codeExchanges, 1);
  });

  it('says in one line why a paste is refused and asks again: a wrong state, no code, neither a code nor a URL', async () => {
    const world = await startWorld();
    const { run, type } = onTerminal(world, [], { env: { LOGIN_MODE: 'none' } });
    const [, url] = await run.waitForStderr(AUTHORIZATION_URL_LINE);
    const callback = new URL(await loginUntilCallback(url as string));
    const code = callback.searchParams.get('code') as string;
    const wrongState = new URL(callback);
    wrongState.searchParams.set('state', 'not-this-logins-state');
    type(wrongState.href);
    // Without a terminal's echo of the typed line, each answer follows the prompt on its line.
    await run.waitForStderr(/Code or URL: The pasted URL is not this login's \(its state differs\)/);
    const noState = new URL(callback);
    noState.searchParams.delete('state');
    type(noState.href);
    await run.waitForStderr(/Code or URL: The pasted URL has no state/);
    const noCode = new URL(callback);
    noCode.searchParams.delete('code');
    type(noCode.href);
    await run.waitForStderr(/Code or URL: The pasted URL carries no code/);
    type('two words');
    await run.waitForStderr(
      /Code or URL: That is neither an authorization code nor the URL the browser was sent to\.$/m,
    );
    type(callback.href);
    const result = await run.result;
    assertLoggedInWithoutCode(result, callback.href);
    assert.equal(result.stderr.split(PROMPT).length - 1, 5, 'asked once and again after each refusal');
    assert.ok(!result.stderr.includes(code));
    assert.equal(world.provider.counts.codeExchanges, 1);
  });

  it("ends the login with the provider's error from a pasted URL of this login", async () => {
    const world = await startWorld();
    const { run, type } = onTerminal(world, [], { env: { LOGIN_MODE: 'none' } });
    const [, url] = await run.waitForStderr(AUTHORIZATION_URL_LINE);
    type(await loginUntilCallback(url as string, { mode: 'deny' }));
    const result = await run.result;
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /^Code or URL: error: the provider returned access_denied/m);
    assert.equal(await loopbackAnswers(loopbackPort(url as string)), false);
  });

  it('shows no prompt without a terminal, or when kubectl says the run is not interactive', async () => {
    const world = await startWorld();
    const plain = await world.getToken(['--grant-type=authcode']);
    assert.equal(plain.code, 0, plain.stderr);
    assert.equal(plain.stderr, '');
    const nonInteractive = JSON.stringify({
      kind: 'ExecCredential',
      apiVersion: 'client.authentication.k8s.io/v1',
      spec: { interactive: false },
    });
    const underKubectl = await world.getToken(['--grant-type=authcode', '--force-refresh'], {
      stdinIsTTY: true,
      env: { KUBERNETES_EXEC_INFO: nonInteractive },
    });
    assert.equal(underKubectl.code, 0, underKubectl.stderr);
    assert.doesNotMatch(underKubectl.stderr, /Code or URL/);
  });
});

describe('the paste prompt where no browser can be opened', () => {
  const startWorld = worldPerTest();

  /** A run in a container without a display: the browser command is not given, so none can be opened. */
  function inContainer(world: World, extra: readonly string[] = []) {
    const stdin = new PassThrough();
    const opened: string[] = [];
    const args = world.args.filter((arg) => !arg.startsWith('--browser-command='));
    const run = world.start([...args, '--grant-type=authcode', ...extra], {
      stdinIsTTY: true,
      stderrIsTTY: true,
      stdinStream: stdin,
      insideContainer: true,
      env: { DISPLAY: undefined, WAYLAND_DISPLAY: undefined },
      openBrowser: async (url) => {
        opened.push(url);
      },
    });
    return { run, type: (line: string) => stdin.write(`${line}\n`), opened };
  }

  it('says why and that pasting is the way in, shows a QR code of the URL, and opens nothing', async () => {
    const world = await startWorld();
    const { run, type, opened } = inContainer(world);
    const [, url] = await run.waitForStderr(AUTHORIZATION_URL_LINE);
    await run.waitForStderr(new RegExp(`${PROMPT}$`));
    const callback = await loginUntilCallback(url as string);
    type(callback);
    const result = await run.result;
    assertLoggedInWithoutCode(result, callback);
    assert.match(
      result.stderr,
      /^No browser can be opened here \(this is a container without a display\): open this URL in a browser on any device and log in,$/m,
    );
    assert.deepEqual(decodeTerminalQrCodes(result.stderr), [url]);
    assert.deepEqual(opened, []);
  });

  it('shows no QR code with --no-qr', async () => {
    const world = await startWorld();
    const { run, type } = inContainer(world, ['--no-qr']);
    const [, url] = await run.waitForStderr(AUTHORIZATION_URL_LINE);
    type(await loginUntilCallback(url as string));
    const result = await run.result;
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(decodeTerminalQrCodes(result.stderr), []);
  });
});
