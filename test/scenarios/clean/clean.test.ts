/**
 * `kubelogin clean` deletes kubelogin's entry files (and records of refresh tokens to revoke),
 * locks and temporary files from the cache directory, and only what is its own: entry files whose
 * content is a cache entry, never
 * recursively, never through a link, never the directory itself. A missing directory is fine; HOME
 * and `/` are refused as the cache directory.
 */
import assert from 'node:assert/strict';
import { lstat, mkdir, readdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { entryFiles } from '../../support/cache-entries.ts';
import { assertOneLineError } from '../../support/cli-outcome.ts';
import { parseExecCredential } from '../../support/run-cli.ts';
import { oneLineErrorProblem } from '../../support/setup-output.ts';
import { worldPerTest } from '../../support/world.ts';

/** A login or two and a few CLI runs; a hang fails the test instead of stalling the suite. */
const TEST_TIMEOUT_MS = 60_000;
/** Names shaped like cache keys (64 lowercase hex digits). */
const KEY_A = 'a'.repeat(64);
const KEY_B = 'b'.repeat(64);
const KEY_C = 'c'.repeat(64);
const KEY_D = 'd'.repeat(64);
const KEY_E = 'e'.repeat(64);
/** A cache entry as get-token writes it. */
const ENTRY = '{"id_token":"x.y.z","refresh_token":"r"}';

/** The names in `dir`, sorted; fails when it does not exist. */
async function namesIn(dir: string): Promise<string[]> {
  return (await readdir(dir)).sort();
}

/** True when `path` exists. */
async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

describe('clean', () => {
  const startWorld = worldPerTest();

  it('after a login deletes the entry files, locks and temporary files, leaves other files, and the next get-token logs in again', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const fixture = await startWorld();
    const login = await fixture.getToken();
    assert.equal(login.code, 0, login.stderr);
    const [key] = await entryFiles(fixture.cacheDir);
    assert.ok(key !== undefined, 'the login cached no token');
    // What a killed process may leave: a lock directory of another key and a temporary file.
    const otherKey = 'b'.repeat(64);
    await writeFile(join(fixture.cacheDir, otherKey), '{"id_token":"x"}', { mode: 0o600 });
    await mkdir(join(fixture.cacheDir, `${otherKey}.lock`));
    await writeFile(join(fixture.cacheDir, `.${key}.123.4.1700000000000.tmp`), 'partial');
    // The refresh tokens a logout could not revoke, and a write of them cut short.
    await writeFile(
      join(fixture.cacheDir, `${otherKey}.pending-revocation`),
      '{"issuer":"http://127.0.0.1:1","client_id":"kubernetes","unrevoked_refresh_tokens":["r"]}',
      { mode: 0o600 },
    );
    await writeFile(join(fixture.cacheDir, `.${otherKey}.pending-revocation.123.5.1700000000000.tmp`), 'partial');
    await writeFile(join(fixture.cacheDir, `${KEY_C}.pending-revocation`), 'named like a record, but not one');
    // Files that are not kubelogin's.
    await writeFile(join(fixture.cacheDir, 'notes.txt'), 'mine');
    await writeFile(join(fixture.cacheDir, 'A'.repeat(64)), 'upper-case hex is not a cache key');
    await mkdir(join(fixture.cacheDir, 'keep'));
    await writeFile(join(fixture.cacheDir, 'keep', 'inner'), 'inner');

    const result = await fixture.run(['clean', `--token-cache-dir=${fixture.cacheDir}`]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, '');
    assert.equal(result.stderr, `Deleted the token cache from ${fixture.cacheDir}\n`);
    assert.deepEqual(
      await namesIn(fixture.cacheDir),
      ['A'.repeat(64), 'keep', 'notes.txt', `${KEY_C}.pending-revocation`].sort(),
    );
    assert.equal(await readFile(join(fixture.cacheDir, 'notes.txt'), 'utf8'), 'mine');
    assert.equal(await readFile(join(fixture.cacheDir, 'keep', 'inner'), 'utf8'), 'inner');

    const again = await fixture.getToken();
    assert.equal(again.code, 0, again.stderr);
    parseExecCredential(again.stdout);
    assert.equal(await fixture.browserRuns(), 2, 'the next get-token did not log in again');
    assert.equal(fixture.provider.counts.authorizations, 2);
  });

  it('a cache directory holding only kubelogin files ends up with no token in it', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const fixture = await startWorld();
    assert.equal((await fixture.getToken()).code, 0);
    assert.equal((await entryFiles(fixture.cacheDir)).length, 1);
    const result = await fixture.run(['clean', '--token-cache-dir', fixture.cacheDir]);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(await namesIn(fixture.cacheDir), []);
    // The browser log and the rest of HOME stay.
    assert.ok(await exists(fixture.loginLog));
  });

  it('a missing directory is not an error: exit 0, the same message, nothing created', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const { home, run } = await startWorld({ provider: false });
    const missing = join(home.home, 'no', 'such', 'cache');
    const result = await run(['clean', `--token-cache-dir=${missing}`]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, `Deleted the token cache from ${missing}\n`);
    assert.equal(result.stdout, '');
    assert.deepEqual(await namesIn(home.home), []);
  });

  it('without the flag cleans ~/.kube/cache/oidc-login, where get-token caches by default', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const fixture = await startWorld();
    const defaultArgs = fixture.args.filter((arg) => !arg.startsWith('--token-cache-dir'));
    const login = await fixture.run(defaultArgs);
    assert.equal(login.code, 0, login.stderr);
    assert.equal((await entryFiles(fixture.home.cacheDir)).length, 1);
    await writeFile(join(fixture.home.cacheDir, 'notes.txt'), 'mine');

    const result = await fixture.run(['clean']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, `Deleted the token cache from ${fixture.home.cacheDir}\n`);
    assert.deepEqual(await namesIn(fixture.home.cacheDir), ['notes.txt']);
  });

  it('without the flag follows KUBECACHEDIR, and expands ~ in --token-cache-dir', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const { home, run } = await startWorld({ provider: false });
    const kubeCacheDir = join(home.home, 'kc');
    await mkdir(join(kubeCacheDir, 'oidc-login'), { recursive: true });
    await writeFile(join(kubeCacheDir, 'oidc-login', 'c'.repeat(64)), '{}');
    const viaEnv = await run(['clean'], { env: { KUBECACHEDIR: kubeCacheDir } });
    assert.equal(viaEnv.code, 0, viaEnv.stderr);
    assert.equal(viaEnv.stderr, `Deleted the token cache from ${join(kubeCacheDir, 'oidc-login')}\n`);
    assert.deepEqual(await entryFiles(join(kubeCacheDir, 'oidc-login')), []);

    await mkdir(join(home.home, 'tilde'));
    await writeFile(join(home.home, 'tilde', 'd'.repeat(64)), '{}');
    const viaTilde = await run(['clean', '--token-cache-dir=~/tilde']);
    assert.equal(viaTilde.code, 0, viaTilde.stderr);
    assert.equal(viaTilde.stderr, `Deleted the token cache from ${join(home.home, 'tilde')}\n`);
    assert.deepEqual(await entryFiles(join(home.home, 'tilde')), []);
  });

  it('a cache "directory" that is a file is a one-line error naming it, and the file stays', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const { home, run } = await startWorld({ provider: false });
    const file = join(home.home, 'not-a-dir');
    await writeFile(file, 'data');
    const result = await run(['clean', `--token-cache-dir=${file}`]);
    assert.notEqual(result.code, 0);
    assert.equal(oneLineErrorProblem(result.stderr, [file]), undefined);
    assert.equal(await readFile(file, 'utf8'), 'data');
  });

  it('its help says it is local only and points to logout', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { run } = await startWorld({ provider: false });
    const result = await run(['clean', '--help']);
    assert.equal(result.code, 0, result.stderr);
    // Help wraps at the terminal's width: compare with the line breaks taken out.
    assert.match(
      result.stdout.replace(/\s+/g, ' '),
      /Delete the cached tokens from this machine only \(they stay valid at the provider: use logout to revoke them\)/,
    );
  });
});

describe('clean deletes only what is its own', () => {
  const startWorld = worldPerTest({ provider: false });

  it('leaves a user file and a user directory named like cache entries, and links, and deletes its own', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const { home, run } = await startWorld();
    const dir = join(home.home, 'stuff');
    await mkdir(dir);
    // The user's: a file named with a SHA-256 (a download, say), a directory named like a lock with content.
    await writeFile(join(dir, KEY_A), 'an ISO image, named by its checksum');
    await mkdir(join(dir, `${KEY_B}.lock`));
    await writeFile(join(dir, `${KEY_B}.lock`, 'inner'), 'the user wrote this');
    // Links named like an entry and a lock: the links stay, and what they point at too.
    const outside = join(home.home, 'outside');
    await writeFile(outside, ENTRY);
    await mkdir(join(home.home, 'outside-dir'));
    await symlink(outside, join(dir, KEY_C));
    await symlink(join(home.home, 'outside-dir'), join(dir, `${KEY_C}.lock`));
    // kubelogin's: an entry, an empty lock, a temporary file left by a killed write.
    await writeFile(join(dir, KEY_D), ENTRY, { mode: 0o600 });
    await mkdir(join(dir, `${KEY_D}.lock`));
    await writeFile(join(dir, `.${KEY_E}.4242.1.1700000000000.tmp`), '{"id_tok');

    const result = await run(['clean', `--token-cache-dir=${dir}`]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, '');
    assert.equal(result.stderr, `Deleted the token cache from ${dir}\n`);
    assert.deepEqual(await namesIn(dir), [KEY_A, `${KEY_B}.lock`, KEY_C, `${KEY_C}.lock`].sort());
    assert.equal(await readFile(join(dir, KEY_A), 'utf8'), 'an ISO image, named by its checksum');
    assert.equal(await readFile(join(dir, `${KEY_B}.lock`, 'inner'), 'utf8'), 'the user wrote this');
    assert.ok((await lstat(join(dir, KEY_C))).isSymbolicLink());
    assert.ok((await lstat(join(dir, `${KEY_C}.lock`))).isSymbolicLink());
    assert.equal(await readFile(outside, 'utf8'), ENTRY);
    assert.ok((await stat(join(home.home, 'outside-dir'))).isDirectory());
  });

  it('leaves the cache directory itself, empty or emptied', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { home, run } = await startWorld();
    const empty = join(home.home, 'empty');
    await mkdir(empty);
    const emptied = join(home.home, 'emptied');
    await mkdir(emptied);
    await writeFile(join(emptied, KEY_D), ENTRY);
    for (const dir of [empty, emptied]) {
      const result = await run(['clean', `--token-cache-dir=${dir}`]);
      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual(await namesIn(dir), [], dir);
    }
  });

  it('refuses HOME, as ~ or as a path, and / with a one-line error, deleting nothing', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const { home, run } = await startWorld();
    for (const flag of ['~', home.home, `${home.home}/`, '/']) {
      const result = await run(['clean', `--token-cache-dir=${flag}`]);
      assertOneLineError(result, /^error: --token-cache-dir .* is (your home|the root) directory/);
      assert.match(result.stderr, /^hint: .*--token-cache-dir/m);
    }
    // The empty HOME is still there.
    assert.deepEqual(await namesIn(home.home), []);
    // HOME with an entry in it is refused as well, and the entry stays.
    await writeFile(join(home.home, KEY_D), ENTRY);
    assertOneLineError(await run(['clean', '--token-cache-dir=~']), /home directory/);
    assert.deepEqual(await namesIn(home.home), [KEY_D]);
  });
});
