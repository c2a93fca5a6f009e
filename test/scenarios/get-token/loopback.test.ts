/**
 * Stray callbacks do not end a browser login: while it waits, requests to the
 * loopback server without this login's state (any web page can make the
 * browser send one) get 400, and the real browser then logs in.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type CliFixture, startCliFixture } from '../../support/cli-fixture.ts';
import { assertLoggedIn } from '../../support/cli-outcome.ts';
import { startCli } from '../../support/run-cli.ts';

/** How long the fake browser waits before it logs in: time for the stray requests. */
const BROWSER_DELAY_MS = '2000';
/** Callbacks a page elsewhere could make the browser send, without the login's state or with a guessed one. */
const STRAY_CALLBACKS = [
  '/?code=x',
  '/?code=x&state=wrong',
  '/?error=access_denied',
  '/?error=access_denied&state=wrong',
];

describe('stray callbacks during a browser login', () => {
  let fixture: CliFixture;
  before(async () => {
    fixture = await startCliFixture();
  });
  after(() => fixture.close());

  it('are answered 400 and the login goes on to succeed', async () => {
    const run = startCli([...fixture.args, '-v1', '--token-cache-storage=none'], {
      env: { ...fixture.env, LOGIN_DELAY_MS: BROWSER_DELAY_MS },
    });
    const [, port] = await run.waitForStderr(/listening on port (\d+)/);
    for (const path of STRAY_CALLBACKS) {
      const response = await fetch(`http://127.0.0.1:${port}${path}`, { redirect: 'manual' });
      await response.arrayBuffer();
      assert.equal(response.status, 400, path);
    }
    assertLoggedIn(await run.result);
    assert.equal(await fixture.browserRuns(), 1);
    assert.equal(fixture.provider.counts.codeExchanges, 1);
  });
});
