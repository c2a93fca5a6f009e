/**
 * The default browser: with a display and no --browser-command, auto picks
 * the browser flow and opens the login page through `open` (on Linux its
 * xdg-open, which runs $BROWSER when no desktop environment is detected).
 */
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { HTTP_LOGIN_COMMAND } from '../support/browser/drivers.ts';
import { type CliFixture, startCliFixture } from '../support/cli-fixture.ts';
import { parseExecCredential, runCli } from '../support/run-cli.ts';

describe('the default browser', () => {
  let fixture: CliFixture;
  /** A display, $BROWSER, and XDG directories with no desktop entries, so xdg-open runs $BROWSER whatever browsers the machine has. */
  let desktop: NodeJS.ProcessEnv;
  before(async () => {
    fixture = await startCliFixture();
    const noDesktopEntries = join(fixture.home.home, 'xdg-empty');
    await mkdir(noDesktopEntries);
    desktop = {
      ...fixture.env,
      DISPLAY: ':99',
      BROWSER: HTTP_LOGIN_COMMAND,
      XDG_DATA_DIRS: noDesktopEntries,
      XDG_DATA_HOME: noDesktopEntries,
      XDG_CONFIG_DIRS: noDesktopEntries,
      XDG_CONFIG_HOME: noDesktopEntries,
    };
  });
  after(() => fixture.close());

  it('opens the loopback URL in the browser xdg-open picks when a display is set, and prints the URL too', async () => {
    const args = fixture.args.filter((arg) => !arg.startsWith('--browser-command='));
    const result = await runCli(args, { env: desktop, timeoutMs: 20_000 });
    assert.equal(result.code, 0, result.stderr);
    assert.match(
      result.stderr,
      /^Opening the browser for authentication; if it does not open, visit http:\/\/localhost:\d+\/$/m,
    );
    assert.doesNotMatch(result.stderr, /Using the/, 'auto chose the browser without needing to explain');
    assert.equal(await fixture.browserRuns(), 1);
    assert.equal(parseExecCredential(result.stdout).kind, 'ExecCredential');
  });

  it('prints the URL and waits (for the timeout) with --skip-open-browser, opening nothing', async () => {
    const args = fixture.args.filter((arg) => !arg.startsWith('--browser-command='));
    // Another scope, so the cache of the first test does not answer.
    const result = await runCli(
      [...args, '--skip-open-browser', '--authentication-timeout-sec=1', '--oidc-extra-scope=profile'],
      {
        env: desktop,
      },
    );
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^Please visit the following URL in your browser: http:\/\/localhost:\d+\/$/m);
    assert.match(result.stderr, /^error: the browser login did not finish within 1s$/m);
    assert.equal(await fixture.browserRuns(), 1, 'no browser was started');
  });
});
