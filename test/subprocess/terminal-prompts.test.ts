/**
 * The CLI on a real terminal (a pseudo-terminal): the username and password
 * prompts with the password not echoed, the authcode-keyboard code pasted
 * while the CLI waits at `Enter code: `, the browser login's paste prompt
 * beside its loopback server, and the device flow's time left and QR code.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { describe, it } from 'node:test';
import { HTTP_DEVICE_APPROVE_COMMAND } from '../support/browser/drivers.ts';
import { loginUntilCallback, loginWithHttpDriver } from '../support/browser/http-login-driver.mjs';
import { passwordOf } from '../support/provider/test-provider.ts';
import { type PtyStep, runInPty } from '../support/run-in-pty.ts';
import { serverForAll } from '../support/server-for-all.ts';
import { decodeTerminalQrCodes } from '../support/terminal-qr.ts';
import { type World, worldPerTest } from '../support/world.ts';

/** A run on a terminal may take this long before it is killed. */
const PTY_TIMEOUT_MS = 30_000;
/** What the person reads the URL from. */
const VISIT_URL = /Please visit the following URL in your browser: (\S+)/;

/**
 * Stands where the provider sends the browser after an authcode-keyboard login: the person reads
 * the code off this page. `nextCode()` resolves with the code of the next visit.
 */
interface CodeCatcher {
  redirectUrl: string;
  nextCode(): Promise<string>;
  close(): Promise<void>;
}

async function startCodeCatcher(): Promise<CodeCatcher> {
  const waiting: Array<(code: string) => void> = [];
  const caught: string[] = [];
  const server: Server = createServer((request, response) => {
    const code = new URL(request.url ?? '/', 'http://localhost').searchParams.get('code') ?? '';
    const waiter = waiting.shift();
    if (waiter) waiter(code);
    else caught.push(code);
    response.end('<title>Copy the code</title>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    redirectUrl: `http://localhost:${(server.address() as { port: number }).port}`,
    nextCode: () => {
      const code = caught.shift();
      return code === undefined ? new Promise((resolve) => waiting.push(resolve)) : Promise.resolve(code);
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('password prompts on a terminal', () => {
  const startWorld = worldPerTest({ runner: 'subprocess' });

  it('prompts for the username and the password (without echo) on a terminal', async () => {
    const world = await startWorld();
    const password = passwordOf('carol');
    const result = await runInPty([...world.args, '--grant-type=password'], {
      env: world.env,
      steps: [
        { expect: /Username: /, send: 'carol\r' },
        { expect: /Password: /, send: `${password}\r` },
      ],
      timeoutMs: PTY_TIMEOUT_MS,
    });
    assert.equal(result.code, 0, result.output);
    assert.ok(!result.output.includes(password), 'the password was echoed');
    assert.match(result.output, /"kind":"ExecCredential"/);
    assert.equal(world.provider.counts.passwordGrants, 1);
  });
});

describe('authcode-keyboard on a terminal', () => {
  const startWorld = worldPerTest({ runner: 'subprocess' });
  const codeCatcher = serverForAll(startCodeCatcher);

  /** Logs in at the printed URL in a fake browser, then pastes the code the catcher got. */
  const loginAndPaste = (checkUrl: (url: URL) => void = () => undefined): PtyStep[] => [
    {
      expect: VISIT_URL,
      send: async (match) => {
        checkUrl(new URL(match[1] as string));
        await loginWithHttpDriver(match[1] as string, { user: 'alice' });
        return '';
      },
    },
    { expect: /Enter code: /, send: async () => `${await codeCatcher().nextCode()}\r` },
  ];

  const keyboardArgs = (world: World, redirectFlag = '--oidc-redirect-url') => [
    ...world.args,
    '--grant-type=authcode-keyboard',
    `${redirectFlag}=${codeCatcher().redirectUrl}`,
  ];

  it('prints the authorization URL and exchanges the code pasted at "Enter code: "', async () => {
    const world = await startWorld();
    const result = await runInPty(keyboardArgs(world), {
      env: world.env,
      steps: loginAndPaste(),
      timeoutMs: PTY_TIMEOUT_MS,
    });
    assert.equal(result.code, 0, result.output);
    assert.match(result.output, /"kind":"ExecCredential"/);
    assert.equal(world.provider.counts.codeExchanges, 1);
    assert.equal(await world.browserRuns(), 0, 'no browser is opened');
  });

  it('accepts the old --oidc-redirect-url-authcode-keyboard with a deprecation warning', async () => {
    const world = await startWorld();
    const result = await runInPty(keyboardArgs(world, '--oidc-redirect-url-authcode-keyboard'), {
      env: world.env,
      steps: loginAndPaste((url) => assert.equal(url.searchParams.get('redirect_uri'), codeCatcher().redirectUrl)),
      timeoutMs: PTY_TIMEOUT_MS,
    });
    assert.equal(result.code, 0, result.output);
    assert.match(
      result.output,
      /warning: --oidc-redirect-url-authcode-keyboard is deprecated; use --oidc-redirect-url/,
    );
  });
});

describe('the browser login on a terminal', () => {
  const startWorld = worldPerTest({ runner: 'subprocess' });
  /** The authorization URL as the paste prompt prints it, on a line of its own. */
  const AUTHORIZATION_URL_LINE = /^ {2}(http\S+\/auth\?\S+)\r?$/m;
  /** The paste prompt, waiting. */
  const PROMPT = /Code or URL: $/;

  /** Logs in at the printed URL in a fake browser that never goes back to the CLI; keeps the URL it ended on. */
  const loginElsewhere = (callbacks: string[]): PtyStep => ({
    expect: AUTHORIZATION_URL_LINE,
    send: async (match) => {
      callbacks.push(await loginUntilCallback(match[1] as string));
      return '';
    },
  });

  it('takes the URL the browser was sent to when the browser never calls back', async () => {
    const world = await startWorld();
    const callbacks: string[] = [];
    const result = await runInPty([...world.args, '--grant-type=authcode'], {
      env: { ...world.env, LOGIN_MODE: 'none' },
      steps: [loginElsewhere(callbacks), { expect: PROMPT, send: () => `${callbacks[0]}\r` }],
      timeoutMs: PTY_TIMEOUT_MS,
    });
    assert.equal(result.code, 0, result.output);
    assert.equal(result.pendingSteps, 0);
    assert.match(result.output, /"kind":"ExecCredential"/);
    assert.equal(world.provider.counts.codeExchanges, 1);
  });

  it('takes a bare code, exchanged with the loopback redirect URI', async () => {
    const world = await startWorld();
    const callbacks: string[] = [];
    const result = await runInPty([...world.args, '--grant-type=authcode'], {
      env: { ...world.env, LOGIN_MODE: 'none' },
      steps: [
        loginElsewhere(callbacks),
        { expect: PROMPT, send: () => `${new URL(callbacks[0] as string).searchParams.get('code')}\r` },
      ],
      timeoutMs: PTY_TIMEOUT_MS,
    });
    assert.equal(result.code, 0, result.output);
    assert.equal(world.provider.counts.codeExchanges, 1);
  });

  it('says in one line that a pasted URL of another login does not count, and asks again', async () => {
    const world = await startWorld();
    const callbacks: string[] = [];
    const withOtherState = () => {
      const url = new URL(callbacks[0] as string);
      url.searchParams.set('state', 'another-login');
      return `${url.href}\r`;
    };
    const result = await runInPty([...world.args, '--grant-type=authcode'], {
      env: { ...world.env, LOGIN_MODE: 'none' },
      steps: [
        loginElsewhere(callbacks),
        { expect: PROMPT, send: withOtherState },
        {
          expect: /^The pasted URL is not this login's \(its state differs\)[^\n]*\r\nCode or URL: $/m,
          send: () => `${callbacks[0]}\r`,
        },
      ],
      timeoutMs: PTY_TIMEOUT_MS,
    });
    assert.equal(result.code, 0, result.output);
    assert.equal(result.pendingSteps, 0, result.output);
    assert.equal(world.provider.counts.codeExchanges, 1);
  });

  it('lets the callback win: the prompt goes away and the CLI exits without waiting for a line', async () => {
    const world = await startWorld();
    const result = await runInPty([...world.args, '--grant-type=authcode'], {
      env: { ...world.env, LOGIN_DELAY_MS: '1500' },
      timeoutMs: PTY_TIMEOUT_MS,
    });
    assert.equal(result.code, 0, result.output);
    assert.equal(result.timedOut, false);
    assert.ok(result.output.includes('Code or URL: \r\x1b[K'), `the prompt was not cleared: ${result.output}`);
    assert.match(result.output, /"kind":"ExecCredential"/);
    assert.equal(await world.browserRuns(), 1);
  });
});

describe('the device flow on a terminal', () => {
  const startWorld = worldPerTest({ runner: 'subprocess' });

  it('shows the time left while waiting', async () => {
    const world = await startWorld();
    const args = [
      ...world.args.filter((arg) => !arg.startsWith('--browser-command=')),
      '--grant-type=device-code',
      `--browser-command=${HTTP_DEVICE_APPROVE_COMMAND}`,
    ];
    const result = await runInPty(args, {
      env: { ...world.env, LOGIN_DELAY_MS: '2500' },
      timeoutMs: PTY_TIMEOUT_MS,
    });
    assert.equal(result.code, 0, result.output);
    assert.match(result.output, /Waiting for approval: \d+:\d\d left/);
    assert.match(result.output, /"kind":"ExecCredential"/);
  });

  it('prints a QR code of the verification URL, and none with --no-qr', async () => {
    const world = await startWorld();
    const args = [
      ...world.args.filter((arg) => !arg.startsWith('--browser-command=')),
      '--grant-type=device-code',
      `--browser-command=${HTTP_DEVICE_APPROVE_COMMAND}`,
    ];
    const result = await runInPty(args, { env: world.env, timeoutMs: PTY_TIMEOUT_MS });
    assert.equal(result.code, 0, result.output);
    const [, url] = /To log in, open (\S+) \(code \S+\)/.exec(result.output) ?? [];
    assert.deepEqual(decodeTerminalQrCodes(result.output), [url]);
    const noQr = await runInPty([...args, '--no-qr', '--token-cache-storage=none'], {
      env: world.env,
      timeoutMs: PTY_TIMEOUT_MS,
    });
    assert.equal(noQr.code, 0, noQr.output);
    assert.deepEqual(decodeTerminalQrCodes(noQr.output), []);
  });
});
