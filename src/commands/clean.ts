/**
 * `clean`: delete the cached tokens, their locks and any temporary files
 * from the token cache directory, and kubelogin's entries in the OS keyring.
 * Files that kubelogin did not write stay.
 */
import { readdirSync, rmdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../core/errors.ts';
import { describeFsError } from '../io/files.ts';
import type { SystemName } from '../cache/keyring-store.ts';
import type { Deps } from '../deps.ts';
import type { Logger } from '../io/logger.ts';

/** Names kubelogin writes in the cache directory: token files, their lock directories, temporary files. */
const CACHE_ENTRY = /^\.?[0-9a-f]{64}(\.lock|\.\d+\.\d+\.\d+\.tmp)?$/;

function listDirectory(cacheDir: string): string[] {
  try {
    return readdirSync(cacheDir);
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new ConfigError(`cannot read the token cache directory ${cacheDir}: ${describeFsError(cause)}`, { cause });
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
    if (deleted > 0) logger.info(`Deleted ${deleted} token cache entr${deleted === 1 ? 'y' : 'ies'} from the OS keyring`);
  } catch (error) {
    logger.debug(`did not clean the OS keyring: ${(error as Error).message}`);
  }
}

/** Deletes kubelogin's files from the cache directory (and the directory when nothing else is left in it) and its keyring entries. */
export async function runClean(cacheDir: string, deps: Deps, logger: Logger): Promise<void> {
  await cleanKeyring(deps, logger);
  const names = listDirectory(cacheDir);
  for (const name of names.filter((entry) => CACHE_ENTRY.test(entry))) {
    try {
      rmSync(join(cacheDir, name), { recursive: true, force: true });
    } catch (cause) {
      throw new ConfigError(`cannot delete ${join(cacheDir, name)}: ${describeFsError(cause)}`, { cause });
    }
  }
  try {
    rmdirSync(cacheDir);
  } catch {
    // Missing, or it holds files that are not kubelogin's: either way it stays as it is.
  }
  logger.info(`Deleted the token cache from ${cacheDir}`);
}
