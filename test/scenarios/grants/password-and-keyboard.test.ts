/**
 * The grants that need typing: password (by flags) and authcode-keyboard (the
 * code typed at `Enter code: `), and how they fail fast where nobody can type.
 * A terminal here is a stdin that claims to be one; the prompts on a real
 * terminal (no echo of the password, a code pasted while the CLI waits) are in
 * test/subprocess/terminal-prompts.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { entryFiles } from '../../support/cache-entries.ts';
import { passwordOf } from '../../support/provider/test-provider.ts';
import { NON_INTERACTIVE_EXEC_INFO, parseExecCredential } from '../../support/run-cli.ts';
import { type World, worldPerTest } from '../../support/world.ts';

/** Where the provider would send the browser with the code; these runs fail before anyone gets there. */
const KEYBOARD_REDIRECT_URL = 'http://localhost:8000';
/** How long a run that must fail at once may take before it is killed. */
const FAIL_FAST_TIMEOUT_MS = 10_000;

describe('password grant', () => {
  const startWorld = worldPerTest();

  const passwordArgs = (world: World, user: string, password = passwordOf(user)) => [
    ...world.args,
    '--grant-type=password',
    `--username=${user}`,
    `--password=${password}`,
  ];

  it('logs in with --username and --password, and keys the cache by username', async () => {
    const world = await startWorld();
    const alice = await world.run(passwordArgs(world, 'alice'));
    assert.equal(alice.code, 0, alice.stderr);
    assert.equal(alice.stderr, '');
    const bob = await world.run(passwordArgs(world, 'bob'));
    assert.equal(bob.code, 0, bob.stderr);
    const claims = (stdout: string) =>
      JSON.parse(Buffer.from(parseExecCredential(stdout).status.token.split('.')[1] as string, 'base64url').toString());
    assert.equal(claims(alice.stdout).sub, 'alice');
    assert.equal(claims(bob.stdout).sub, 'bob');
    assert.equal((await entryFiles(world.cacheDir)).length, 2);
    assert.equal(world.provider.counts.passwordGrants, 2);
    assert.equal(await world.browserRuns(), 0);
  });

  it('is what auto picks when --username is given, and says so', async () => {
    const world = await startWorld();
    const result = await world.getToken(['--username=alice', `--password=${passwordOf('alice')}`]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /^Using the password flow: --username was given\.$/m);
    assert.equal(world.provider.counts.passwordGrants, 1);
  });

  it('fails with one line on a wrong password, and never prints it', async () => {
    const world = await startWorld();
    const result = await world.run(passwordArgs(world, 'alice', 'wrong-password-value'));
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /^error: the password grant at 127\.0\.0\.1:\d+ failed: invalid_grant/);
    assert.ok(!result.stderr.includes('wrong-password-value'));
  });

  it('fails at once, naming the flag, when the password is missing and nobody can type it', async () => {
    const world = await startWorld();
    const result = await world.getToken(['--grant-type=password', '--username=alice'], {
      env: { KUBERNETES_EXEC_INFO: NON_INTERACTIVE_EXEC_INFO },
      timeoutMs: FAIL_FAST_TIMEOUT_MS,
    });
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /^error: typing the missing --password needs a terminal/);
    assert.match(result.stderr, /^hint: pass --password, or run the command in a terminal$/m);
  });
});

describe('authcode-keyboard', () => {
  const startWorld = worldPerTest();

  const keyboardArgs = (world: World) => [
    ...world.args,
    '--grant-type=authcode-keyboard',
    `--oidc-redirect-url=${KEYBOARD_REDIRECT_URL}`,
  ];

  it('fails with one line on a wrong or empty typed code', async () => {
    const world = await startWorld();
    for (const typed of ['not-a-code', '']) {
      const result = await world.run(keyboardArgs(world), { stdinIsTTY: true, input: `${typed}\n` });
      assert.equal(result.code, 1, result.stderr);
      assert.equal(result.stdout, '');
      assert.match(result.stderr, /^Please visit the following URL in your browser: \S+$/m);
      // Without a terminal's echo of the typed line, the error follows the prompt on its line.
      assert.match(
        result.stderr,
        typed
          ? /^Enter code: error: the token request at 127\.0\.0\.1:\d+ failed: invalid_grant/m
          : /^Enter code: error: no authorization code was entered$/m,
      );
    }
    assert.equal(world.provider.counts.codeExchanges, 0);
    assert.equal(await world.browserRuns(), 0, 'no browser is opened');
  });

  it('fails at once without a terminal, naming what would work', async () => {
    const world = await startWorld();
    const result = await world.run(keyboardArgs(world), { timeoutMs: FAIL_FAST_TIMEOUT_MS });
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /^error: --grant-type=authcode-keyboard \(pasting the code\) needs a terminal/);
    assert.match(result.stderr, /--grant-type=device-code/);
  });
});
