import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  DiskTokenStore,
  entryFilePath,
  NoTokenStore,
  parseTokenSet,
  serializeTokenSet,
  type TokenStore,
} from '../../../src/cache/token-store.ts';
import { ConfigError } from '../../../src/core/errors.ts';
import { Logger } from '../../../src/io/logger.ts';
import { Redactor } from '../../../src/io/redact.ts';

const KEY = 'a'.repeat(64);
/** This process's user, with a logger that drops what it is told. */
const OWNER = { uid: process.getuid?.(), logger: new Logger({ write: () => undefined }, 0, new Redactor()) };
let root: string;

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'kubelogin-token-store-'));
});

after(async () => {
  await rm(root, { recursive: true, force: true });
});

let counter = 0;
/** A fresh, not yet existing directory under the test root. */
function newDirPath(): string {
  return join(root, `case-${++counter}`);
}

async function modeOf(path: string): Promise<number> {
  return (await stat(path)).mode & 0o777;
}

/** Runs `fn` with the process umask set to `mask`, restoring it afterwards. */
async function withUmask<T>(mask: number, fn: () => Promise<T>): Promise<T> {
  const previous = process.umask(mask);
  try {
    return await fn();
  } finally {
    process.umask(previous);
  }
}

describe('DiskTokenStore', () => {
  it('loads what it saved', async () => {
    const store = new DiskTokenStore(newDirPath(), OWNER);
    const tokens = { id_token: 'id.token.value', refresh_token: 'refresh-value', access_token: 'access.token.value' };
    await store.save(KEY, tokens);
    assert.deepEqual(await store.load(KEY), tokens);
  });

  it('replaces an entry on a second save', async () => {
    const store = new DiskTokenStore(newDirPath(), OWNER);
    await store.save(KEY, { id_token: 'first', refresh_token: 'r1' });
    await store.save(KEY, { id_token: 'second' });
    assert.deepEqual(await store.load(KEY), { id_token: 'second' });
  });

  it('keeps entries of different keys apart', async () => {
    const store = new DiskTokenStore(newDirPath(), OWNER);
    await store.save(KEY, { id_token: 'one' });
    await store.save('b'.repeat(64), { id_token: 'two' });
    assert.deepEqual(await store.load(KEY), { id_token: 'one' });
    assert.deepEqual(await store.load('b'.repeat(64)), { id_token: 'two' });
  });

  it('writes the file named by the key in the Go kubelogin format', async () => {
    const dir = newDirPath();
    await new DiskTokenStore(dir, OWNER).save(KEY, { id_token: 'ID', refresh_token: 'RT' });
    assert.equal(entryFilePath(dir, KEY), join(dir, KEY));
    assert.deepEqual(JSON.parse(await readFile(join(dir, KEY), 'utf8')), { id_token: 'ID', refresh_token: 'RT' });
  });

  it('returns undefined for a missing entry or a missing directory', async () => {
    assert.equal(await new DiskTokenStore(newDirPath(), OWNER).load(KEY), undefined);
    const dir = newDirPath();
    await new DiskTokenStore(dir, OWNER).save(KEY, { id_token: 'x' });
    assert.equal(await new DiskTokenStore(dir, OWNER).load('c'.repeat(64)), undefined);
  });

  for (const mask of [0o077, 0o000]) {
    it(`creates the directory 0700 and the file 0600 with umask ${mask.toString(8).padStart(3, '0')}`, async () => {
      const dir = join(newDirPath(), 'nested', 'oidc-login');
      await withUmask(mask, () => new DiskTokenStore(dir, OWNER).save(KEY, { id_token: 'x' }));
      assert.equal(await modeOf(dir), 0o700);
      assert.equal(await modeOf(join(dir, KEY)), 0o600);
    });
  }

  it('makes the file 0600 even when an older file had another mode', async () => {
    const dir = newDirPath();
    await mkdir(dir, { mode: 0o700 });
    await writeFile(join(dir, KEY), '{"id_token":"old"}', { mode: 0o644 });
    await chmod(join(dir, KEY), 0o644);
    await withUmask(0o000, () => new DiskTokenStore(dir, OWNER).save(KEY, { id_token: 'new' }));
    assert.equal(await modeOf(join(dir, KEY)), 0o600);
  });

  it('does not change the mode of an existing directory', async () => {
    const dir = newDirPath();
    await mkdir(dir);
    await chmod(dir, 0o750);
    await new DiskTokenStore(dir, OWNER).save(KEY, { id_token: 'x' });
    assert.equal(await modeOf(dir), 0o750);
  });

  it('leaves no temporary files behind', async () => {
    const dir = newDirPath();
    const store = new DiskTokenStore(dir, OWNER);
    await store.save(KEY, { id_token: 'one' });
    await store.save(KEY, { id_token: 'two' });
    await store.save('d'.repeat(64), { refresh_token: 'r' });
    assert.deepEqual((await readdir(dir)).sort(), [KEY, 'd'.repeat(64)]);
  });

  const CORRUPT: Array<[string, string]> = [
    ['not JSON', '{"id_token": "trunc'],
    ['empty', ''],
    ['a JSON array', '["id_token"]'],
    ['a JSON string', '"token"'],
    ['null', 'null'],
    ['an empty object', '{}'],
    ['only empty fields', '{"id_token":"","refresh_token":""}'],
    ['a number id_token', '{"id_token":42}'],
    ['an object refresh_token', '{"id_token":"x","refresh_token":{"a":1}}'],
    ['a null id_token', '{"id_token":null,"refresh_token":"r"}'],
  ];

  for (const [name, content] of CORRUPT) {
    it(`loads a corrupt entry (${name}) as a miss`, async () => {
      const dir = newDirPath();
      await mkdir(dir, { mode: 0o700 });
      await writeFile(join(dir, KEY), content, { mode: 0o600 });
      assert.equal(await new DiskTokenStore(dir, OWNER).load(KEY), undefined);
    });
  }

  it('loads an unreadable entry (a directory in its place) as a miss', async () => {
    const dir = newDirPath();
    await mkdir(join(dir, KEY), { recursive: true });
    assert.equal(await new DiskTokenStore(dir, OWNER).load(KEY), undefined);
  });

  it('ignores unknown fields of an entry', async () => {
    const dir = newDirPath();
    await mkdir(dir, { mode: 0o700 });
    await writeFile(join(dir, KEY), '{"id_token":"x","extra":1}');
    assert.deepEqual(await new DiskTokenStore(dir, OWNER).load(KEY), { id_token: 'x' });
  });

  it('throws a ConfigError naming the directory when it cannot be created', async () => {
    const file = join(newDirPath(), 'regular-file');
    await mkdir(join(file, '..'), { recursive: true });
    await writeFile(file, 'not a directory');
    const dir = join(file, 'oidc-login');
    await assert.rejects(new DiskTokenStore(dir, OWNER).save(KEY, { id_token: 'x' }), (error: unknown) => {
      assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
      assert.ok(error.message.includes(dir), error.message);
      return true;
    });
  });

  it('throws a ConfigError naming the directory when the entry cannot be replaced, leaving no temporary file', async () => {
    const dir = newDirPath();
    // A non-empty directory where the entry should be: the final rename fails, even for root.
    await mkdir(join(dir, KEY, 'blocker'), { recursive: true });
    await assert.rejects(new DiskTokenStore(dir, OWNER).save(KEY, { id_token: 'x' }), (error: unknown) => {
      assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
      assert.ok(error.message.includes(dir), error.message);
      return true;
    });
    assert.deepEqual(await readdir(dir), [KEY]);
  });
});

describe('parseTokenSet and serializeTokenSet', () => {
  it('omits empty and absent fields', () => {
    assert.equal(serializeTokenSet({ id_token: 'ID', refresh_token: '' }), '{"id_token":"ID"}');
    assert.equal(serializeTokenSet({ refresh_token: 'RT' }), '{"refresh_token":"RT"}');
    assert.equal(serializeTokenSet({}), '{}');
  });

  it('writes id_token, refresh_token, access_token in that order', () => {
    assert.equal(
      serializeTokenSet({ access_token: 'A', refresh_token: 'R', id_token: 'I' }),
      '{"id_token":"I","refresh_token":"R","access_token":"A"}',
    );
  });

  it('round-trips through parseTokenSet', () => {
    const tokens = { id_token: 'I', refresh_token: 'R' };
    assert.deepEqual(parseTokenSet(serializeTokenSet(tokens)), tokens);
  });

  it('drops empty fields when parsing', () => {
    assert.deepEqual(parseTokenSet('{"id_token":"I","refresh_token":""}'), { id_token: 'I' });
  });

  it("keeps kubelogin's own fields after the tokens, and round-trips them", () => {
    const tokens = { refresh_without_scope: true, scope: 'openid groups', refresh_token: 'R', id_token: 'I' };
    const content = serializeTokenSet(tokens);
    assert.equal(content, '{"id_token":"I","refresh_token":"R","scope":"openid groups","refresh_without_scope":true}');
    assert.deepEqual(parseTokenSet(content), tokens);
    assert.equal(serializeTokenSet({ id_token: 'I', refresh_without_scope: false }), '{"id_token":"I"}');
  });

  it('ignores fields it does not know, as the Go kubelogin ignores ours', () => {
    assert.deepEqual(parseTokenSet('{"id_token":"I","expiry":"2030-01-01T00:00:00Z"}'), { id_token: 'I' });
  });

  it('round-trips the expiry of an opaque access token', () => {
    const tokens = {
      access_token: 'opaque',
      access_token_issued_at: 1_900_000_000,
      access_token_expires_at: 1_900_003_600,
    };
    assert.deepEqual(parseTokenSet(serializeTokenSet(tokens)), tokens);
    assert.equal(parseTokenSet('{"access_token":"opaque","access_token_expires_at":"soon"}'), undefined);
  });

  it('takes a field of the wrong type for a corrupt entry', () => {
    assert.equal(parseTokenSet('{"id_token":"I","refresh_without_scope":"yes"}'), undefined);
    assert.equal(parseTokenSet('{"id_token":"I","scope":["openid"]}'), undefined);
  });

  it('writes the note of a late arrival after the tokens, where the Go kubelogin ignores it, and reads it back', () => {
    const tokens = { id_token: 'I', refresh_token: 'R', late_arrival_exp: 1_900_000_000 };
    const content = serializeTokenSet(tokens);
    assert.equal(content, '{"id_token":"I","refresh_token":"R","late_arrival_exp":1900000000}');
    assert.deepEqual(parseTokenSet(content), tokens);
    assert.equal(parseTokenSet('{"id_token":"I","late_arrival_exp":"soon"}'), undefined, 'a field of the wrong type');
  });

  it('writes and reads the login an exchanged token came from, only when it is a cache key', () => {
    const tokens = { access_token: 'A', exchanged_from: 'b'.repeat(64) };
    assert.deepEqual(parseTokenSet(serializeTokenSet(tokens)), tokens);
    assert.deepEqual(parseTokenSet('{"access_token":"A","exchanged_from":"../x"}'), { access_token: 'A' });
  });
});

describe('NoTokenStore', () => {
  it('never returns what was saved', async () => {
    const store: TokenStore = new NoTokenStore();
    await store.save(KEY, { id_token: 'ID', refresh_token: 'RT' });
    assert.equal(await store.load(KEY), undefined);
  });
});
