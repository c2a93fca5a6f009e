/**
 * No browser-tab storms: after a browser login was left unfinished, runs
 * nobody watches (IDEs, dashboards) fail at once instead of opening another
 * tab; a run from a terminal may always log in.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type CliFixture, startCliFixture } from '../../support/cli-fixture.ts';
import { NON_INTERACTIVE_EXEC_INFO, runCli } from '../../support/run-cli.ts';
import { runInPty } from '../../support/run-in-pty.ts';

describe('storm guard', () => {
  let fixture: CliFixture;
  before(async () => {
    fixture = await startCliFixture();
  });
  after(() => fixture.close());

  const background = (mode: string) =>
    runCli([...fixture.args, '--authentication-timeout-sec=1'], {
      env: { ...fixture.env, KUBERNETES_EXEC_INFO: NON_INTERACTIVE_EXEC_INFO, LOGIN_MODE: mode },
    });

  it('lets the first background run open the browser; it times out unfinished', async () => {
    const result = await background('none');
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^error: the browser login did not finish within 1s$/m);
    assert.equal(await fixture.browserRuns(), 1);
  });

  it('makes the next background runs fail at once, without a browser, saying how to log in', async () => {
    for (let run = 0; run < 3; run++) {
      const result = await background('approve');
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
    }
    assert.equal(await fixture.browserRuns(), 1);
  });

  it('lets a run from a terminal log in', async () => {
    const result = await runInPty(fixture.args, { env: fixture.env, timeoutMs: 30_000 });
    assert.equal(result.code, 0, result.output);
    assert.equal(await fixture.browserRuns(), 2);
    // Background runs are answered from the new token.
    const later = await background('approve');
    assert.equal(later.code, 0, later.stderr);
  });
});
