/**
 * The device authorization grant (RFC 8628) against the test provider:
 * approval through the opened "browser" and by hand, slow_down, expiry,
 * denial, PKCE for providers that require it, and auto's choice of it where
 * no browser can be opened. (The time left on a real terminal is in
 * test/subprocess/terminal-prompts.test.ts.)
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Middleware } from 'oidc-provider';
import { approveDeviceWithHttp } from '../../support/browser/device-approval.mjs';
import { HTTP_DEVICE_APPROVE_COMMAND } from '../../support/browser/drivers.ts';
import { routeOf } from '../../support/provider/provider-middleware.ts';
import { parseExecCredential } from '../../support/run-cli.ts';
import { decodeTerminalQrCodes } from '../../support/terminal-qr.ts';
import { type World, worldPerTest } from '../../support/world.ts';

/** The instruction line for a provider that gives verification_uri_complete. */
const INSTRUCTIONS = /To log in, open (http:\/\/\S+\?user_code=\S+) \(code (\S+)\)/;
/** What clears the progress line on a terminal: carriage return, erase to the end of the line. */
const CLEAR_LINE = '\r\x1b[K';

/** get-token arguments for the device flow with the HTTP approval driver as the browser. */
function deviceArgs(world: World): string[] {
  return [
    ...world.args.filter((arg) => !arg.startsWith('--browser-command=')),
    '--grant-type=device-code',
    `--browser-command=${HTTP_DEVICE_APPROVE_COMMAND}`,
  ];
}

describe('device code', () => {
  const startWorld = worldPerTest();

  it('prints the complete verification URL and the code once, opens it, and gets a verified token', async () => {
    const world = await startWorld();
    const result = await world.run(deviceArgs(world));
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr.match(new RegExp(INSTRUCTIONS, 'g'))?.length, 1, result.stderr);
    assert.doesNotMatch(result.stderr, /Waiting for approval/, 'no progress noise when stderr is not a terminal');
    assert.deepEqual(result.browserFailures, [], 'the approval reached its success page');
    assert.equal(world.provider.counts.deviceApprovals, 1);
    assert.equal(await world.browserRuns(), 1);
    const again = await world.run(deviceArgs(world));
    assert.equal(parseExecCredential(again.stdout).status.token, parseExecCredential(result.stdout).status.token);
    assert.equal(world.provider.counts.deviceApprovals, 1);
  });

  it('shows the time left while waiting when stderr is a terminal, and clears that line at the end', async () => {
    const world = await startWorld();
    const result = await world.run(deviceArgs(world), { stderrIsTTY: true });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /Waiting for approval: \d+:\d\d left/);
    assert.ok(result.stderr.endsWith(CLEAR_LINE), `the progress line is left on the terminal: ${result.stderr}`);
    assert.match(result.stdout, /"kind":"ExecCredential"/);
  });

  it('shows a QR code of the complete verification URL under the text when stderr is a terminal', async () => {
    const world = await startWorld();
    const result = await world.run(deviceArgs(world), { stderrIsTTY: true });
    assert.equal(result.code, 0, result.stderr);
    const [instructions, url] = INSTRUCTIONS.exec(result.stderr) ?? [];
    assert.deepEqual(decodeTerminalQrCodes(result.stderr), [url]);
    assert.ok(
      result.stderr.indexOf('\x1b[30;107m') > result.stderr.indexOf(instructions as string),
      'the QR code is under the text',
    );
  });

  it('shows a QR code of verification_uri when the provider gives no complete URL', async () => {
    const withoutComplete: Middleware = async (ctx, next) => {
      await next();
      if (routeOf(ctx) === 'device_authorization' && ctx.status === 200)
        delete (ctx.body as { verification_uri_complete?: string }).verification_uri_complete;
    };
    const world = await startWorld({ provider: { middlewares: [withoutComplete] } });
    // Nobody approves (the code would have to be typed in): the QR code is shown all the same.
    const result = await world.run([...deviceArgs(world), '--authentication-timeout-sec=1'], {
      stderrIsTTY: true,
      env: { LOGIN_MODE: 'none' },
    });
    assert.match(result.stderr, /error: the device login was not approved within 0:01$/m);
    const [, url] = /To log in, open (http\S+) and enter the code \S+/.exec(result.stderr) ?? [];
    assert.ok(url !== undefined && !url.includes('user_code'), result.stderr);
    assert.deepEqual(decodeTerminalQrCodes(result.stderr), [url]);
  });

  it('shows no QR code when stderr is not a terminal, or with --no-qr', async () => {
    const world = await startWorld();
    const plain = await world.run(deviceArgs(world));
    assert.equal(plain.code, 0, plain.stderr);
    assert.deepEqual(decodeTerminalQrCodes(plain.stderr), []);
    assert.ok(!plain.stderr.includes('\x1b['), 'no terminal controls');
    const noQr = await world.run([...deviceArgs(world), '--no-qr', '--token-cache-storage=none'], {
      stderrIsTTY: true,
    });
    assert.equal(noQr.code, 0, noQr.stderr);
    assert.match(noQr.stderr, INSTRUCTIONS);
    assert.deepEqual(decodeTerminalQrCodes(noQr.stderr), []);
  });

  it('is what auto picks when no browser can be opened, and says why; the person approves elsewhere', async () => {
    const world = await startWorld();
    const args = world.args.filter((arg) => !arg.startsWith('--browser-command='));
    const run = world.start(args, { env: { DISPLAY: undefined, WAYLAND_DISPLAY: undefined } });
    const [, url] = await run.waitForStderr(INSTRUCTIONS);
    const approval = await approveDeviceWithHttp(url as string, { user: 'bob' });
    assert.ok(approval.authenticated, approval.html);
    const result = await run.result;
    assert.equal(result.code, 0, result.stderr);
    assert.match(
      result.stderr,
      /Using the device-code flow: no browser can be opened \(neither DISPLAY nor WAYLAND_DISPLAY is set\)\./,
    );
    assert.equal(await world.browserRuns(), 0);
  });

  it('waits 5 s longer after slow_down and still succeeds', async () => {
    const world = await startWorld({ provider: { device: { slowDownOnce: true } } });
    const result = await world.run(deviceArgs(world), { env: { LOGIN_DELAY_MS: '1500' } });
    assert.equal(result.code, 0, result.stderr);
    assert.ok(world.provider.counts.devicePolls >= 2, `polls: ${world.provider.counts.devicePolls}`);
    assert.equal(world.provider.counts.deviceApprovals, 1);
  });

  it('stops at expires_in with a clear error', async () => {
    const world = await startWorld({ provider: { device: { expiresIn: 2 } } });
    const result = await world.run(deviceArgs(world), { env: { LOGIN_MODE: 'none' } });
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /^error: the device login was not approved within 0:02$/m);
  });

  it('stops at --authentication-timeout-sec when that comes first', async () => {
    const world = await startWorld();
    const result = await world.run([...deviceArgs(world), '--authentication-timeout-sec=2'], {
      env: { LOGIN_MODE: 'none' },
    });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^error: the device login was not approved within 0:02$/m);
  });

  it('reports access_denied as a denial', async () => {
    const world = await startWorld();
    const result = await world.run(deviceArgs(world), { env: { LOGIN_MODE: 'deny' } });
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /^error: the device login was denied at the provider$/m);
  });

  it('sends PKCE to a provider that requires it (as Keycloak does)', async () => {
    const world = await startWorld({ provider: { device: { requirePkce: true } } });
    const result = await world.run(deviceArgs(world));
    assert.equal(result.code, 0, `${result.stderr}\n${world.provider.errors.join('\n')}`);
    assert.equal(world.provider.counts.deviceApprovals, 1);
  });

  it('fails clearly against a provider without a device authorization endpoint', async () => {
    const world = await startWorld({ provider: { deviceFlow: false } });
    const result = await world.run(deviceArgs(world));
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.match(
      result.stderr,
      /^error: the provider http:\/\/127\.0\.0\.1:\d+ has no device authorization endpoint\nhint: give it with --oidc-device-authorization-endpoint if the provider has one all the same \(GitLab: <issuer>\/oauth\/authorize_device\), or use --grant-type=authcode or --grant-type=authcode-keyboard\n$/,
    );
  });
});
