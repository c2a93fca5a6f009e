/**
 * Duration flags are bounded by what a timer can wait (2^31-1 ms): a longer
 * --authentication-timeout-sec is refused with one line naming the flag and
 * the range, instead of Node's TimeoutOverflowWarning and a login that fails
 * at once; the longest allowed one works.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type CliFixture, startCliFixture } from '../../support/cli-fixture.ts';
import { assertLoggedIn, assertOneLineError } from '../../support/cli-outcome.ts';
import { passwordOf } from '../../support/provider/test-provider.ts';
import { runCli } from '../../support/run-cli.ts';

/** The longest --authentication-timeout-sec: 2^31-1 ms in whole seconds. */
const LONGEST_SECONDS = 2_147_483;

describe('--authentication-timeout-sec', () => {
  let fixture: CliFixture;
  before(async () => {
    fixture = await startCliFixture();
  });
  after(() => fixture.close());

  for (const seconds of [LONGEST_SECONDS + 1, 99_999_999_999]) {
    it(`refuses ${seconds}, naming the flag and the range`, async () => {
      const result = await fixture.getToken([`--authentication-timeout-sec=${seconds}`, '--token-cache-storage=none']);
      assertOneLineError(
        result,
        new RegExp(
          `^error: --authentication-timeout-sec must be between 1 and ${LONGEST_SECONDS} seconds, got ${seconds}$`,
        ),
      );
      assert.doesNotMatch(result.stderr, /TimeoutOverflowWarning/);
      assert.equal(await fixture.browserRuns(), 0);
    });
  }

  it('refuses it in setup too', async () => {
    const args = fixture.args.filter((arg) => arg !== 'get-token' && !arg.startsWith('--token-cache-dir='));
    assertOneLineError(
      await runCli(['setup', ...args, `--authentication-timeout-sec=${LONGEST_SECONDS + 1}`], { env: fixture.env }),
      /--authentication-timeout-sec must be between 1 and 2147483 seconds/,
    );
  });

  it(`accepts ${LONGEST_SECONDS}`, async () => {
    const result = await fixture.getToken([
      `--authentication-timeout-sec=${LONGEST_SECONDS}`,
      '--grant-type=password',
      '--username=alice',
      `--password=${passwordOf('alice')}`,
      '--token-cache-storage=none',
    ]);
    assertLoggedIn(result);
    assert.equal(result.stderr, '');
  });
});
