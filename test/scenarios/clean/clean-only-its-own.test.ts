/**
 * `kubelogin clean` deletes only what is its own: token files whose content is a cache entry, its
 * temporary files and empty lock directories, never recursively, never through a link, never the
 * directory itself; and it refuses HOME and `/` as the cache directory.
 */
import assert from 'node:assert/strict';
import { lstat, mkdir, readdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { assertOneLineError } from '../../support/cli-outcome.ts';
import { runCli } from '../../support/run-cli.ts';
import { makeTempHome, type TempHome } from '../../support/temp-home.ts';

/** A few CLI runs without a provider. */
const TEST_TIMEOUT_MS = 30_000;
/** Names shaped like cache keys (64 lowercase hex digits). */
const KEY_A = 'a'.repeat(64);
const KEY_B = 'b'.repeat(64);
const KEY_C = 'c'.repeat(64);
const KEY_D = 'd'.repeat(64);
const KEY_E = 'e'.repeat(64);
/** A cache entry as get-token writes it. */
const ENTRY = '{"id_token":"x.y.z","refresh_token":"r"}';

/** Makes a temporary HOME, runs `body`, and always removes it. */
async function withHome(body: (home: TempHome) => Promise<void>): Promise<void> {
  const home = await makeTempHome();
  try {
    await body(home);
  } finally {
    await home.cleanup();
  }
}

/** The names in `dir`, sorted. */
async function namesIn(dir: string): Promise<string[]> {
  return (await readdir(dir)).sort();
}

describe('clean deletes only what is its own', () => {
  it(
    'leaves a user file and a user directory named like cache entries, and links, and deletes its own',
    { timeout: TEST_TIMEOUT_MS },
    () =>
      withHome(async (home) => {
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

        const result = await runCli(['clean', `--token-cache-dir=${dir}`], { env: home.env });
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
      }),
  );

  it('leaves the cache directory itself, empty or emptied', { timeout: TEST_TIMEOUT_MS }, () =>
    withHome(async (home) => {
      const empty = join(home.home, 'empty');
      await mkdir(empty);
      const emptied = join(home.home, 'emptied');
      await mkdir(emptied);
      await writeFile(join(emptied, KEY_D), ENTRY);
      for (const dir of [empty, emptied]) {
        const result = await runCli(['clean', `--token-cache-dir=${dir}`], { env: home.env });
        assert.equal(result.code, 0, result.stderr);
        assert.deepEqual(await namesIn(dir), [], dir);
      }
    }),
  );

  it(
    'refuses HOME, as ~ or as a path, and / with a one-line error, deleting nothing',
    { timeout: TEST_TIMEOUT_MS },
    () =>
      withHome(async (home) => {
        for (const flag of ['~', home.home, `${home.home}/`, '/']) {
          const result = await runCli(['clean', `--token-cache-dir=${flag}`], { env: home.env });
          assertOneLineError(result, /^error: --token-cache-dir .* is (your home|the root) directory/);
          assert.match(result.stderr, /^hint: .*--token-cache-dir/m);
        }
        // The empty HOME is still there.
        assert.deepEqual(await namesIn(home.home), []);
        // HOME with an entry in it is refused as well, and the entry stays.
        await writeFile(join(home.home, KEY_D), ENTRY);
        assertOneLineError(await runCli(['clean', '--token-cache-dir=~'], { env: home.env }), /home directory/);
        assert.deepEqual(await namesIn(home.home), [KEY_D]);
      }),
  );
});
