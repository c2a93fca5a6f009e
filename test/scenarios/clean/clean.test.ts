/**
 * `kubelogin clean`: deletes kubelogin's token files, locks and temporary files from the cache
 * directory, leaves other files alone, and a missing directory is fine.
 */
import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { type CliFixture, startCliFixture } from '../../support/cli-fixture.ts';
import { parseExecCredential, runCli } from '../../support/run-cli.ts';
import { oneLineErrorProblem } from '../../support/setup-output.ts';
import { makeTempHome } from '../../support/temp-home.ts';
import { tokenFiles } from '../../support/token-files.ts';

/** A login or two and a few CLI runs; a hang fails the test instead of stalling the suite. */
const TEST_TIMEOUT_MS = 60_000;

/** Starts a fixture, runs `body`, and always stops it. */
async function withFixture(body: (fixture: CliFixture) => Promise<void>): Promise<void> {
  const fixture = await startCliFixture();
  try {
    await body(fixture);
  } finally {
    await fixture.close();
  }
}

/** The names in `dir`, sorted; none when it does not exist. */
async function namesIn(dir: string): Promise<string[]> {
  return (await readdir(dir).catch(() => [] as string[])).sort();
}

/** True when `path` exists. */
async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

describe('clean', () => {
  it(
    'after a login deletes the token files, locks and temporary files, leaves other files, and the next get-token logs in again',
    { timeout: TEST_TIMEOUT_MS },
    () =>
      withFixture(async (fixture) => {
        const login = await fixture.getToken();
        assert.equal(login.code, 0, login.stderr);
        const [key] = await tokenFiles(fixture.cacheDir);
        assert.ok(key !== undefined, 'the login cached no token');
        // What a killed process may leave: a lock directory of another key and a temporary file.
        const otherKey = 'b'.repeat(64);
        await writeFile(join(fixture.cacheDir, otherKey), '{"id_token":"x"}', { mode: 0o600 });
        await mkdir(join(fixture.cacheDir, `${otherKey}.lock`));
        await writeFile(join(fixture.cacheDir, `.${key}.123.4.1700000000000.tmp`), 'partial');
        // Files that are not kubelogin's.
        await writeFile(join(fixture.cacheDir, 'notes.txt'), 'mine');
        await writeFile(join(fixture.cacheDir, 'A'.repeat(64)), 'upper-case hex is not a cache key');
        await mkdir(join(fixture.cacheDir, 'keep'));
        await writeFile(join(fixture.cacheDir, 'keep', 'inner'), 'inner');

        const result = await runCli(['clean', `--token-cache-dir=${fixture.cacheDir}`], { env: fixture.env });
        assert.equal(result.code, 0, result.stderr);
        assert.equal(result.stdout, '');
        assert.equal(result.stderr, `Deleted the token cache from ${fixture.cacheDir}\n`);
        assert.deepEqual(await namesIn(fixture.cacheDir), ['A'.repeat(64), 'keep', 'notes.txt'].sort());
        assert.equal(await readFile(join(fixture.cacheDir, 'notes.txt'), 'utf8'), 'mine');
        assert.equal(await readFile(join(fixture.cacheDir, 'keep', 'inner'), 'utf8'), 'inner');

        const again = await fixture.getToken();
        assert.equal(again.code, 0, again.stderr);
        parseExecCredential(again.stdout);
        assert.equal(await fixture.browserRuns(), 2, 'the next get-token did not log in again');
        assert.equal(fixture.provider.counts.authorizations, 2);
      }),
  );

  it('a cache directory holding only kubelogin files ends up with no token in it', { timeout: TEST_TIMEOUT_MS }, () =>
    withFixture(async (fixture) => {
      assert.equal((await fixture.getToken()).code, 0);
      assert.equal((await tokenFiles(fixture.cacheDir)).length, 1);
      const result = await runCli(['clean', '--token-cache-dir', fixture.cacheDir], { env: fixture.env });
      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual(await namesIn(fixture.cacheDir), []);
      // The browser log and the rest of HOME stay.
      assert.ok(await exists(join(fixture.home.home, 'browser-runs.log')));
    }),
  );

  it('a missing directory is not an error: exit 0, the same message, nothing created', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const home = await makeTempHome();
    try {
      const missing = join(home.home, 'no', 'such', 'cache');
      const result = await runCli(['clean', `--token-cache-dir=${missing}`], { env: home.env });
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stderr, `Deleted the token cache from ${missing}\n`);
      assert.equal(result.stdout, '');
      assert.deepEqual(await namesIn(home.home), []);
    } finally {
      await home.cleanup();
    }
  });

  it(
    'without the flag cleans ~/.kube/cache/oidc-login, where get-token caches by default',
    { timeout: TEST_TIMEOUT_MS },
    () =>
      withFixture(async (fixture) => {
        const defaultArgs = fixture.args.filter((arg) => !arg.startsWith('--token-cache-dir'));
        const login = await runCli(defaultArgs, { env: fixture.env });
        assert.equal(login.code, 0, login.stderr);
        assert.equal((await tokenFiles(fixture.home.cacheDir)).length, 1);
        await writeFile(join(fixture.home.cacheDir, 'notes.txt'), 'mine');

        const result = await runCli(['clean'], { env: fixture.env });
        assert.equal(result.code, 0, result.stderr);
        assert.equal(result.stderr, `Deleted the token cache from ${fixture.home.cacheDir}\n`);
        assert.deepEqual(await namesIn(fixture.home.cacheDir), ['notes.txt']);
      }),
  );

  it('without the flag follows KUBECACHEDIR, and expands ~ in --token-cache-dir', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const home = await makeTempHome();
    try {
      const kubeCacheDir = join(home.home, 'kc');
      await mkdir(join(kubeCacheDir, 'oidc-login'), { recursive: true });
      await writeFile(join(kubeCacheDir, 'oidc-login', 'c'.repeat(64)), '{}');
      const viaEnv = await runCli(['clean'], { env: { ...home.env, KUBECACHEDIR: kubeCacheDir } });
      assert.equal(viaEnv.code, 0, viaEnv.stderr);
      assert.equal(viaEnv.stderr, `Deleted the token cache from ${join(kubeCacheDir, 'oidc-login')}\n`);
      assert.deepEqual(await tokenFiles(join(kubeCacheDir, 'oidc-login')), []);

      await mkdir(join(home.home, 'tilde'));
      await writeFile(join(home.home, 'tilde', 'd'.repeat(64)), '{}');
      const viaTilde = await runCli(['clean', '--token-cache-dir=~/tilde'], { env: home.env });
      assert.equal(viaTilde.code, 0, viaTilde.stderr);
      assert.equal(viaTilde.stderr, `Deleted the token cache from ${join(home.home, 'tilde')}\n`);
      assert.deepEqual(await tokenFiles(join(home.home, 'tilde')), []);
    } finally {
      await home.cleanup();
    }
  });

  it('a cache "directory" that is a file is a one-line error naming it, and the file stays', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const home = await makeTempHome();
    try {
      const file = join(home.home, 'not-a-dir');
      await writeFile(file, 'data');
      const result = await runCli(['clean', `--token-cache-dir=${file}`], { env: home.env });
      assert.notEqual(result.code, 0);
      assert.equal(oneLineErrorProblem(result.stderr, [file]), undefined);
      assert.equal(await readFile(file, 'utf8'), 'data');
    } finally {
      await home.cleanup();
    }
  });

  it('its help says it is local only and points to logout', { timeout: TEST_TIMEOUT_MS }, async () => {
    const result = await runCli(['clean', '--help']);
    assert.equal(result.code, 0, result.stderr);
    // Help wraps at the terminal's width: compare with the line breaks taken out.
    assert.match(
      result.stdout.replace(/\s+/g, ' '),
      /Delete the cached tokens from this machine only \(they stay valid at the provider: use logout to revoke them\)/,
    );
  });
});
