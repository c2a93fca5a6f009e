import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  chunkAccount,
  clearKeyring,
  KEYRING_ITEM_BYTES,
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

  /** @param limit the most bytes an item may hold, refused beyond as the Credential Manager refuses them */
  constructor(private readonly limit = Number.POSITIVE_INFINITY) {}

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
        if (secret.length > this.limit)
          throw new Error(`Attribute 'password' is longer than the platform limit of ${this.limit} chars`);
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

  /** The bytes of an item of kubelogin's, by account; undefined when there is none. */
  item(account: string): Buffer | undefined {
    const secret = this.entries.get(`kubelogin\u0000${account}`);
    return secret === undefined ? undefined : Buffer.from(secret);
  }

  /** The accounts of kubelogin's items, sorted. */
  itemAccounts(): string[] {
    return [...this.entries.keys()].map((id) => id.slice('kubelogin\u0000'.length)).sort();
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

/** A token set whose entry takes `bytes` bytes, about: an ID token of that size. */
function tokensOf(bytes: number): { id_token: string; refresh_token: string } {
  return { id_token: 'i'.repeat(bytes), refresh_token: 'refresh' };
}

describe('KeyringTokenStore with an entry over 2,560 bytes', () => {
  /** A keyring that refuses items over the Credential Manager's limit. */
  const windowsLike = () => new FakeKeyring(KEYRING_ITEM_BYTES);
  const accountsOf = (chunks: number) =>
    [keyringAccount(KEY), ...Array.from({ length: chunks }, (_, i) => chunkAccount(KEY, i + 1))].sort();

  it('writes it as numbered chunks of at most 2,560 bytes beside a manifest, and reads it back as one', async () => {
    const keyring = windowsLike();
    const tokens = tokensOf(6000);
    await new KeyringTokenStore(keyring).save(KEY, tokens);
    assert.deepEqual(keyring.itemAccounts(), accountsOf(3));
    for (const account of keyring.itemAccounts()) assert.ok((keyring.item(account)?.length ?? 0) <= KEYRING_ITEM_BYTES);
    const manifest = JSON.parse(keyring.item(keyringAccount(KEY))?.toString('utf8') ?? '');
    assert.equal(manifest.chunks, 3);
    assert.equal(manifest.id_token, undefined, 'the entry item holds no token');
    assert.deepEqual(await new KeyringTokenStore(keyring).load(KEY), tokens);
    assert.deepEqual(
      await new KeyringTokenStore(keyring).keys(),
      { keys: [KEY], skipped: [] },
      'the chunks are neither keys nor skipped',
    );
  });

  it('overwrites it with fewer chunks, removing the ones left over, and with one item that fits', async () => {
    const keyring = windowsLike();
    const store = new KeyringTokenStore(keyring);
    await store.save(KEY, tokensOf(6000));
    await store.save(KEY, tokensOf(3000));
    assert.deepEqual(keyring.itemAccounts(), accountsOf(2));
    assert.deepEqual(await new KeyringTokenStore(keyring).load(KEY), tokensOf(3000));
    const small = { id_token: 'I', refresh_token: 'R' };
    await store.save(KEY, small);
    assert.deepEqual(keyring.itemAccounts(), accountsOf(0));
    assert.equal(
      keyring.item(keyringAccount(KEY))?.toString('utf8'),
      serializeTokenSet(small),
      'as the Go kubelogin reads it',
    );
  });

  for (const [name, breakIt] of [
    ['missing', (keyring: FakeKeyring) => keyring.entries.delete(`kubelogin\u0000${chunkAccount(KEY, 2)}`)],
    [
      'corrupt',
      (keyring: FakeKeyring) =>
        keyring.entries.set(`kubelogin\u0000${chunkAccount(KEY, 1)}`, Buffer.alloc(KEYRING_ITEM_BYTES, 'x')),
    ],
  ] as const) {
    it(`takes a ${name} chunk for a miss, and removes the broken entry only under the lock`, async () => {
      const keyring = windowsLike();
      await new KeyringTokenStore(keyring).save(KEY, tokensOf(6000));
      breakIt(keyring);
      const before = keyring.itemAccounts();
      assert.equal(await new KeyringTokenStore(keyring).load(KEY), undefined);
      assert.deepEqual(keyring.itemAccounts(), before, 'a reader without the lock may meet a write in progress');
      assert.equal(await new KeyringTokenStore(keyring).load(KEY, { locked: true }), undefined);
      assert.deepEqual(keyring.itemAccounts(), []);
    });
  }

  it('is cleaned up with its chunks by clean', async () => {
    const keyring = windowsLike();
    await new KeyringTokenStore(keyring).save(KEY, tokensOf(6000));
    keyring.entries.set(`kubelogin\u0000${chunkAccount('b'.repeat(64), 1)}`, Buffer.from('left by another writer'));
    assert.equal(await clearKeyring(keyring), 1);
    assert.deepEqual(keyring.itemAccounts(), []);
  });

  it('is deleted with its chunks by logout', async () => {
    const keyring = windowsLike();
    await new KeyringTokenStore(keyring).save(KEY, tokensOf(6000));
    assert.equal(await new KeyringTokenStore(keyring).delete(KEY), true);
    assert.deepEqual(keyring.itemAccounts(), []);
    assert.equal(await new KeyringTokenStore(keyring).delete(KEY), false);
  });

  it('fails naming --token-cache-storage=disk when even a chunk is too large for the keyring, with no other place written', async () => {
    const keyring = new FakeKeyring(1000);
    await assert.rejects(
      new KeyringTokenStore(keyring).save(KEY, tokensOf(6000)),
      isKeyringError(
        /^cannot write the token cache to the OS keyring: the entry \(\d+ bytes\) is larger than this keyring allows/,
      ),
    );
  });

  it('refuses an entry larger than kubelogin keeps in the keyring, writing nothing', async () => {
    const keyring = windowsLike();
    await assert.rejects(
      new KeyringTokenStore(keyring).save(KEY, tokensOf(64 * KEYRING_ITEM_BYTES)),
      isKeyringError(
        /^cannot write the token cache to the OS keyring: the entry \(\d+ bytes\) is larger than kubelogin keeps there/,
      ),
    );
    assert.deepEqual(keyring.itemAccounts(), []);
  });
});
