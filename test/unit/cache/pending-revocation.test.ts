/** The records of refresh tokens a logout could not revoke: never taken for a cache entry, protected as one. */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  DiskPendingRevocations,
  parsePendingRevocation,
  serializePendingRevocation,
} from '../../../src/cache/pending-revocation.ts';
import { DiskTokenStore, isTokenCacheEntry, parseTokenSet } from '../../../src/cache/token-store.ts';
import { Logger } from '../../../src/io/logger.ts';
import { Redactor } from '../../../src/io/redact.ts';

const KEY = 'c'.repeat(64);
const RECORD = { issuer: 'https://issuer.example', clientId: 'kubernetes', refreshTokens: ['rt-1', 'rt-2'] };

describe('a record of refresh tokens to revoke', () => {
  it('round-trips, and is no cache entry whatever it is named', () => {
    const content = serializePendingRevocation(RECORD);
    assert.deepEqual(parsePendingRevocation(content), RECORD);
    assert.equal(parseTokenSet(content), undefined);
    assert.equal(isTokenCacheEntry(content), false);
  });

  it('is nothing without a refresh token, or with fields of the wrong type', () => {
    for (const content of [
      '{"issuer":"i","client_id":"c","unrevoked_refresh_tokens":[]}',
      '{"issuer":"i","client_id":"c","unrevoked_refresh_tokens":"rt"}',
      '{"issuer":1,"client_id":"c","unrevoked_refresh_tokens":["rt"]}',
      '{"refresh_token":"rt"}',
      'not json',
    ])
      assert.equal(parsePendingRevocation(content), undefined, content);
  });
});

describe('DiskPendingRevocations', () => {
  let dir: string;
  const owner = { uid: process.getuid?.(), logger: new Logger({ write: () => undefined }, 0, new Redactor()) };
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kubelogin-pending-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('keeps a record beside the entry, 0600 in a 0700 directory, listed by its key but never by the token store', async () => {
    const cacheDir = join(dir, 'cache');
    const records = new DiskPendingRevocations(cacheDir, owner);
    await records.save(KEY, RECORD);
    assert.equal(records.location(KEY), join(cacheDir, `${KEY}.pending-revocation`));
    assert.equal((await stat(records.location(KEY))).mode & 0o777, 0o600);
    assert.equal((await stat(cacheDir)).mode & 0o777, 0o700);
    assert.deepEqual(await records.load(KEY), RECORD);
    assert.deepEqual((await records.keys()).keys, [KEY]);
    const tokens = new DiskTokenStore(cacheDir, owner);
    assert.deepEqual((await tokens.keys()).keys, []);
    assert.equal(await tokens.load(KEY), undefined);
    await records.delete(KEY);
    await records.delete(KEY);
    assert.deepEqual(await readdir(cacheDir), []);
  });

  it('lists a name that is not a regular file as skipped', async () => {
    const cacheDir = join(dir, 'odd');
    const records = new DiskPendingRevocations(cacheDir, owner);
    await records.save(KEY, RECORD);
    await writeFile(join(cacheDir, 'd'.repeat(64)), 'an entry, not a record');
    await mkdir(join(cacheDir, `${'e'.repeat(64)}.pending-revocation`));
    const listing = await records.keys();
    assert.deepEqual(listing.keys, [KEY]);
    assert.deepEqual(
      listing.skipped.map((skipped) => skipped.location),
      [join(cacheDir, `${'e'.repeat(64)}.pending-revocation`)],
    );
  });
});
