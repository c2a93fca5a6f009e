/**
 * The token cache directory is checked as ssh checks ~/.ssh, before anything in it is read: one of
 * ours that others may write to is made 0700 (said at -v1); one of another user is
 * refused, naming it and --token-cache-dir; and an entry file another user planted is never handed
 * to kubectl. Windows has no file modes to enforce (said at -v1).
 */
import assert from 'node:assert/strict';
import { chmod, chown, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { onlyEntryFile } from '../../support/cache-entries.ts';
import { assertOneLineError } from '../../support/cli-outcome.ts';
import { parseExecCredential } from '../../support/run-cli.ts';
import { worldForAll } from '../../support/world.ts';

/** uid and gid of `nobody`: a user other than the one running the tests (root in CI). */
const OTHER_USER = 65534;
/** True when the tests may give files away to another user. */
const IS_ROOT = process.getuid?.() === 0;
/** A mode that lets every user plant files. */
const OPEN_MODE = 0o777;
const PRIVATE_MODE = 0o700;
/** The group may plant files. */
const GROUP_WRITABLE_MODE = 0o770;
/** Others may list the directory, but not write to it: a mode a user may choose. */
const READABLE_MODE = 0o755;

/** An unsigned ID token valid for an hour: what an attacker plants (the cache-hit path does not verify signatures). */
function plantedIdToken(): string {
  const now = Math.floor(Date.now() / 1000);
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'RS256' })}.${part({ iss: 'attacker', sub: 'attacker', iat: now, exp: now + 3600 })}.${part({ planted: true })}`;
}

/** The mode bits of `path`. */
async function modeOf(path: string): Promise<number> {
  return (await stat(path)).mode & 0o777;
}

describe('the token cache directory is checked before it is used', () => {
  const world = worldForAll();

  it('a directory of ours open to others is made 0700, saying so at -v1, and its token is used', async () => {
    assert.equal((await world().getToken()).code, 0);
    await chmod(world().cacheDir, OPEN_MODE);
    const hit = await world().getToken(['-v1']);
    assert.equal(hit.code, 0, hit.stderr);
    parseExecCredential(hit.stdout);
    assert.equal(await modeOf(world().cacheDir), PRIVATE_MODE);
    assert.match(
      hit.stderr,
      new RegExp(`^made the token cache directory ${world().cacheDir} private \\(mode 0777 to 0700\\)$`, 'm'),
    );
    assert.equal(await world().browserRuns(), 1, 'the cached token was not used');

    // At -v0 nothing is said; group-writable is as open.
    await chmod(world().cacheDir, GROUP_WRITABLE_MODE);
    const quiet = await world().getToken();
    assert.equal(quiet.code, 0, quiet.stderr);
    assert.equal(quiet.stderr, '');
    assert.equal(await modeOf(world().cacheDir), PRIVATE_MODE);
  });

  it('on Windows, which has no user ids and no file modes, nothing is checked or changed, and -v1 says so', async () => {
    assert.equal((await world().getToken()).code, 0);
    await chmod(world().cacheDir, OPEN_MODE);
    const windows = { platform: 'win32', uid: undefined, env: { USERPROFILE: world().home.home } } as const;
    const hit = await world().getToken(['-v1'], windows);
    assert.equal(hit.code, 0, hit.stderr);
    parseExecCredential(hit.stdout);
    assert.match(hit.stderr, /^file modes are not enforced on Windows: .*access control list/m);
    assert.equal(await modeOf(world().cacheDir), OPEN_MODE, 'left as it was');
    const quiet = await world().getToken([], windows);
    assert.equal(quiet.stderr, '');
    await chmod(world().cacheDir, PRIVATE_MODE);
  });

  it('a directory of ours that others may only read keeps its mode: nobody else can plant a file there', async () => {
    assert.equal((await world().getToken()).code, 0);
    await chmod(world().cacheDir, READABLE_MODE);
    const hit = await world().getToken(['-v1']);
    assert.equal(hit.code, 0, hit.stderr);
    assert.doesNotMatch(hit.stderr, /made the token cache directory/);
    assert.equal(await modeOf(world().cacheDir), READABLE_MODE);
  });

  it('an entry file planted by another user in a directory that was open is not handed to kubectl', {
    skip: !IS_ROOT && 'giving a file to another user needs root',
  }, async () => {
    assert.equal((await world().getToken()).code, 0);
    const tokenFile = await onlyEntryFile(world().cacheDir);
    const planted = plantedIdToken();
    await chmod(world().cacheDir, OPEN_MODE);
    await writeFile(tokenFile, JSON.stringify({ id_token: planted }));
    await chown(tokenFile, OTHER_USER, OTHER_USER);
    const browserRunsBefore = await world().browserRuns();

    const result = await world().getToken();
    assert.equal(result.code, 0, result.stderr);
    assert.notEqual(parseExecCredential(result.stdout).status.token, planted, 'the planted token was handed over');
    assert.equal(await world().browserRuns(), browserRunsBefore + 1, 'a new login replaced the planted entry');
    assert.notEqual(JSON.parse(await readFile(tokenFile, 'utf8')).id_token, planted);
    assert.equal((await stat(tokenFile)).uid, process.getuid?.());
  });

  it('a directory of another user is refused before its token is read, naming it and --token-cache-dir', async () => {
    // As root, a directory given to nobody; otherwise / belongs to root, another user.
    let dir = '/';
    if (IS_ROOT) {
      dir = join(world().home.home, 'someone-elses');
      await mkdir(dir);
      await chown(dir, OTHER_USER, OTHER_USER);
    }
    const args = world().args.filter((arg) => !arg.startsWith('--token-cache-dir='));
    // A planted entry for these very flags, as the attacker would make it.
    if (IS_ROOT) {
      const probe = join(world().home.home, 'probe');
      assert.equal((await world().run([...args, `--token-cache-dir=${probe}`])).code, 0);
      const key = (await onlyEntryFile(probe)).slice(probe.length + 1);
      await writeFile(join(dir, key), JSON.stringify({ id_token: plantedIdToken() }));
      await chown(join(dir, key), OTHER_USER, OTHER_USER);
    }
    const browserRunsBefore = await world().browserRuns();

    const result = await world().run([...args, `--token-cache-dir=${dir}`]);
    assertOneLineError(
      result,
      new RegExp(`^error: the token cache directory ${dir} belongs to another user \\(uid \\d+\\)`),
    );
    assert.match(result.stderr, /^hint: .*--token-cache-dir/m);
    assert.equal(await world().browserRuns(), browserRunsBefore, 'a login was started');
  });
});
