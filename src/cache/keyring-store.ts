/**
 * The token cache in the OS keyring (`--token-cache-storage=keyring`): the
 * Secret Service on Linux, the Keychain on macOS, the Credential Manager on
 * Windows, through @napi-rs/keyring. One entry per cache key, holding the
 * same JSON as a disk file, under the names the Go kubelogin uses; and the
 * records of refresh tokens a logout could not revoke, where their entries were.
 *
 * Only get-token's `import()` loads this module, and it loads the native
 * addon only when opened: a disk cache hit never pays for either.
 */

import type { TokenSet } from '../core/credential.ts';
import { ConfigError } from '../core/errors.ts';
import {
  type PendingRevocation,
  type PendingRevocations,
  parsePendingRevocation,
  serializePendingRevocation,
} from './pending-revocation.ts';
import {
  CACHE_KEY_PATTERN,
  type KeyListing,
  parseTokenSet,
  serializeTokenSet,
  type TokenStore,
} from './token-store.ts';

/** The keyring service of every entry, as the Go kubelogin. */
const KEYRING_SERVICE = 'kubelogin';
/** Prefix of the account of an entry; the cache key follows, as the Go kubelogin. */
const KEYRING_ACCOUNT_PREFIX = 'kubelogin/tokencache/';
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
/** The library's wording for an entry over the platform's size limit (the Credential Manager's is 2,560 bytes). */
const TOO_LONG_PATTERN = /longer than the platform limit/i;
/** The Secret Service's wording for a locked collection, or for an unlock prompt nobody could answer. */
const LOCKED_PATTERN = /\block|unlock/i;

/** One keyring entry, as @napi-rs/keyring's AsyncEntry offers it. */
export interface KeyringEntry {
  /** The stored bytes, or null when there is no entry. */
  getSecret(): Promise<ArrayLike<number> | null>;
  setSecret(secret: Uint8Array): Promise<void>;
  /** True when an entry was deleted, false when there was none. */
  deleteCredential(): Promise<boolean>;
}

/** The OS keyring, or a stand-in in tests. */
export interface Keyring {
  /** The entry of an account of a service; may throw when the keyring is unavailable. */
  entry(service: string, account: string): KeyringEntry;
  /** The accounts that have an entry in a service. */
  accounts(service: string): Promise<string[]>;
}

/** The keyring account of a cache key. */
export function keyringAccount(key: string): string {
  return `${KEYRING_ACCOUNT_PREFIX}${key}`;
}

/**
 * The cache keys of the accounts with `prefix`. Any program of the session
 * may store an account: one whose key is no cache key (`../x`) is skipped,
 * never used as a key, which names a lock file.
 */
async function listKeys(keyring: Keyring, prefix: string): Promise<KeyListing> {
  let accounts: string[];
  try {
    accounts = await keyring.accounts(KEYRING_SERVICE);
  } catch (cause) {
    throw keyringError('cannot list the token cache entries in the OS keyring', cause);
  }
  const named = accounts.filter((name) => name.startsWith(prefix));
  const key = (account: string) => account.slice(prefix.length);
  return {
    keys: named
      .map(key)
      .filter((candidate) => CACHE_KEY_PATTERN.test(candidate))
      .sort(),
    skipped: named
      .filter((account) => !CACHE_KEY_PATTERN.test(key(account)))
      .map((account) => ({
        location: `the OS keyring account ${JSON.stringify(account)} (service ${KEYRING_SERVICE})`,
        reason: 'its key is not a cache key (64 hexadecimal digits)',
      })),
  };
}

/** The token cache in a keyring. An unusable keyring is an error (a miss would log in on every run); a corrupt entry is a miss. */
export class KeyringTokenStore implements TokenStore {
  /** Entries opened so far, by cache key: opening one connects to the keyring (about 12 ms on the Secret Service). */
  private readonly entries = new Map<string, KeyringEntry>();

  constructor(private readonly keyring: Keyring) {}

  async load(key: string): Promise<TokenSet | undefined> {
    const content = await this.read(key);
    return content === undefined ? undefined : parseTokenSet(content);
  }

  /** Writes the entry unless it already holds exactly this content: a keyring write may prompt or sync. */
  async save(key: string, tokens: TokenSet): Promise<void> {
    const content = serializeTokenSet(tokens);
    if ((await this.read(key)) === content) return;
    const secret = Buffer.from(content, 'utf8');
    try {
      await this.entry(key).setSecret(secret);
    } catch (cause) {
      throw keyringError('cannot write the token cache to the OS keyring', cause, secret.length);
    }
  }

  async delete(key: string): Promise<boolean> {
    try {
      return await this.entry(key).deleteCredential();
    } catch (cause) {
      throw keyringError('cannot delete a token cache entry from the OS keyring', cause);
    }
  }

  keys(): Promise<KeyListing> {
    return listKeys(this.keyring, KEYRING_ACCOUNT_PREFIX);
  }

  location(key: string): string {
    return `the OS keyring (service ${KEYRING_SERVICE}, account ${keyringAccount(key)})`;
  }

  /** The entry's content as text, or undefined when there is none. */
  private async read(key: string): Promise<string | undefined> {
    let secret: ArrayLike<number> | null;
    try {
      secret = await this.entry(key).getSecret();
    } catch (cause) {
      throw keyringError('cannot read the token cache from the OS keyring', cause);
    }
    return secret === null ? undefined : Buffer.from(Uint8Array.from(secret)).toString('utf8');
  }

  /** The entry of a key, opened on first use; throws when the keyring is unavailable. */
  private entry(key: string): KeyringEntry {
    let entry = this.entries.get(key);
    if (entry === undefined) {
      entry = this.keyring.entry(KEYRING_SERVICE, keyringAccount(key));
      this.entries.set(key, entry);
    }
    return entry;
  }
}

/** The records of refresh tokens to revoke, in the keyring where their entries were. */
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

/** Deletes every token cache entry of kubelogin (and record of refresh tokens to revoke) from a keyring and returns how many there were. */
export async function clearKeyring(target: Keyring): Promise<number> {
  let accounts: string[];
  try {
    accounts = await target.accounts(KEYRING_SERVICE);
  } catch (cause) {
    throw keyringError('cannot list the token cache entries in the OS keyring', cause);
  }
  let deleted = 0;
  for (const account of accounts.filter((name) => ACCOUNT_PREFIXES.some((prefix) => name.startsWith(prefix)))) {
    try {
      if (await target.entry(KEYRING_SERVICE, account).deleteCredential()) deleted++;
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
