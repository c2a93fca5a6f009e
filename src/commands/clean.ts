/**
 * `clean`: delete the cached tokens (with the refresh tokens a logout kept to
 * revoke), their locks and any temporary files from the token cache
 * directory, and kubelogin's entries in the OS keyring.
 * Only what kubelogin wrote goes, one entry at a time and never through a
 * link: files that merely look like kubelogin's, and the directory itself, stay.
 */
import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  readdirSync,
  readFileSync,
  rmdirSync,
  type Stats,
  statSync,
  unlinkSync,
} from 'node:fs';
import { join, parse, resolve } from 'node:path';
import type { SystemName } from '../cache/keyring-store.ts';
import {
  PENDING_REVOCATION_SOURCE,
  PENDING_REVOCATION_SUFFIX,
  parsePendingRevocation,
} from '../cache/pending-revocation.ts';
import { CACHE_KEY_SOURCE, isTokenCacheEntry, MAX_ENTRY_BYTES } from '../cache/token-store.ts';
import { ConfigError } from '../core/errors.ts';
import { homeDirectory, type PathEnvironment } from '../core/paths.ts';
import type { Deps } from '../deps.ts';
import { describeFsError, temporaryFileNamePattern } from '../io/files.ts';
import type { Logger } from '../io/logger.ts';

/** An entry file, named by its cache key. */
const ENTRY_FILE = new RegExp(`^${CACHE_KEY_SOURCE}$`);
/** A lock directory, as proper-lockfile makes it beside an entry file. */
const LOCK_DIRECTORY = new RegExp(`^${CACHE_KEY_SOURCE}\\.lock$`);
/** A record of refresh tokens a logout could not revoke, beside its entry. */
const RECORD_FILE = new RegExp(`^${PENDING_REVOCATION_SOURCE}$`);
/** A temporary file of an entry's or a record's atomic write, left by a killed process. */
const TEMPORARY_FILE = temporaryFileNamePattern(`${CACHE_KEY_SOURCE}(?:\\${PENDING_REVOCATION_SUFFIX})?`);
/** Opens without following a link at the last component, where the platform can (not Windows). */
const NO_FOLLOW = constants.O_NOFOLLOW ?? 0;

function listDirectory(cacheDir: string): string[] {
  try {
    return readdirSync(cacheDir);
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new ConfigError(`cannot read the token cache directory ${cacheDir}: ${describeFsError(cause)}`, { cause });
  }
}

/** True when `a` and `b` name the same existing directory (through links, `.` or a trailing slash). */
function sameDirectory(a: string, b: string): boolean {
  if (resolve(a) === resolve(b)) return true;
  const first = statSync(a, { throwIfNoEntry: false });
  const second = statSync(b, { throwIfNoEntry: false });
  return first !== undefined && second !== undefined && first.dev === second.dev && first.ino === second.ino;
}

/** Refuses a cache directory that is HOME or `/`: whatever is named like an entry there is someone else's. */
function assertCacheDirectory(cacheDir: string, world: PathEnvironment): void {
  const hint = 'set --token-cache-dir to the token cache directory itself (by default ~/.kube/cache/oidc-login)';
  const absolute = resolve(cacheDir);
  if (absolute === parse(absolute).root) {
    throw new ConfigError(`--token-cache-dir ${cacheDir} is the root directory, not a token cache directory`, { hint });
  }
  let home: string | undefined;
  try {
    home = homeDirectory(world);
  } catch {
    // No home directory: there is none to protect.
  }
  if (home !== undefined && sameDirectory(cacheDir, home)) {
    throw new ConfigError(`--token-cache-dir ${cacheDir} is your home directory, not a token cache directory`, {
      hint,
    });
  }
}

/** The entry's own stats (a link's, not its target's); undefined when it went away meanwhile. */
function entryStats(path: string): Stats | undefined {
  try {
    return lstatSync(path, { throwIfNoEntry: false });
  } catch (cause) {
    throw new ConfigError(`cannot read ${path}: ${describeFsError(cause)}`, { cause });
  }
}

/** True when the regular file at `path` holds what `isOwn` takes for kubelogin's; read without following a link. */
function holds(path: string, isOwn: (content: string) => boolean): boolean {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | NO_FOLLOW);
  } catch {
    return false;
  }
  try {
    const stats = fstatSync(fd);
    return stats.isFile() && stats.size <= MAX_ENTRY_BYTES && isOwn(readFileSync(fd, 'utf8'));
  } catch {
    return false;
  } finally {
    closeSync(fd);
  }
}

/** True when the entry `name` (its lstat given) is kubelogin's. A lock directory counts; rmdir removes it only when empty. */
function isOwnEntry(cacheDir: string, name: string, stats: Stats): boolean {
  if (ENTRY_FILE.test(name)) return stats.isFile() && holds(join(cacheDir, name), isTokenCacheEntry);
  if (RECORD_FILE.test(name))
    return stats.isFile() && holds(join(cacheDir, name), (content) => parsePendingRevocation(content) !== undefined);
  if (TEMPORARY_FILE.test(name)) return stats.isFile();
  return LOCK_DIRECTORY.test(name) && stats.isDirectory();
}

/** Deletes one entry of kubelogin's: a file, or a lock directory only if empty (a lock holds nothing). */
function deleteEntry(path: string, stats: Stats, logger: Logger): void {
  try {
    if (stats.isDirectory()) rmdirSync(path);
    else unlinkSync(path);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    if (code === 'ENOTEMPTY' || code === 'EEXIST') {
      logger.debug(`left ${path}: a lock directory holds nothing, and this one is not empty`);
      return;
    }
    throw new ConfigError(`cannot delete ${path}: ${describeFsError(cause)}`, { cause });
  }
}

/**
 * Deletes kubelogin's entries from the OS keyring. Most machines without a
 * desktop have no keyring, and nothing of ours can be in one that is
 * unavailable, so that is said only at -v1.
 */
async function cleanKeyring(system: SystemName, logger: Logger): Promise<void> {
  try {
    const { clearKeyring, loadOsKeyring } = await import('../cache/keyring-store.ts');
    const deleted = await clearKeyring(await loadOsKeyring(system));
    if (deleted > 0)
      logger.info(`Deleted ${deleted} token cache entr${deleted === 1 ? 'y' : 'ies'} from the OS keyring`);
  } catch (error) {
    logger.debug(`did not clean the OS keyring: ${(error as Error).message}`);
  }
}

/** Deletes kubelogin's files from the cache directory (never the directory) and its keyring entries. */
export async function runClean(cacheDir: string, deps: Deps, logger: Logger): Promise<void> {
  assertCacheDirectory(cacheDir, deps);
  await cleanKeyring(deps, logger);
  for (const name of listDirectory(cacheDir)) {
    const path = join(cacheDir, name);
    const stats = entryStats(path);
    if (stats === undefined) continue;
    if (isOwnEntry(cacheDir, name, stats)) deleteEntry(path, stats, logger);
    else if (ENTRY_FILE.test(name) || RECORD_FILE.test(name) || LOCK_DIRECTORY.test(name))
      logger.debug(`left ${path}: named like a cache entry, but not one`);
  }
  logger.info(`Deleted the token cache from ${cacheDir}`);
}
