import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  clearKeyring,
  type Keyring,
  type KeyringEntry,
  KeyringPendingRevocations,
  KeyringTokenStore,
  keyringAccount,
} from '../../../src/cache/keyring-store.ts';
import { serializeTokenSet } from '../../../src/cache/token-store.ts';
import { ConfigError } from '../../../src/core/errors.ts';

const KEY = 'a'.repeat(64);

/** An in-memory keyring that counts writes and can be told to fail like the library does. */
class FakeKeyring implements Keyring {
  readonly entries = new Map<string, Uint8Array>();
  writes = 0;
  /** Entries opened: each is a connection to the keyring. */
  opened = 0;
  /** Thrown by every call (as the library throws when the keyring is unusable). */
  failure: Error | undefined;
  /** Thrown by setSecret only. */
  writeFailure: Error | undefined;

  entry(service: string, account: string): KeyringEntry {
    if (this.failure) throw this.failure;
    this.opened++;
    const id = `${service}\u0000${account}`;
    return {
      getSecret: async () => {
        if (this.failure) throw this.failure;
        const secret = this.entries.get(id);
        return secret === undefined ? null : Array.from(secret);
      },
      setSecret: async (secret) => {
        if (this.failure ?? this.writeFailure) throw this.failure ?? this.writeFailure;
        this.writes++;
        this.entries.set(id, Uint8Array.from(secret));
      },
      deleteCredential: async () => {
        if (this.failure) throw this.failure;
        return this.entries.delete(id);
      },
    };
  }

  async accounts(service: string): Promise<string[]> {
    if (this.failure) throw this.failure;
    return [...this.entries.keys()]
      .filter((id) => id.startsWith(`${service}\u0000`))
      .map((id) => id.slice(service.length + 1));
  }

  /** Stores raw content under kubelogin's account of a key. */
  put(key: string, content: string | Uint8Array): void {
    this.entries.set(
      `kubelogin\u0000${keyringAccount(key)}`,
      typeof content === 'string' ? Buffer.from(content, 'utf8') : content,
    );
  }
}

/** Asserts a ConfigError whose message contains `message` and whose hint names the disk storage. */
function isKeyringError(message: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    assert.match(error.message, message);
    assert.match(error.hint ?? '', /--token-cache-storage=disk/);
    return true;
  };
}

describe('KeyringTokenStore', () => {
  it('stores the JSON of a disk entry under service kubelogin, account kubelogin/tokencache/<key>', async () => {
    const keyring = new FakeKeyring();
    const tokens = { id_token: 'id.token.välue', refresh_token: 'refresh' };
    await new KeyringTokenStore(keyring).save(KEY, tokens);
    const stored = keyring.entries.get(`kubelogin\u0000kubelogin/tokencache/${KEY}`);
    assert.ok(stored, 'the entry exists');
    assert.equal(Buffer.from(stored).toString('utf8'), serializeTokenSet(tokens));
    assert.deepEqual(await new KeyringTokenStore(keyring).load(KEY), tokens);
  });

  it('loads a missing entry as a miss', async () => {
    assert.equal(await new KeyringTokenStore(new FakeKeyring()).load(KEY), undefined);
  });

  const CORRUPT: Array<[string, string | Uint8Array]> = [
    ['not JSON', '{"id_token": "trunc'],
    ['empty', ''],
    ['a JSON array', '["id_token"]'],
    ['a number id_token', '{"id_token":42}'],
    ['not UTF-8', Uint8Array.of(0xff, 0xfe, 0x7b)],
  ];
  for (const [name, content] of CORRUPT) {
    it(`loads a corrupt entry (${name}) as a miss`, async () => {
      const keyring = new FakeKeyring();
      keyring.put(KEY, content);
      assert.equal(await new KeyringTokenStore(keyring).load(KEY), undefined);
    });
  }

  it('does not write when the entry already holds the same content', async () => {
    const keyring = new FakeKeyring();
    const store = new KeyringTokenStore(keyring);
    await store.save(KEY, { id_token: 'I', refresh_token: 'R' });
    await store.save(KEY, { refresh_token: 'R', id_token: 'I', access_token: '' });
    assert.equal(keyring.writes, 1);
    await store.save(KEY, { id_token: 'I2', refresh_token: 'R' });
    assert.equal(keyring.writes, 2);
  });

  it('opens the entry of a key once for a load and a save', async () => {
    const keyring = new FakeKeyring();
    const store = new KeyringTokenStore(keyring);
    await store.load(KEY);
    await store.save(KEY, { id_token: 'I' });
    await store.load(KEY);
    assert.equal(keyring.opened, 1);
  });

  it('rewrites a corrupt entry', async () => {
    const keyring = new FakeKeyring();
    keyring.put(KEY, 'garbage');
    await new KeyringTokenStore(keyring).save(KEY, { id_token: 'I' });
    assert.equal(keyring.writes, 1);
    assert.deepEqual(await new KeyringTokenStore(keyring).load(KEY), { id_token: 'I' });
  });

  it('fails a load on an unavailable keyring instead of reporting a miss', async () => {
    const keyring = new FakeKeyring();
    keyring.failure = new Error(
      'Platform failure: DBus error: Failed to connect to socket /run/user/0/bus: No such file or directory',
    );
    await assert.rejects(
      new KeyringTokenStore(keyring).load(KEY),
      isKeyringError(
        /^cannot read the token cache from the OS keyring: Platform failure: DBus error: Failed to connect/,
      ),
    );
  });

  it('names a locked keyring and how to unlock it', async () => {
    const keyring = new FakeKeyring();
    keyring.failure = new Error("Couldn't access platform storage: Secret Service: unlock prompt was dismissed");
    await assert.rejects(new KeyringTokenStore(keyring).load(KEY), (error: unknown) => {
      isKeyringError(
        /the keyring is locked \(Couldn't access platform storage: Secret Service: unlock prompt was dismissed\)$/,
      )(error);
      assert.match((error as ConfigError).hint ?? '', /^unlock the keyring/);
      return true;
    });
  });

  it('names the size of an entry too large for the platform', async () => {
    const keyring = new FakeKeyring();
    keyring.writeFailure = new Error("Attribute 'password' is longer than the platform limit of 2560 chars");
    const tokens = { id_token: 'x'.repeat(3000) };
    const bytes = Buffer.byteLength(serializeTokenSet(tokens));
    await assert.rejects(
      new KeyringTokenStore(keyring).save(KEY, tokens),
      isKeyringError(
        new RegExp(
          `^cannot write the token cache to the OS keyring: the entry \\(${bytes} bytes\\) is larger than this keyring allows`,
        ),
      ),
    );
  });

  it('lists only accounts whose key is a cache key, and the others as skipped, so that none names a path', async () => {
    const keyring = new FakeKeyring();
    const store = new KeyringTokenStore(keyring);
    await store.save(KEY, { id_token: 'one' });
    for (const bad of ['../../escape', 'no-such-dir/entry', 'A'.repeat(64), `${'a'.repeat(63)}\n`])
      keyring.entries.set(`kubelogin\u0000kubelogin/tokencache/${bad}`, Buffer.from('{"refresh_token":"r"}'));
    keyring.entries.set('kubelogin\u0000someone-else', Buffer.from('keep'));
    const listing = await store.keys();
    assert.deepEqual(listing.keys, [KEY]);
    assert.deepEqual(
      listing.skipped.map((skipped) => skipped.location),
      ['../../escape', 'no-such-dir/entry', 'A'.repeat(64), `${'a'.repeat(63)}\n`].map(
        (bad) => `the OS keyring account ${JSON.stringify(`kubelogin/tokencache/${bad}`)} (service kubelogin)`,
      ),
    );
    assert.ok(
      listing.skipped.every((skipped) => skipped.reason === 'its key is not a cache key (64 hexadecimal digits)'),
    );
  });

  it('keeps only the first line of a library message', async () => {
    const keyring = new FakeKeyring();
    keyring.failure = new Error('first line\nsecond line');
    await assert.rejects(new KeyringTokenStore(keyring).save(KEY, { id_token: 'I' }), isKeyringError(/: first line$/));
  });
});

describe('clearKeyring', () => {
  it("deletes kubelogin's token cache entries, and refresh tokens kept to revoke, and nothing else", async () => {
    const keyring = new FakeKeyring();
    const store = new KeyringTokenStore(keyring);
    await store.save(KEY, { id_token: 'one' });
    await store.save('b'.repeat(64), { id_token: 'two' });
    await new KeyringPendingRevocations(keyring).save(KEY, {
      issuer: 'https://issuer.example',
      clientId: 'kubernetes',
      refreshTokens: ['rt'],
    });
    keyring.entries.set('kubelogin\u0000someone-else', Buffer.from('keep'));
    keyring.entries.set('other\u0000kubelogin/tokencache/x', Buffer.from('keep'));
    assert.equal(await clearKeyring(keyring), 3);
    assert.deepEqual([...keyring.entries.keys()].sort(), [
      'kubelogin\u0000someone-else',
      'other\u0000kubelogin/tokencache/x',
    ]);
    assert.equal(await clearKeyring(keyring), 0);
  });

  it('fails with the way out when the keyring is unavailable', async () => {
    const keyring = new FakeKeyring();
    keyring.failure = new Error('Platform failure: DBus error: no bus');
    await assert.rejects(
      clearKeyring(keyring),
      isKeyringError(/^cannot list the token cache entries in the OS keyring: /),
    );
  });
});
