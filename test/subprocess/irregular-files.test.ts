/**
 * Files that are not regular files where kubelogin reads one: a FIFO would
 * block a synchronous read until a writer comes (and the process, blocked,
 * would not even hear Ctrl-C or SIGTERM), and a device such as /dev/zero
 * never ends. Each is refused at once, naming the file (a token file), or
 * passed over (a cache entry: a miss, and logout says it skipped it). A process, because a
 * blocked read blocks the whole process that makes it.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { entryFiles, onlyEntryFile } from '../support/cache-entries.ts';
import { assertOneLineError } from '../support/cli-outcome.ts';
import { worldForAll, worldPerTest } from '../support/world.ts';

/** Far longer than a refusal takes; a run still going then was blocked, and is killed. */
const RUN_TIMEOUT_MS = 15_000;

/** Makes a FIFO at `path`. */
function mkfifo(path: string): void {
  execFileSync('mkfifo', ['-m', '600', path]);
}

describe('a token file that is not a regular file', () => {
  const world = worldForAll({ provider: false, runner: 'subprocess' });
  const tokenFile = (file: string) =>
    world().run(['get-token', '--grant-type=token-file', `--token-file=${file}`], { timeoutMs: RUN_TIMEOUT_MS });

  it('is refused at once when it is a FIFO nobody writes to', async () => {
    const fifo = join(world().home.home, 'token-fifo');
    mkfifo(fifo);
    const result = await tokenFile(fifo);
    assert.equal(result.signal, null, 'the run was blocked and killed');
    assertOneLineError(result, /^error: --token-file \S+token-fifo: cannot read it \(a FIFO, not a regular file\)$/);
  });

  it('is refused at once when it is /dev/zero, which never ends', async () => {
    const result = await tokenFile('/dev/zero');
    assert.equal(result.signal, null, 'the run was blocked and killed');
    assertOneLineError(
      result,
      /^error: --token-file \/dev\/zero: cannot read it \(a character device, not a regular file\)$/,
    );
  });
});

describe('a FIFO planted as a cache entry', () => {
  const startWorld = worldPerTest({ runner: 'subprocess' });

  it('is a miss for get-token, which logs in and replaces it', async () => {
    const world = await startWorld();
    assert.equal((await world.getToken()).code, 0);
    const entry = await onlyEntryFile(world.cacheDir);
    await rm(entry);
    mkfifo(entry);
    const result = await world.getToken([], { timeoutMs: RUN_TIMEOUT_MS });
    assert.equal(result.signal, null, 'the run was blocked and killed');
    assert.equal(result.code, 0, result.stderr);
    assert.equal(await world.browserRuns(), 2, 'logged in again');
  });

  it('is skipped at once by logout --all, which says so and logs out of the other entries', async () => {
    const world = await startWorld();
    assert.equal((await world.getToken()).code, 0);
    const fifo = join(world.cacheDir, 'f'.repeat(64));
    mkfifo(fifo);
    const result = await world.run(['logout', '--all', `--token-cache-dir=${world.cacheDir}`], {
      timeoutMs: RUN_TIMEOUT_MS,
    });
    assert.equal(result.signal, null, 'the run was blocked and killed');
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, new RegExp(`^Skipped ${fifo}: not a regular file, not a cache entry$`, 'm'));
    assert.match(result.stderr, /: revoked the refresh token/);
    assert.deepEqual(await entryFiles(world.cacheDir), ['f'.repeat(64)], 'the other entry was deleted, the FIFO left');
  });
});
