/**
 * The storm guard's markers of unfinished browser logins.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { STORM_GUARD_WINDOW_MS, StormGuard, stormGuardDirectory } from '../../../src/cache/storm-guard.ts';

describe('StormGuard', () => {
  let root: string;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'kubelogin-storm-'));
  });
  after(() => rm(root, { recursive: true, force: true }));

  it('remembers an unfinished login for the window, per key, until cleared', async () => {
    const guard = new StormGuard(join(root, 'markers'));
    assert.equal(guard.unfinishedAgo('key-a', Date.now()), undefined);
    guard.recordUnfinished('key-a');
    const marked = (await stat(join(root, 'markers', 'key-a'))).mtimeMs;
    assert.equal(guard.unfinishedAgo('key-a', marked + 1000), 1000);
    assert.equal(guard.unfinishedAgo('key-b', marked + 1000), undefined);
    assert.equal(guard.unfinishedAgo('key-a', marked + STORM_GUARD_WINDOW_MS + 1), undefined);
    guard.clear('key-a');
    assert.equal(guard.unfinishedAgo('key-a', marked + 1000), undefined);
  });

  it('counts a marker up to, not including, the end of the window', async () => {
    const guard = new StormGuard(join(root, 'window'));
    guard.recordUnfinished('key');
    const marked = (await stat(join(root, 'window', 'key'))).mtimeMs;
    assert.equal(guard.unfinishedAgo('key', marked + STORM_GUARD_WINDOW_MS - 1), STORM_GUARD_WINDOW_MS - 1);
    assert.equal(guard.unfinishedAgo('key', marked + STORM_GUARD_WINDOW_MS), undefined);
  });

  it('keeps its markers private to the user, whatever the umask, in unfinished-logins of the user cache directory', async () => {
    const directory = stormGuardDirectory(join(root, 'user-cache'));
    assert.equal(directory, join(root, 'user-cache', 'unfinished-logins'));
    const previous = process.umask(0o000);
    try {
      new StormGuard(directory).recordUnfinished('key');
    } finally {
      process.umask(previous);
    }
    assert.equal((await stat(directory)).mode & 0o777, 0o700);
    assert.equal((await stat(join(directory, 'key'))).mode & 0o777, 0o600);
  });

  it('never fails a login when it cannot write its marker', async () => {
    const file = join(root, 'a-file');
    await writeFile(file, '');
    const guard = new StormGuard(join(file, 'markers'));
    assert.doesNotThrow(() => guard.recordUnfinished('key'));
    assert.equal(guard.unfinishedAgo('key', Date.now()), undefined);
  });
});
