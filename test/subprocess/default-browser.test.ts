/**
 * The default browser: with a display and no --browser-command, auto picks
 * the browser flow and opens the login page through `open` (on Linux its
 * xdg-open, which runs $BROWSER when no desktop environment is detected).
 * `open` starts xdg-open in the environment of the process, not of a run, so
 * this needs a process. (--skip-open-browser is in
 * test/scenarios/get-token/loopback.test.ts.)
 */
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { HTTP_LOGIN_COMMAND } from '../support/browser/drivers.ts';
import { parseExecCredential } from '../support/run-cli.ts';
import { worldForAll } from '../support/world.ts';

describe('the default browser', () => {
  const world = worldForAll({ runner: 'subprocess' });
  /** A display, $BROWSER, and XDG directories with no desktop entries, so xdg-open runs $BROWSER whatever browsers the machine has. */
  let desktop: NodeJS.ProcessEnv;
  before(async () => {
    const noDesktopEntries = join(world().home.home, 'xdg-empty');
    await mkdir(noDesktopEntries);
    desktop = {
      DISPLAY: ':99',
      BROWSER: HTTP_LOGIN_COMMAND,
      XDG_DATA_DIRS: noDesktopEntries,
      XDG_DATA_HOME: noDesktopEntries,
      XDG_CONFIG_DIRS: noDesktopEntries,
      XDG_CONFIG_HOME: noDesktopEntries,
    };
  });

  it('opens the loopback URL in the browser xdg-open picks when a display is set, and prints the URL too', async () => {
    const args = world().args.filter((arg) => !arg.startsWith('--browser-command='));
    const result = await world().run(args, { env: desktop, timeoutMs: 20_000 });
    assert.equal(result.code, 0, result.stderr);
    assert.match(
      result.stderr,
      /^Opening the browser for authentication; if it does not open, visit http:\/\/localhost:\d+\/$/m,
    );
    assert.doesNotMatch(result.stderr, /Using the/, 'auto chose the browser without needing to explain');
    assert.equal(await world().browserRuns(), 1);
    assert.equal(parseExecCredential(result.stdout).kind, 'ExecCredential');
  });
});
