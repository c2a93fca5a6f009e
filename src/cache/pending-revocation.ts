/**
 * Refresh tokens a logout could not revoke (the provider unreachable, or
 * refusing), kept so that the next logout with the same flags, or with
 * `--all`, revokes them: the cache entry itself is deleted, so that no token
 * is served any more. A record lives beside its entry with the same
 * protections (0600 in the 0700 cache directory, written atomically, under
 * the entry's lock), under a name no reader of entries takes for one, and
 * holds no field of an entry: misplaced, it would still be no entry.
 */
import { unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../core/errors.ts';
import { describeFsError, writeFileAtomically } from '../io/files.ts';
import type { CacheOwner } from './cache-directory.ts';
import {
  CACHE_KEY_SOURCE,
  ENTRY_FILE_MODE,
  ensureCacheDir,
  type KeyListing,
  listKeyFiles,
  readOwnFile,
} from './token-store.ts';

/** The refresh tokens of one cache key still to be revoked, and where. */
export interface PendingRevocation {
  /** The provider's issuer and client the failed logout used. */
  issuer: string;
  clientId: string;
  refreshTokens: string[];
}

/** Where the records are kept: beside the entries, on disk or in the keyring. */
export interface PendingRevocations {
  load(key: string): Promise<PendingRevocation | undefined>;
  /** Replaces the record of a key atomically. */
  save(key: string, record: PendingRevocation): Promise<void>;
  delete(key: string): Promise<void>;
  /** The keys that have a record, and what was named like one but passed over. */
  keys(): Promise<KeyListing>;
  /** Where the record of a key lives, for people. */
  location(key: string): string;
}

/** The suffix of a record's file name after its cache key. */
export const PENDING_REVOCATION_SUFFIX = '.pending-revocation';
/** A record's file name, as a regular expression's source. */
export const PENDING_REVOCATION_SOURCE = `${CACHE_KEY_SOURCE}\\${PENDING_REVOCATION_SUFFIX}`;
/** A whole record's file name, its key captured. */
const RECORD_FILE = new RegExp(`^(${CACHE_KEY_SOURCE})\\${PENDING_REVOCATION_SUFFIX}$`);
/** A record holds a few refresh tokens; a bigger file is no record. */
const MAX_RECORD_BYTES = 1024 * 1024;

/** A record as JSON: field names no cache entry has. */
export function serializePendingRevocation(record: PendingRevocation): string {
  return JSON.stringify({
    issuer: record.issuer,
    client_id: record.clientId,
    unrevoked_refresh_tokens: record.refreshTokens,
  });
}

/** Parses a record; undefined when the content is not one. */
export function parsePendingRevocation(content: string): PendingRevocation | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch {
    return undefined;
  }
  const { issuer, client_id, unrevoked_refresh_tokens } = (parsed ?? {}) as Record<string, unknown>;
  if (typeof issuer !== 'string' || typeof client_id !== 'string' || !Array.isArray(unrevoked_refresh_tokens))
    return undefined;
  const refreshTokens = unrevoked_refresh_tokens.filter(
    (token): token is string => typeof token === 'string' && token !== '',
  );
  return refreshTokens.length === 0 ? undefined : { issuer, clientId: client_id, refreshTokens };
}

/** The records in the cache directory, of the user's own. */
export class DiskPendingRevocations implements PendingRevocations {
  constructor(
    private readonly cacheDir: string,
    private readonly owner: CacheOwner,
  ) {}

  async load(key: string): Promise<PendingRevocation | undefined> {
    const content = readOwnFile(this.location(key), MAX_RECORD_BYTES, this.owner);
    return content === undefined ? undefined : parsePendingRevocation(content);
  }

  async save(key: string, record: PendingRevocation): Promise<void> {
    ensureCacheDir(this.cacheDir, this.owner);
    try {
      writeFileAtomically(this.location(key), serializePendingRevocation(record), ENTRY_FILE_MODE);
    } catch (cause) {
      throw new ConfigError(`cannot write ${this.location(key)}: ${describeFsError(cause)}`, {
        hint: 'set --token-cache-dir to a writable directory',
        cause,
      });
    }
  }

  async delete(key: string): Promise<void> {
    try {
      unlinkSync(this.location(key));
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw new ConfigError(`cannot delete ${this.location(key)}: ${describeFsError(cause)}`, { cause });
    }
  }

  keys(): Promise<KeyListing> {
    return listKeyFiles(this.cacheDir, (name) => RECORD_FILE.exec(name)?.[1], 'a record of refresh tokens to revoke');
  }

  location(key: string): string {
    return join(this.cacheDir, `${key}${PENDING_REVOCATION_SUFFIX}`);
  }
}
