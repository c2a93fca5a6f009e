/**
 * `get-token`, the credential plugin. The hot path (a fresh token in the
 * cache) reads one file and prints; everything else is imported on a miss.
 */
import { DiskTokenStore, NoTokenStore, type TokenStore } from '../cache/token-store.ts';
import { cacheKeyInput, computeCacheKey } from '../core/cache-key.ts';
import { credentialOf } from '../core/credential.ts';
import { EXEC_INFO_VARIABLE, formatExecCredential, parseExecInfo } from '../core/exec-credential.ts';
import type { GetTokenOptions, TokenCache } from '../core/options.ts';
import type { Deps } from '../deps.ts';
import type { Logger } from '../io/logger.ts';

/** The token store chosen by `--token-cache-storage`; the keyring's module and native addon load only when chosen. */
export async function openTokenStore(cache: TokenCache, deps: Deps, logger: Logger): Promise<TokenStore> {
  switch (cache.storage) {
    case 'disk':
      return new DiskTokenStore(cache.dir, { uid: deps.uid, logger });
    case 'none':
      return new NoTokenStore();
    case 'keyring': {
      const { openKeyringTokenStore } = await import('../cache/keyring-store.ts');
      return openKeyringTokenStore(deps);
    }
  }
}

/** Runs get-token: prints one ExecCredential on stdout. */
export async function runGetToken(options: GetTokenOptions, deps: Deps, logger: Logger): Promise<void> {
  const execInfo = parseExecInfo(deps.env[EXEC_INFO_VARIABLE]);
  const store = await openTokenStore(options.cache, deps, logger);
  const key = computeCacheKey(cacheKeyInput(options));
  let credential = options.forceRefresh
    ? undefined
    : credentialOf(await store.load(key), options.provider.useAccessToken, deps.now());
  if (credential === undefined) {
    const { renewCredential } = await import('./get-token-renew.ts');
    credential = await renewCredential({ options, store, key, execInfo, deps, logger });
  } else {
    logger.debug('using the cached token');
  }
  deps.stdout.write(formatExecCredential(execInfo.apiVersion, credential.token, credential.expiresAt));
}
