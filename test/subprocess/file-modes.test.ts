/**
 * The token cache's file modes do not depend on the umask: under umask 000 (a setting of the
 * process, inherited by the CLI's process) a login still writes a 0600 file in a 0700 directory,
 * and a refresh, which replaces the file, keeps it 0600.
 */
import assert from 'node:assert/strict';
import { stat } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { onlyEntryFile } from '../support/cache-entries.ts';
import type { CliResult } from '../support/run-cli.ts';
import { worldForAll } from '../support/world.ts';

/** Lets every user read and write what a process creates, unless it chooses a mode itself. */
const OPEN_UMASK = 0o000;

/** Runs `run` with this process's umask (which the CLI's process inherits) set to `umask`. */
async function withUmask(umask: number, run: () => Promise<CliResult>): Promise<CliResult> {
  const previous = process.umask(umask);
  try {
    return await run();
  } finally {
    process.umask(previous);
  }
}

/** The mode bits of `path`. */
async function modeOf(path: string): Promise<number> {
  return (await stat(path)).mode & 0o777;
}

describe('token cache file modes under umask 000', () => {
  const world = worldForAll({ runner: 'subprocess' });

  it('a login writes a 0600 entry file in a 0700 directory', async () => {
    const result = await withUmask(OPEN_UMASK, () => world().getToken());
    assert.equal(result.code, 0, result.stderr);
    assert.equal(await modeOf(world().cacheDir), 0o700);
    assert.equal(await modeOf(await onlyEntryFile(world().cacheDir)), 0o600);
  });

  it('a refresh replaces the entry file with another 0600 one', async () => {
    const result = await withUmask(OPEN_UMASK, () => world().getToken(['--force-refresh']));
    assert.equal(result.code, 0, result.stderr);
    assert.equal(world().provider.counts.refreshes, 1);
    assert.equal(await modeOf(await onlyEntryFile(world().cacheDir)), 0o600);
  });
});
