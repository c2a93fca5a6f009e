/**
 * `get-token`, the credential plugin. The hot path (a fresh token in the
 * cache) reads one file and prints; everything else is imported on a miss.
 */
import { DiskTokenStore, NoTokenStore, type TokenStore } from '../cache/token-store.ts';
import { credentialCacheKey } from '../core/cache-key.ts';
import { type Credential, credentialOf } from '../core/credential.ts';
import { EXEC_INFO_VARIABLE, formatExecCredential, parseExecInfo } from '../core/exec-credential.ts';
import type { GetTokenOptions } from '../core/options.ts';
import type { Deps } from '../deps.ts';
import type { Logger } from '../io/logger.ts';
import { readTokenFile } from '../io/token-file.ts';

/** The token store chosen by `--token-cache-storage`; the keyring's module and native addon load only when chosen. */
async function openTokenStore(options: GetTokenOptions, deps: Deps, logger: Logger): Promise<TokenStore> {
  switch (options.cache.storage) {
    case 'disk':
      return new DiskTokenStore(options.cache.dir, { uid: deps.uid, logger });
    case 'none':
      return new NoTokenStore();
    case 'keyring': {
      const { openKeyringTokenStore } = await import('../cache/keyring-store.ts');
      return openKeyringTokenStore(deps);
    }
  }
}

/**
 * The token-file grant: the file is the cache, read on every run; no cache
 * entry, no lock. Without an issuer this is a hit (node:fs only); with one,
 * the verification's modules load.
 */
async function tokenFileCredential(options: GetTokenOptions, deps: Deps, logger: Logger): Promise<Credential> {
  const path = options.tokenFile as string;
  const credential = readTokenFile(path, deps.now());
  logger.redactor.add(credential.token);
  if (options.provider.issuerUrl !== '') {
    const { verifyTokenFile } = await import('../flows/token-file.ts');
    await verifyTokenFile(options, credential.token, { env: deps.env, now: deps.now, logger });
  }
  return credential;
}

/** Runs get-token: prints one ExecCredential on stdout. */
export async function runGetToken(options: GetTokenOptions, deps: Deps, logger: Logger): Promise<void> {
  const execInfo = parseExecInfo(deps.env[EXEC_INFO_VARIABLE]);
  if (options.grantType === 'token-file') {
    const credential = await tokenFileCredential(options, deps, logger);
    deps.stdout.write(formatExecCredential(execInfo.apiVersion, credential.token, credential.expiresAt));
    return;
  }
  const store = await openTokenStore(options, deps, logger);
  const { key, loginKey } = credentialCacheKey(options);
  let credential = options.forceRefresh
    ? undefined
    : credentialOf(await store.load(key), options.provider.useAccessToken, deps.now());
  if (credential === undefined) {
    const { renewCredential } = await import('./get-token-renew.ts');
    credential = await renewCredential({ options, store, key, loginKey, execInfo, deps, logger });
  } else {
    logger.debug('using the cached token');
  }
  deps.stdout.write(formatExecCredential(execInfo.apiVersion, credential.token, credential.expiresAt));
}
