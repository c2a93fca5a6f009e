/** secureCacheDir: the token cache directory must be the user's own, and writable by nobody else. */
import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { secureCacheDir } from '../../../src/cache/cache-directory.ts';
import { ConfigError } from '../../../src/core/errors.ts';
import { Logger } from '../../../src/io/logger.ts';
import { Redactor } from '../../../src/io/redact.ts';

/** The user id of this process (the tests do not run on Windows, where there is none). */
const UID = process.getuid?.() ?? 0;

let root: string;
let counter = 0;
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'kubelogin-cache-directory-'));
});
after(() => rm(root, { recursive: true, force: true }));

/** A new directory with exactly `mode`. */
async function directoryWithMode(mode: number): Promise<string> {
  const dir = join(root, `case-${++counter}`);
  await mkdir(dir);
  await chmod(dir, mode);
  return dir;
}

/** An owner with `uid` whose -v1 lines are collected. */
function ownerWith(uid: number | undefined): { uid: number | undefined; logger: Logger; lines: string[] } {
  const lines: string[] = [];
  return { uid, logger: new Logger({ write: (text: string) => lines.push(text) }, 1, new Redactor()), lines };
}

async function modeOf(path: string): Promise<number> {
  return (await stat(path)).mode & 0o777;
}

describe('secureCacheDir', () => {
  it('makes a directory of ours that others may write to 0700, and says so', async () => {
    for (const mode of [0o777, 0o770, 0o702]) {
      const dir = await directoryWithMode(mode);
      const owner = ownerWith(UID);
      secureCacheDir(dir, owner);
      assert.equal(await modeOf(dir), 0o700);
      assert.deepEqual(owner.lines, [
        `made the token cache directory ${dir} private (mode 0${mode.toString(8)} to 0700)\n`,
      ]);
    }
  });

  it('leaves a directory of ours that nobody else may write to as it is, silently', async () => {
    for (const mode of [0o700, 0o750, 0o755]) {
      const dir = await directoryWithMode(mode);
      const owner = ownerWith(UID);
      secureCacheDir(dir, owner);
      assert.equal(await modeOf(dir), mode);
      assert.deepEqual(owner.lines, []);
    }
  });

  it('refuses a directory of another user, naming it and --token-cache-dir, and leaves its mode', async () => {
    const dir = await directoryWithMode(0o777);
    assert.throws(
      () => secureCacheDir(dir, ownerWith(UID + 1)),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.message ===
          `the token cache directory ${dir} belongs to another user (uid ${UID}), who could plant tokens in it` &&
        /--token-cache-dir/.test(error.hint ?? ''),
    );
    assert.equal(await modeOf(dir), 0o777);
  });

  it('checks nothing where there are no user ids (Windows)', async () => {
    const dir = await directoryWithMode(0o777);
    secureCacheDir(dir, ownerWith(undefined));
    assert.equal(await modeOf(dir), 0o777);
  });

  it('passes a missing directory and a file in its place: creating or reading them reports those', async () => {
    secureCacheDir(join(root, 'missing'), ownerWith(UID));
    const file = join(root, 'a-file');
    await writeFile(file, '');
    secureCacheDir(file, ownerWith(UID));
    secureCacheDir(join(file, 'below'), ownerWith(UID));
  });
});
