/**
 * The token cache on disk: one JSON file per cache key, 0600 in a 0700
 * directory, written atomically. A missing, unreadable or corrupt entry is a
 * miss, never a failure.
 */
// Synchronous node:fs on purpose: node:fs/promises takes ~5 ms to load, paid on every cache hit.
import { chmodSync, type Dirent, mkdirSync, readdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { TokenSet } from '../core/credential.ts';
import { ConfigError } from '../core/errors.ts';
import { describeFsError, type RegularFile, readRegularFile, writeFileAtomically } from '../io/files.ts';
import { type CacheOwner, isOwnFile, PRIVATE_DIRECTORY_MODE, secureCacheDir } from './cache-directory.ts';

/** How an entry is read. */
export interface LoadOptions {
  /** The caller holds the entry's lock, so a broken entry (a keyring entry with a chunk missing) may be removed. */
  locked?: boolean;
}

/** Where tokens are kept. `disk` is the default; `none` keeps nothing. */
export interface TokenStore {
  /** Returns the entry, or undefined on a miss (including a corrupt entry). */
  load(key: string, options?: LoadOptions): Promise<TokenSet | undefined>;
  /** Replaces the entry atomically. */
  save(key: string, tokens: TokenSet): Promise<void>;
  /** Deletes the entry; true when there was one. */
  delete(key: string): Promise<boolean>;
  /** The keys of every entry (for `logout --all`), and what was passed over as no entry of a key. */
  keys(): Promise<KeyListing>;
  /** Where an entry lives, for people: a file path or a keyring account. */
  location(key: string): string;
}

/** The entries of a store, and what was named like one but passed over (a FIFO, a keyring account that is no key). */
export interface KeyListing {
  keys: string[];
  skipped: Array<{ location: string; reason: string }>;
}

/** A cache key, the name of an entry file: 64 lowercase hex digits (a SHA-256), as a regular expression's source. */
export const CACHE_KEY_SOURCE = '[0-9a-f]{64}';
/** A whole cache key. */
export const CACHE_KEY_PATTERN = new RegExp(`^${CACHE_KEY_SOURCE}$`);

/** File mode: only the owner may read tokens. */
export const ENTRY_FILE_MODE = 0o600;
/** A cache entry holds three tokens, and a token response is capped at 1 MiB: a bigger file is no entry, and is not read whole. */
export const MAX_ENTRY_BYTES = 1024 * 1024;
/** What -v1 says where the process has no user id (Windows): the modes above mean nothing there. */
const UNENFORCED_MODES =
  "file modes are not enforced on Windows: the token cache directory's access control list (by default your profile's) decides who may read the tokens";
/**
 * Every field of a cache entry and the JSON type it holds, in the order they
 * are written: the Go kubelogin's tokens, then the fields kubelogin keeps
 * beside them, which older versions and the Go kubelogin ignore. A literal,
 * not built at load: this module is on the cache-hit path.
 */
const ENTRY_FIELD_TYPES: Readonly<Record<string, string>> = {
  id_token: 'string',
  refresh_token: 'string',
  access_token: 'string',
  scope: 'string',
  refresh_without_scope: 'boolean',
  access_token_issued_at: 'number',
  access_token_expires_at: 'number',
  late_arrival_exp: 'number',
  exchanged_from: 'string',
};

/** Path of the entry file of a key. */
export function entryFilePath(cacheDir: string, key: string): string {
  return join(cacheDir, key);
}

/** The JSON object in `content`, or undefined when it holds something else. */
function jsonObject(content: string): Record<string, unknown> | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch {
    return undefined;
  }
  return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
    ? (parsed as Record<string, unknown>)
    : undefined;
}

/**
 * Parses a cache entry; undefined when the content is not a usable entry (no
 * token, or a field of the wrong type). Fields it does not know are ignored,
 * as the Go kubelogin ignores kubelogin's own.
 */
export function parseTokenSet(content: string): TokenSet | undefined {
  const record = jsonObject(content);
  if (record === undefined) return undefined;
  const tokens: Record<string, unknown> = {};
  for (const [field, type] of Object.entries(ENTRY_FIELD_TYPES)) {
    const value = record[field];
    if (value === undefined || value === '') continue;
    if (typeof value !== type) return undefined;
    tokens[field] = value;
  }
  const entry = tokens as TokenSet;
  // The login an exchanged entry came from is a key logout deletes: only a well-formed one is kept.
  if (entry.exchanged_from !== undefined && !CACHE_KEY_PATTERN.test(entry.exchanged_from)) delete entry.exchanged_from;
  return entry.id_token || entry.refresh_token || entry.access_token ? entry : undefined;
}

/**
 * True when `content` is a cache entry as kubelogin (or the Go kubelogin)
 * writes it: a JSON object whose every field is one of an entry's, holding
 * its type. `clean` deletes a file named like a key only then.
 */
export function isTokenCacheEntry(content: string): boolean {
  const record = jsonObject(content);
  return (
    record !== undefined &&
    Object.entries(record).every(
      ([field, value]) => Object.hasOwn(ENTRY_FIELD_TYPES, field) && typeof value === ENTRY_FIELD_TYPES[field],
    )
  );
}

/** Serialises an entry, the tokens first, with empty and absent fields omitted. */
export function serializeTokenSet(tokens: TokenSet): string {
  const entry: Record<string, unknown> = {};
  for (const field of Object.keys(ENTRY_FIELD_TYPES)) {
    const value = tokens[field as keyof TokenSet];
    if (value !== undefined && value !== '' && value !== false) entry[field] = value;
  }
  return JSON.stringify(entry);
}

/**
 * Creates the cache directory (and missing parents) with mode 0700 whatever
 * the umask; one that was there already is checked as secureCacheDir does.
 */
export function ensureCacheDir(cacheDir: string, owner: CacheOwner): void {
  let firstCreated: string | undefined;
  try {
    firstCreated = mkdirSync(cacheDir, { recursive: true, mode: PRIVATE_DIRECTORY_MODE });
    // The umask may have removed bits from the directories just made; set them exactly.
    if (firstCreated !== undefined) chmodSync(cacheDir, PRIVATE_DIRECTORY_MODE);
  } catch (cause) {
    throw new ConfigError(`cannot create the token cache directory ${cacheDir}: ${describeFsError(cause)}`, {
      hint: 'set --token-cache-dir to a writable directory',
      cause,
    });
  }
  if (firstCreated === undefined) secureCacheDir(cacheDir, owner);
}

/**
 * The cache keys of the files of a cache directory that `keyOf` names (a key, or undefined for a
 * file of another kind), sorted; what is named like one but is not a regular file is skipped and
 * said so. A missing directory holds none.
 */
export async function listKeyFiles(
  cacheDir: string,
  keyOf: (name: string) => string | undefined,
  what: string,
): Promise<KeyListing> {
  let entries: Dirent[];
  try {
    entries = readdirSync(cacheDir, { withFileTypes: true });
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return { keys: [], skipped: [] };
    throw new ConfigError(`cannot read the token cache directory ${cacheDir}: ${describeFsError(cause)}`, { cause });
  }
  const keys: string[] = [];
  const skipped: KeyListing['skipped'] = [];
  for (const entry of entries) {
    const key = keyOf(entry.name);
    if (key === undefined) continue;
    if (entry.isFile()) keys.push(key);
    else skipped.push({ location: join(cacheDir, entry.name), reason: `not a regular file, not ${what}` });
  }
  return { keys: keys.sort(), skipped };
}

/**
 * The content of a file of the cache directory, unless it is missing,
 * unreadable, not a regular file (a FIFO planted there is passed over at
 * once, never waited on), larger than `maxBytes` or another user's.
 */
export function readOwnFile(path: string, maxBytes: number, owner: CacheOwner): string | undefined {
  let file: RegularFile;
  try {
    file = readRegularFile(path, maxBytes);
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code !== 'ENOENT')
      owner.logger.debug(`ignored the cache entry ${path}: ${describeFsError(cause)}`);
    return undefined;
  }
  if (!isOwnFile(file.stats.uid, owner)) {
    owner.logger.debug(`ignored the cache entry ${path}: it belongs to another user`);
    return undefined;
  }
  return file.text;
}

/** The token cache in a directory of files, of the user's own (see secureCacheDir). */
export class DiskTokenStore implements TokenStore {
  /** Whether the directory was checked in this process: once is enough. */
  private checked = false;

  constructor(
    readonly cacheDir: string,
    private readonly owner: CacheOwner,
  ) {}

  async load(key: string): Promise<TokenSet | undefined> {
    if (!this.checked) {
      if (this.owner.uid === undefined) this.owner.logger.debug(UNENFORCED_MODES);
      secureCacheDir(this.cacheDir, this.owner);
      this.checked = true;
    }
    const content = readOwnFile(entryFilePath(this.cacheDir, key), MAX_ENTRY_BYTES, this.owner);
    return content === undefined ? undefined : parseTokenSet(content);
  }

  async save(key: string, tokens: TokenSet): Promise<void> {
    ensureCacheDir(this.cacheDir, this.owner);
    try {
      writeFileAtomically(entryFilePath(this.cacheDir, key), serializeTokenSet(tokens), ENTRY_FILE_MODE);
    } catch (cause) {
      throw new ConfigError(`cannot write the token cache in ${this.cacheDir}: ${describeFsError(cause)}`, {
        hint: 'set --token-cache-dir to a writable directory',
        cause,
      });
    }
  }

  async delete(key: string): Promise<boolean> {
    const path = entryFilePath(this.cacheDir, key);
    try {
      unlinkSync(path);
      return true;
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw new ConfigError(`cannot delete the token cache entry ${path}: ${describeFsError(cause)}`, {
        hint: 'set --token-cache-dir to a writable directory',
        cause,
      });
    }
  }

  keys(): Promise<KeyListing> {
    return listKeyFiles(this.cacheDir, (name) => (CACHE_KEY_PATTERN.test(name) ? name : undefined), 'a cache entry');
  }

  location(key: string): string {
    return entryFilePath(this.cacheDir, key);
  }
}

/** The `none` storage: nothing is read or written. */
export class NoTokenStore implements TokenStore {
  async load(): Promise<undefined> {
    return undefined;
  }
  async save(): Promise<void> {}
  async delete(): Promise<boolean> {
    return false;
  }
  async keys(): Promise<KeyListing> {
    return { keys: [], skipped: [] };
  }
  location(): string {
    return 'nowhere (--token-cache-storage=none)';
  }
}
