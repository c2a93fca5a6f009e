/**
 * The per-key lock that serialises processes with the same cache key across
 * refresh and login, so parallel kubectl runs cause one login and one refresh.
 * Processes with different keys lock different files and never wait for each other.
 */
import { lstatSync, type Stats } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import lockfile from 'proper-lockfile';
import { ConfigError, TimeoutError } from '../core/errors.ts';
import { describeFsError } from '../io/files.ts';
import type { Logger } from '../io/logger.ts';
import type { CacheOwner } from './cache-directory.ts';
import { ensureCacheDir, entryFilePath } from './token-store.ts';

/** A lock whose holder stopped refreshing it this long ago is taken over (a killed process). */
const LOCK_STALE_MS = 10_000;
/** How often a waiting process looks at the lock again. */
const LOCK_POLL_MS = 100;

/** Path of the lock of a key: a directory beside the entry file, as proper-lockfile makes it. */
function lockPath(cacheDir: string, key: string): string {
  return `${entryFilePath(cacheDir, key)}.lock`;
}

/** A lock problem that waiting cannot solve, naming the path and the flag that helps. */
function lockError(path: string, cause: unknown): ConfigError {
  return new ConfigError(`cannot lock the token cache at ${path}: ${describeFsError(cause)}`, {
    hint: 'set --token-cache-dir to a writable directory',
    cause,
  });
}

/** What a lock path holds when it is not a lock directory, in words; undefined for a directory or nothing. */
function notALock(path: string): string | undefined {
  let stats: Stats | undefined;
  try {
    stats = lstatSync(path, { throwIfNoEntry: false });
  } catch (cause) {
    throw lockError(path, cause);
  }
  if (stats === undefined || stats.isDirectory()) return undefined;
  return stats.isSymbolicLink() ? 'a symbolic link' : stats.isFile() ? 'a file' : 'not a directory';
}

/**
 * Takes the lock, waiting (polling) only while another process holds it: any
 * other failure (a file or a link in its place, a directory that cannot be
 * written) fails at once. proper-lockfile would retry every error alike.
 */
async function acquire(file: string, path: string, waitMs: number, logger: Logger): Promise<() => Promise<void>> {
  const attempts = Math.ceil(waitMs / LOCK_POLL_MS);
  for (let attempt = 0; ; attempt++) {
    const inTheWay = notALock(path);
    if (inTheWay !== undefined) {
      throw new ConfigError(`cannot lock the token cache: ${path} is ${inTheWay}, not a lock directory`, {
        hint: 'remove it, or set --token-cache-dir to another directory',
      });
    }
    try {
      return await lockfile.lock(file, {
        lockfilePath: path,
        realpath: false,
        stale: LOCK_STALE_MS,
        retries: 0,
        onCompromised: (error) =>
          logger.warn(`the token cache lock was taken over by another process: ${error.message}`),
      });
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code !== 'ELOCKED') throw lockError(path, cause);
      if (attempt >= attempts) {
        throw new TimeoutError(
          `another kubelogin process held the token cache lock for over ${Math.round(waitMs / 1000)}s`,
          {
            hint: `if no other login is in progress, remove ${path}`,
            cause,
          },
        );
      }
    }
    await sleep(LOCK_POLL_MS);
  }
}

/**
 * Runs `fn` while holding the lock of `key`, waiting at most `waitMs` for
 * another process to release it. The lock is released when `fn` settles, and
 * removed on exit by signal.
 */
export async function withTokenLock<T>(
  cacheDir: string,
  key: string,
  waitMs: number,
  owner: CacheOwner,
  fn: () => Promise<T>,
): Promise<T> {
  ensureCacheDir(cacheDir, owner);
  const release = await acquire(entryFilePath(cacheDir, key), lockPath(cacheDir, key), waitMs, owner.logger);
  owner.logger.debug('acquired the token cache lock');
  try {
    return await fn();
  } finally {
    await release().catch(() => undefined);
  }
}
