/**
 * The per-key lock that serialises processes with the same cache key across
 * refresh and login, so parallel kubectl runs cause one login and one refresh.
 * Processes with different keys lock different files and never wait for each other.
 */
import lockfile from 'proper-lockfile';
import { TimeoutError } from '../core/errors.ts';
import type { CacheOwner } from './cache-directory.ts';
import { ensureCacheDir, tokenFilePath } from './token-store.ts';

/** A lock whose holder stopped refreshing it this long ago is taken over (a killed process). */
const LOCK_STALE_MS = 10_000;
/** How often a waiting process looks at the lock again. */
const LOCK_POLL_MS = 100;

/** Path of the lock of a key: a directory beside the token file, as proper-lockfile makes it. */
function lockPath(cacheDir: string, key: string): string {
  return `${tokenFilePath(cacheDir, key)}.lock`;
}

/**
 * Runs `fn` while holding the lock of `key`, waiting at most `waitMs` for it.
 * The lock is released when `fn` settles, and removed on exit by signal.
 */
export async function withTokenLock<T>(
  cacheDir: string,
  key: string,
  waitMs: number,
  owner: CacheOwner,
  fn: () => Promise<T>,
): Promise<T> {
  const { logger } = owner;
  ensureCacheDir(cacheDir, owner);
  const file = tokenFilePath(cacheDir, key);
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(file, {
      lockfilePath: lockPath(cacheDir, key),
      realpath: false,
      stale: LOCK_STALE_MS,
      retries: { retries: Math.ceil(waitMs / LOCK_POLL_MS), factor: 1, minTimeout: LOCK_POLL_MS, maxTimeout: LOCK_POLL_MS },
      onCompromised: (error) => logger.warn(`the token cache lock was taken over by another process: ${error.message}`),
    });
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ELOCKED') {
      throw new TimeoutError(`another kubelogin process held the token cache lock for over ${Math.round(waitMs / 1000)}s`, {
        hint: `if no other login is in progress, remove ${lockPath(cacheDir, key)}`,
        cause,
      });
    }
    throw cause;
  }
  logger.debug('acquired the token cache lock');
  try {
    return await fn();
  } finally {
    await release().catch(() => undefined);
  }
}
