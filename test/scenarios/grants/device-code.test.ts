/**
 * The device authorization grant (RFC 8628) against the test provider:
 * approval through the opened "browser" and by hand, slow_down, expiry,
 * denial, PKCE for providers that require it, and auto's choice of it where
 * no browser can be opened.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { approveDeviceWithHttp } from '../../support/browser/device-approval.mjs';
import { HTTP_DEVICE_APPROVE_COMMAND } from '../../support/browser/drivers.ts';
import { type CliFixture, startCliFixture } from '../../support/cli-fixture.ts';
import type { TestProviderOptions } from '../../support/provider/test-provider.ts';
import { parseExecCredential, startCli } from '../../support/run-cli.ts';
import { runInPty } from '../../support/run-in-pty.ts';

/** The instruction line for a provider that gives verification_uri_complete. */
const INSTRUCTIONS = /To log in, open (http:\/\/\S+\?user_code=\S+) \(code (\S+)\)/;

/** get-token arguments for the device flow with the HTTP approval driver as the browser. */
function deviceArgs(fixture: CliFixture): string[] {
  return [
    ...fixture.args.filter((arg) => !arg.startsWith('--browser-command=')),
    '--grant-type=device-code',
    `--browser-command=${HTTP_DEVICE_APPROVE_COMMAND}`,
  ];
}

describe('device code', () => {
  let fixture: CliFixture;
  afterEach(() => fixture.close());

  async function start(options: TestProviderOptions = {}): Promise<void> {
    fixture = await startCliFixture(options);
  }

  it('prints the complete verification URL and the code once, opens it, and gets a verified token', async () => {
    await start();
    const result = await startCli(deviceArgs(fixture), { env: fixture.env }).result;
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr.match(new RegExp(INSTRUCTIONS, 'g'))?.length, 1, result.stderr);
    assert.doesNotMatch(result.stderr, /Waiting for approval/, 'no progress noise when stderr is not a terminal');
    assert.equal(fixture.provider.counts.deviceApprovals, 1);
    assert.equal(await fixture.browserRuns(), 1);
    const again = await startCli(deviceArgs(fixture), { env: fixture.env }).result;
    assert.equal(parseExecCredential(again.stdout).status.token, parseExecCredential(result.stdout).status.token);
    assert.equal(fixture.provider.counts.deviceApprovals, 1);
  });

  it('shows the time left while waiting when stderr is a terminal', async () => {
    await start();
    const result = await runInPty(deviceArgs(fixture), {
      env: { ...fixture.env, LOGIN_DELAY_MS: '2500' },
      timeoutMs: 30_000,
    });
    assert.equal(result.code, 0, result.output);
    assert.match(result.output, /Waiting for approval: \d+:\d\d left/);
    assert.match(result.output, /"kind":"ExecCredential"/);
  });

  it('is what auto picks when no browser can be opened, and says why; the person approves elsewhere', async () => {
    await start();
    const env = { ...fixture.env };
    delete env['DISPLAY'];
    delete env['WAYLAND_DISPLAY'];
    const args = fixture.args.filter((arg) => !arg.startsWith('--browser-command='));
    const run = startCli(args, { env });
    const [, url] = await run.waitForStderr(INSTRUCTIONS);
    const approval = await approveDeviceWithHttp(url as string, { user: 'bob' });
    assert.ok(approval.authenticated, approval.html);
    const result = await run.result;
    assert.equal(result.code, 0, result.stderr);
    assert.match(
      result.stderr,
      /Using the device-code flow: no browser can be opened \(neither DISPLAY nor WAYLAND_DISPLAY is set\)\./,
    );
    assert.equal(await fixture.browserRuns(), 0);
  });

  it('waits 5 s longer after slow_down and still succeeds', async () => {
    await start({ device: { slowDownOnce: true } });
    const result = await startCli(deviceArgs(fixture), { env: { ...fixture.env, LOGIN_DELAY_MS: '1500' } }).result;
    assert.equal(result.code, 0, result.stderr);
    assert.ok(fixture.provider.counts.devicePolls >= 2, `polls: ${fixture.provider.counts.devicePolls}`);
    assert.equal(fixture.provider.counts.deviceApprovals, 1);
  });

  it('stops at expires_in with a clear error', async () => {
    await start({ device: { expiresIn: 2 } });
    const result = await startCli(deviceArgs(fixture), { env: { ...fixture.env, LOGIN_MODE: 'none' } }).result;
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /^error: the device login was not approved within 0:02$/m);
  });

  it('stops at --authentication-timeout-sec when that comes first', async () => {
    await start();
    const result = await startCli([...deviceArgs(fixture), '--authentication-timeout-sec=2'], {
      env: { ...fixture.env, LOGIN_MODE: 'none' },
    }).result;
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^error: the device login was not approved within 0:02$/m);
  });

  it('reports access_denied as a denial', async () => {
    await start();
    const result = await startCli(deviceArgs(fixture), { env: { ...fixture.env, LOGIN_MODE: 'deny' } }).result;
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /^error: the device login was denied at the provider$/m);
  });

  it('sends PKCE to a provider that requires it (as Keycloak does)', async () => {
    await start({ device: { requirePkce: true } });
    const result = await startCli(deviceArgs(fixture), { env: fixture.env }).result;
    assert.equal(result.code, 0, `${result.stderr}\n${fixture.provider.errors.join('\n')}`);
    assert.equal(fixture.provider.counts.deviceApprovals, 1);
  });

  it('fails clearly against a provider without a device authorization endpoint', async () => {
    await start({ deviceFlow: false });
    const result = await startCli(deviceArgs(fixture), { env: fixture.env }).result;
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.match(
      result.stderr,
      /^error: the provider http:\/\/127\.0\.0\.1:\d+ has no device authorization endpoint\nhint: use --grant-type=authcode or --grant-type=authcode-keyboard\n$/,
    );
  });
});
