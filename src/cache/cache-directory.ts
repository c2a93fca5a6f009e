/**
 * Whose the token cache directory is, checked as ssh checks ~/.ssh before
 * anything in it is read or written: tokens planted by another user must never
 * reach kubectl. One statSync, so the cache hit stays cheap.
 */
import { chmodSync, type Stats, statSync } from 'node:fs';
import { ConfigError } from '../core/errors.ts';
import { describeFsError } from '../io/files.ts';
import type { Logger } from '../io/logger.ts';

/** Who uses the token cache: the process's user, and where to say what was changed. */
export interface CacheOwner {
  /** The process's user id; undefined where there are none (Windows), which skips the checks. */
  uid: number | undefined;
  logger: Logger;
}

/** The mode a cache directory is given: only the owner may list or create entry files. */
export const PRIVATE_DIRECTORY_MODE = 0o700;
/** Write permission for the group or others: anyone with it could plant an entry file. */
const WRITABLE_BY_OTHERS = 0o022;
/** The permission bits of a mode. */
const PERMISSION_BITS = 0o777;
/** What to do about a directory of someone else's. */
const OWN_DIRECTORY_HINT = 'set --token-cache-dir to a directory of your own';

/** A mode as `ls` users read it, e.g. 0777. */
function octal(mode: number): string {
  return `0${mode.toString(8).padStart(3, '0')}`;
}

/**
 * Refuses a cache directory owned by another user (a ConfigError naming it and
 * --token-cache-dir), and makes one of ours that the group or others may write
 * to 0700, saying so at -v1. A directory that is missing (it is created 0700
 * when first written) or is not one (writing it reports that) passes.
 */
export function secureCacheDir(cacheDir: string, owner: CacheOwner): void {
  if (owner.uid === undefined) return;
  let stats: Stats | undefined;
  try {
    stats = statSync(cacheDir, { throwIfNoEntry: false });
  } catch {
    // A parent that is a file or unreadable: reading is a miss, and writing reports it.
    return;
  }
  if (stats === undefined || !stats.isDirectory()) return;
  if (stats.uid !== owner.uid) {
    throw new ConfigError(
      `the token cache directory ${cacheDir} belongs to another user (uid ${stats.uid}), who could plant tokens in it`,
      {
        hint: OWN_DIRECTORY_HINT,
      },
    );
  }
  const mode = stats.mode & PERMISSION_BITS;
  if ((mode & WRITABLE_BY_OTHERS) === 0) return;
  try {
    chmodSync(cacheDir, PRIVATE_DIRECTORY_MODE);
  } catch (cause) {
    throw new ConfigError(
      `the token cache directory ${cacheDir} is writable by other users (mode ${octal(mode)}) and cannot be made private: ${describeFsError(cause)}`,
      {
        hint: OWN_DIRECTORY_HINT,
        cause,
      },
    );
  }
  owner.logger.debug(
    `made the token cache directory ${cacheDir} private (mode ${octal(mode)} to ${octal(PRIVATE_DIRECTORY_MODE)})`,
  );
}

/** True when a file in the cache directory is the user's own; a file of another user's is never read as an entry. */
export function isOwnFile(fileUid: number, owner: CacheOwner): boolean {
  return owner.uid === undefined || fileUid === owner.uid;
}
