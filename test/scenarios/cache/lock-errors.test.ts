/**
 * Only a lock held by another process is waited for. Anything else wrong with the lock (its path
 * is a file or a dangling link, it cannot be created) fails the run at once, naming the path, what
 * is wrong, and --token-cache-dir. The cases bind root too, as CI runs as root.
 */
import assert from 'node:assert/strict';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { onlyEntryFile } from '../../support/cache-entries.ts';
import { assertOneLineError } from '../../support/cli-outcome.ts';
import type { CliResult } from '../../support/run-cli.ts';
import { worldForAll } from '../../support/world.ts';

/** Well under the lock's wait (the authentication timeout and 30 s), and under its 10 s staleness. */
const FAST_FAIL_LIMIT_MS = 5_000;
/** A run that waited for the lock would be killed here, failing the test instead of stalling it. */
const RUN_TIMEOUT_MS = 30_000;
/** The longest path Linux accepts (PATH_MAX less the terminating NUL). */
const LONGEST_PATH = 4095;
/** A cache key's length, and the length of the lock's suffix `.lock`. */
const KEY_LENGTH = 64;
const LOCK_SUFFIX_LENGTH = '.lock'.length;
/** The longest name of a directory entry. */
const NAME_MAX = 255;
/** Directory names of a long path, under NAME_MAX. */
const SEGMENT_LENGTH = 200;

describe('lock problems other than a lock held by another process fail at once', () => {
  const world = worldForAll();
  /** The cache key of the world's flags, from the entry file of a first login. */
  let key: string;
  before(async () => {
    assert.equal((await world().getToken()).code, 0);
    key = (await onlyEntryFile(world().cacheDir)).slice(world().cacheDir.length + 1);
  });

  /** get-token with --force-refresh (so it takes the lock) and `cacheDir`; the result and how long it took. */
  async function refreshIn(cacheDir: string): Promise<{ result: CliResult; elapsedMs: number }> {
    const args = [
      ...world().args.filter((arg) => !arg.startsWith('--token-cache-dir=')),
      `--token-cache-dir=${cacheDir}`,
      '--force-refresh',
    ];
    const started = Date.now();
    const result = await world().run(args, { timeoutMs: RUN_TIMEOUT_MS });
    return { result, elapsedMs: Date.now() - started };
  }

  /** Asserts a fast one-line error matching `pattern`, with --token-cache-dir in the hint. */
  function assertFastLockError({ result, elapsedMs }: { result: CliResult; elapsedMs: number }, pattern: RegExp): void {
    assertOneLineError(result, pattern);
    assert.match(result.stderr, /^hint: .*--token-cache-dir/m);
    assert.ok(elapsedMs < FAST_FAIL_LIMIT_MS, `took ${elapsedMs} ms`);
  }

  it('the lock path is a regular file', async () => {
    const cacheDir = join(world().home.home, 'file-lock');
    await mkdir(cacheDir, { mode: 0o700 });
    const lock = join(cacheDir, `${key}.lock`);
    await writeFile(lock, 'not a lock');
    assertFastLockError(
      await refreshIn(cacheDir),
      new RegExp(`^error: cannot lock the token cache: ${lock} is a file, not a lock directory$`),
    );
  });

  it('the lock path is a dangling symbolic link', async () => {
    const cacheDir = join(world().home.home, 'link-lock');
    await mkdir(cacheDir, { mode: 0o700 });
    const lock = join(cacheDir, `${key}.lock`);
    await symlink(join(world().home.home, 'nowhere'), lock);
    assertFastLockError(
      await refreshIn(cacheDir),
      new RegExp(`^error: cannot lock the token cache: ${lock} is a symbolic link, not a lock directory$`),
    );
  });

  it('the lock cannot be created (its path is too long, though the entry file would fit)', {
    skip: process.platform !== 'linux' && 'PATH_MAX is Linux’s',
  }, async () => {
    // A cache directory path so long that the entry file's path fits in PATH_MAX and the lock's does not.
    const base = join(world().home.home, 'long');
    const wanted = LONGEST_PATH - 1 - KEY_LENGTH - LOCK_SUFFIX_LENGTH + 1;
    const segments: string[] = [];
    let rest = wanted - base.length;
    for (; rest > NAME_MAX + 1; rest -= SEGMENT_LENGTH + 1) segments.push('d'.repeat(SEGMENT_LENGTH));
    segments.push('d'.repeat(rest - 1));
    const cacheDir = join(base, ...segments);
    assert.equal(cacheDir.length, wanted);
    assertFastLockError(
      await refreshIn(cacheDir),
      /^error: cannot lock the token cache at .*\.lock: the path is too long$/,
    );
  });

  it('the cache directory lies below a regular file', async () => {
    const file = join(world().home.home, 'a-file');
    await writeFile(file, '');
    const cacheDir = join(file, 'cache');
    assertFastLockError(
      await refreshIn(cacheDir),
      new RegExp(`^error: cannot create the token cache directory ${cacheDir}: a parent is not a directory$`),
    );
  });
});
