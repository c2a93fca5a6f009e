/**
 * The token cache in the OS keyring (`--token-cache-storage=keyring`): the
 * Secret Service on Linux, the Keychain on macOS, the Credential Manager on
 * Windows, through @napi-rs/keyring. One entry per cache key, holding the
 * same JSON as a disk file, under the names the Go kubelogin uses; and the
 * records of refresh tokens a logout could not revoke, where their entries were.
 *
 * An entry larger than the Credential Manager's 2,560 bytes (an ID token and
 * a refresh token from Keycloak or Entra often are) is split on every
 * platform, so that the code Windows runs is the code tested everywhere: its
 * numbered chunks lie in items of their own, and the entry's item holds a
 * small manifest naming how many there are and the SHA-256 of the whole. A
 * chunk that is missing or does not add up makes the entry a miss, removed by
 * whoever holds the entry's lock. An entry that fits stays one item, as the Go
 * kubelogin reads it.
 *
 * Only get-token's `import()` loads this module, and it loads the native
 * addon only when opened: a disk cache hit never pays for either.
 */

// node:crypto takes ~7 ms to load; the pure-JS SHA-256 of the cache key is at hand.
import type { TokenSet } from '../core/credential.ts';
import { ConfigError } from '../core/errors.ts';
import { sha256Hex } from '../core/sha256-hex.ts';
import {
  type PendingRevocation,
  type PendingRevocations,
  parsePendingRevocation,
  serializePendingRevocation,
} from './pending-revocation.ts';
import {
  CACHE_KEY_PATTERN,
  CACHE_KEY_SOURCE,
  type KeyListing,
  type LoadOptions,
  parseTokenSet,
  serializeTokenSet,
  type TokenStore,
} from './token-store.ts';

/** The keyring service of every entry, as the Go kubelogin. */
const KEYRING_SERVICE = 'kubelogin';
/** Prefix of the account of an entry; the cache key follows, as the Go kubelogin. */
const KEYRING_ACCOUNT_PREFIX = 'kubelogin/tokencache/';
/** The most bytes one keyring item holds: the Credential Manager's limit, used on every platform. */
export const KEYRING_ITEM_BYTES = 2560;
/**
 * The most chunks of one entry (160 KiB). Tokens take a few KiB: an entry
 * this large means something else is wrong, and every chunk is a keyring
 * round trip on every cache hit.
 */
const MAX_CHUNKS = 64;
/** What a failed write says first. */
const WRITE_FAILED = 'cannot write the token cache to the OS keyring';
/** What follows the entry prefix in the account of one of the entry's chunks: its key, `/`, its number. */
const CHUNK_ACCOUNT_SUFFIX = new RegExp(`^${CACHE_KEY_SOURCE}/[1-9][0-9]*$`);
/** Prefix of the account of a record of refresh tokens a logout could not revoke; the entry's cache key follows. */
const PENDING_REVOCATION_ACCOUNT_PREFIX = 'kubelogin/pending-revocation/';
/** The prefixes of kubelogin's accounts, which `clean` deletes. */
const ACCOUNT_PREFIXES = [KEYRING_ACCOUNT_PREFIX, PENDING_REVOCATION_ACCOUNT_PREFIX];
/** The way out named by every keyring error. */
const DISK_HINT = 'use --token-cache-storage=disk to keep the token cache in files instead';
/** The way out of a locked keyring. */
const LOCKED_HINT = 'unlock the keyring (log in to the desktop session), or use --token-cache-storage=disk';
/**
 * The Secret Service only, never the library's silent fallback to the kernel
 * keyring when no Secret Service answers: that keyring lives in memory, is
 * not the one the Go kubelogin uses, and would turn an unavailable keyring
 * into a second, separate cache instead of an error. Ignored off Linux.
 */
const ENTRY_OPTIONS = { linux: { store: 'secret-service' } } as const;
/** The library's wording for an item over the platform's size limit. */
const TOO_LONG_PATTERN = /longer than the platform limit/i;
/** The Secret Service's wording for a locked collection, or for an unlock prompt nobody could answer. */
const LOCKED_PATTERN = /\block|unlock/i;

/** One keyring item, as @napi-rs/keyring's AsyncEntry offers it. */
export interface KeyringEntry {
  /** The stored bytes, or null when there is no item. */
  getSecret(): Promise<ArrayLike<number> | null>;
  setSecret(secret: Uint8Array): Promise<void>;
  /** True when an item was deleted, false when there was none. */
  deleteCredential(): Promise<boolean>;
}

/** The OS keyring, or a stand-in in tests. */
export interface Keyring {
  /** The item of an account of a service; may throw when the keyring is unavailable. */
  entry(service: string, account: string): KeyringEntry;
  /** The accounts that have an item in a service. */
  accounts(service: string): Promise<string[]>;
}

/** The keyring account of a cache key's entry. */
export function keyringAccount(key: string): string {
  return `${KEYRING_ACCOUNT_PREFIX}${key}`;
}

/** The keyring account of chunk `index` (from 1) of a cache key's entry. */
export function chunkAccount(key: string, index: number): string {
  return `${keyringAccount(key)}/${index}`;
}

/** What the item of a split entry holds: how many chunks, and the SHA-256 of their bytes joined. */
interface ChunkManifest {
  chunks: number;
  sha256: string;
}

/** The manifest in an item's text, or undefined when the item holds an entry itself. */
function manifestOf(content: string): ChunkManifest | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { chunks, sha256: digest } = parsed as Partial<Record<keyof ChunkManifest, unknown>>;
  return typeof chunks === 'number' && Number.isInteger(chunks) && chunks > 0 && typeof digest === 'string'
    ? { chunks, sha256: digest }
    : undefined;
}

/** What an entry's item and chunks hold. */
type StoredEntry =
  | { kind: 'missing' }
  /** The entry's bytes, read as one; `chunks`: how many items beside the entry's own held them. */
  | { kind: 'whole'; content: string; chunks: number }
  /** A split entry with a chunk missing, or chunks not adding up to its digest. */
  | { kind: 'broken'; chunks: number };

/**
 * The token cache in a keyring. An unusable keyring is an error (a miss would
 * log in on every run); a corrupt entry, or a split one with a chunk missing
 * or wrong, is a miss.
 */
export class KeyringTokenStore implements TokenStore {
  /** Items opened so far, by account: opening one connects to the keyring (about 12 ms on the Secret Service). */
  private readonly items = new Map<string, KeyringEntry>();

  constructor(private readonly keyring: Keyring) {}

  /** The entry; a broken split entry is a miss, and is removed when the caller holds the entry's lock. */
  async load(key: string, { locked = false }: LoadOptions = {}): Promise<TokenSet | undefined> {
    const stored = await this.read(key);
    if (stored.kind === 'whole') return parseTokenSet(stored.content);
    // Without the lock a chunk may be missing because another process is writing them: only the holder removes.
    if (stored.kind === 'broken' && locked) await this.remove(key, stored.chunks);
    return undefined;
  }

  /**
   * Writes the entry unless it already holds exactly this content (a keyring
   * write may prompt or sync): in one item when it fits, else its chunks
   * first and then the manifest, so that no reader finds a manifest before
   * its chunks; chunks an older, longer entry left go last. The caller holds
   * the entry's lock.
   */
  async save(key: string, tokens: TokenSet): Promise<void> {
    const content = serializeTokenSet(tokens);
    const previous = await this.read(key);
    if (previous.kind === 'whole' && previous.content === content) return;
    const bytes = Buffer.from(content, 'utf8');
    let chunks = 0;
    if (bytes.length <= KEYRING_ITEM_BYTES) {
      await this.write(keyringAccount(key), bytes, bytes.length);
    } else {
      chunks = Math.ceil(bytes.length / KEYRING_ITEM_BYTES);
      if (chunks > MAX_CHUNKS) {
        throw new ConfigError(
          `${WRITE_FAILED}: the entry (${bytes.length} bytes) is larger than kubelogin keeps there (${MAX_CHUNKS * KEYRING_ITEM_BYTES} bytes)`,
          { hint: DISK_HINT },
        );
      }
      for (let index = 1; index <= chunks; index++) {
        const chunk = bytes.subarray((index - 1) * KEYRING_ITEM_BYTES, index * KEYRING_ITEM_BYTES);
        await this.write(chunkAccount(key, index), chunk, bytes.length);
      }
      const manifest: ChunkManifest = { chunks, sha256: sha256Hex(content) };
      await this.write(keyringAccount(key), Buffer.from(JSON.stringify(manifest), 'utf8'), bytes.length);
    }
    const left = previous.kind === 'missing' ? 0 : previous.chunks;
    for (let index = chunks + 1; index <= left; index++) await this.deleteItem(chunkAccount(key, index));
  }

  /** Deletes the entry's item and its chunks; true when there was an entry. The caller holds the entry's lock. */
  async delete(key: string): Promise<boolean> {
    const stored = await this.read(key);
    if (stored.kind === 'missing') return false;
    await this.remove(key, stored.chunks);
    return true;
  }

  /** The keys of the entries (not of their chunks); accounts whose key is no cache key are skipped and named. */
  keys(): Promise<KeyListing> {
    return listKeys(this.keyring, KEYRING_ACCOUNT_PREFIX);
  }

  location(key: string): string {
    return `the OS keyring (service ${KEYRING_SERVICE}, account ${keyringAccount(key)})`;
  }

  /** The entry's item and, for a split entry, its chunks, read as one. */
  private async read(key: string): Promise<StoredEntry> {
    const head = await this.readItem(keyringAccount(key));
    if (head === undefined) return { kind: 'missing' };
    const content = head.toString('utf8');
    const manifest = manifestOf(content);
    if (manifest === undefined) return { kind: 'whole', content, chunks: 0 };
    const parts: Buffer[] = [];
    for (let index = 1; index <= manifest.chunks; index++) {
      const part = await this.readItem(chunkAccount(key, index));
      if (part === undefined) return { kind: 'broken', chunks: manifest.chunks };
      parts.push(part);
    }
    // Bytes that are no UTF-8 read as U+FFFD, so a chunk cut or changed anywhere fails the digest.
    const whole = Buffer.concat(parts).toString('utf8');
    if (sha256Hex(whole) !== manifest.sha256) return { kind: 'broken', chunks: manifest.chunks };
    return { kind: 'whole', content: whole, chunks: manifest.chunks };
  }

  /** Removes an entry's item, then its chunks 1 to `chunks`: no reader finds chunks without their manifest as an entry. */
  private async remove(key: string, chunks: number): Promise<void> {
    await this.deleteItem(keyringAccount(key));
    for (let index = 1; index <= chunks; index++) await this.deleteItem(chunkAccount(key, index));
  }

  /** An item's bytes, or undefined when there is none. */
  private async readItem(account: string): Promise<Buffer | undefined> {
    let secret: ArrayLike<number> | null;
    try {
      secret = await this.item(account).getSecret();
    } catch (cause) {
      throw keyringError('cannot read the token cache from the OS keyring', cause);
    }
    return secret === null ? undefined : Buffer.from(Uint8Array.from(secret));
  }

  /** Writes an item; `entryBytes`, the size of the whole entry, is named when the keyring refuses the size. */
  private async write(account: string, bytes: Uint8Array, entryBytes: number): Promise<void> {
    try {
      await this.item(account).setSecret(bytes);
    } catch (cause) {
      throw keyringError(WRITE_FAILED, cause, entryBytes);
    }
  }

  private async deleteItem(account: string): Promise<void> {
    try {
      await this.item(account).deleteCredential();
    } catch (cause) {
      throw keyringError('cannot delete a token cache entry from the OS keyring', cause);
    }
  }

  /** The item of an account, opened on first use; throws when the keyring is unavailable. */
  private item(account: string): KeyringEntry {
    let item = this.items.get(account);
    if (item === undefined) {
      item = this.keyring.entry(KEYRING_SERVICE, account);
      this.items.set(account, item);
    }
    return item;
  }
}

/** The accounts of a keyring's items of kubelogin's service. */
async function serviceAccounts(keyring: Keyring): Promise<string[]> {
  try {
    return await keyring.accounts(KEYRING_SERVICE);
  } catch (cause) {
    throw keyringError('cannot list the token cache entries in the OS keyring', cause);
  }
}

/**
 * The cache keys of the accounts with `prefix`. Any program of the session
 * may store an account: one whose key is no cache key (`../x`) is skipped and
 * named, never used as a key, which names a lock file. The chunks of split
 * entries are neither.
 */
async function listKeys(keyring: Keyring, prefix: string): Promise<KeyListing> {
  const named = (await serviceAccounts(keyring))
    .filter((account) => account.startsWith(prefix))
    .map((account) => ({ account, key: account.slice(prefix.length) }))
    .filter(({ key }) => !(prefix === KEYRING_ACCOUNT_PREFIX && CHUNK_ACCOUNT_SUFFIX.test(key)));
  return {
    keys: named
      .filter(({ key }) => CACHE_KEY_PATTERN.test(key))
      .map(({ key }) => key)
      .sort(),
    skipped: named
      .filter(({ key }) => !CACHE_KEY_PATTERN.test(key))
      .map(({ account }) => ({
        location: `the OS keyring account ${JSON.stringify(account)} (service ${KEYRING_SERVICE})`,
        reason: 'its key is not a cache key (64 hexadecimal digits)',
      })),
  };
}

/** The records of refresh tokens to revoke, in the keyring where their entries were (one item each). */
export class KeyringPendingRevocations implements PendingRevocations {
  constructor(private readonly keyring: Keyring) {}

  async load(key: string): Promise<PendingRevocation | undefined> {
    let secret: ArrayLike<number> | null;
    try {
      secret = await this.entry(key).getSecret();
    } catch (cause) {
      throw keyringError('cannot read a record of refresh tokens to revoke from the OS keyring', cause);
    }
    return secret === null ? undefined : parsePendingRevocation(Buffer.from(Uint8Array.from(secret)).toString('utf8'));
  }

  async save(key: string, record: PendingRevocation): Promise<void> {
    const secret = Buffer.from(serializePendingRevocation(record), 'utf8');
    try {
      await this.entry(key).setSecret(secret);
    } catch (cause) {
      throw keyringError('cannot write a record of refresh tokens to revoke to the OS keyring', cause, secret.length);
    }
  }

  async delete(key: string): Promise<void> {
    try {
      await this.entry(key).deleteCredential();
    } catch (cause) {
      throw keyringError('cannot delete a record of refresh tokens to revoke from the OS keyring', cause);
    }
  }

  keys(): Promise<KeyListing> {
    return listKeys(this.keyring, PENDING_REVOCATION_ACCOUNT_PREFIX);
  }

  location(key: string): string {
    return `the OS keyring (service ${KEYRING_SERVICE}, account ${PENDING_REVOCATION_ACCOUNT_PREFIX}${key})`;
  }

  private entry(key: string): KeyringEntry {
    return this.keyring.entry(KEYRING_SERVICE, `${PENDING_REVOCATION_ACCOUNT_PREFIX}${key}`);
  }
}

/** Loads the OS keyring library and opens the records of refresh tokens to revoke in it. */
export async function openKeyringPendingRevocations(system: SystemName): Promise<KeyringPendingRevocations> {
  return new KeyringPendingRevocations(await loadOsKeyring(system));
}

/** Loads the OS keyring library and opens the token cache in it. */
export async function openKeyringTokenStore(system: SystemName): Promise<KeyringTokenStore> {
  return new KeyringTokenStore(await loadOsKeyring(system));
}

/**
 * Deletes every item of kubelogin's from a keyring: the entries, the chunks
 * of split entries (and any that another writer left behind) and the records
 * of refresh tokens to revoke. Returns how many entries and records there were.
 */
export async function clearKeyring(target: Keyring): Promise<number> {
  let deleted = 0;
  const accounts = (await serviceAccounts(target)).filter((name) =>
    ACCOUNT_PREFIXES.some((prefix) => name.startsWith(prefix)),
  );
  for (const account of accounts) {
    const isChunk =
      account.startsWith(KEYRING_ACCOUNT_PREFIX) &&
      CHUNK_ACCOUNT_SUFFIX.test(account.slice(KEYRING_ACCOUNT_PREFIX.length));
    try {
      if ((await target.entry(KEYRING_SERVICE, account).deleteCredential()) && !isChunk) deleted++;
    } catch (cause) {
      throw keyringError('cannot delete a token cache entry from the OS keyring', cause);
    }
  }
  return deleted;
}

/** The operating system and processor, which name the native addon a keyring error is about. */
export interface SystemName {
  platform: string;
  arch: string;
}

/** @napi-rs/keyring, loaded on first use: the native addon is not worth loading for other storages. */
export async function loadOsKeyring(system: SystemName): Promise<Keyring> {
  let library: typeof import('@napi-rs/keyring');
  try {
    library = await import('@napi-rs/keyring');
  } catch (cause) {
    throw new ConfigError(`cannot load the OS keyring library on ${system.platform}-${system.arch}`, {
      hint: DISK_HINT,
      cause,
    });
  }
  return {
    entry: (service, account) => new library.AsyncEntry(service, account, ENTRY_OPTIONS),
    accounts: async (service) => (await library.findCredentialsAsync(service)).map((credential) => credential.account),
  };
}

/** A ConfigError for a failed keyring call: what failed, why (too large, locked, or the library's reason), and the way out. */
function keyringError(action: string, cause: unknown, entryBytes?: number): ConfigError {
  const reason = (cause instanceof Error ? cause.message : String(cause)).split('\n')[0] ?? '';
  if (entryBytes !== undefined && TOO_LONG_PATTERN.test(reason)) {
    return new ConfigError(
      `${action}: the entry (${entryBytes} bytes) is larger than this keyring allows (${reason})`,
      { hint: DISK_HINT, cause },
    );
  }
  if (LOCKED_PATTERN.test(reason)) {
    return new ConfigError(`${action}: the keyring is locked (${reason})`, { hint: LOCKED_HINT, cause });
  }
  return new ConfigError(`${action}: ${reason}`, { hint: DISK_HINT, cause });
}
