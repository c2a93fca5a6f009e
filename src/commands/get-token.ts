/**
 * `get-token`, the credential plugin. The hot path (a fresh token in the
 * cache) reads one file and prints; everything else is imported on a miss.
 */
import { DiskTokenStore, NoTokenStore, type TokenStore } from '../cache/token-store.ts';
import { credentialCacheKey } from '../core/cache-key.ts';
import { type Credential, credentialOf } from '../core/credential.ts';
import { type ExecInfo, formatExecCredential } from '../core/exec-credential.ts';
import type { GetTokenOptions, ProviderOptions, TokenCache } from '../core/options.ts';
import type { Deps } from '../deps.ts';
import type { Logger } from '../io/logger.ts';
import { readTokenFile } from '../io/token-file.ts';

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

/**
 * The token-file grant: the file is the cache, read on every run; no cache
 * entry, no lock. Without an issuer this is a hit (node:fs only); with one,
 * the verification's modules load.
 */
async function tokenFileCredential(
  tokenFile: string,
  provider: ProviderOptions,
  deps: Deps,
  logger: Logger,
): Promise<Credential> {
  const credential = readTokenFile(tokenFile, deps.now());
  logger.redactor.add(credential.token);
  if (provider.issuerUrl !== '') {
    const { verifyTokenFile } = await import('../flows/token-file.ts');
    await verifyTokenFile(provider, tokenFile, credential.token, { env: deps.env, now: deps.now, logger });
  }
  return credential;
}

/** A credential and where it came from: a cache entry, or the token-file grant's file, which keeps no entry. */
export type ObtainedCredential =
  | { credential: Credential; entry: { store: TokenStore; key: string } }
  | { credential: Credential; tokenFile: string };

/**
 * The credential get-token hands kubectl: the token file's, a fresh one from
 * the cache, or a renewed one (imported on a miss). `refuseLogin`, when set,
 * is thrown instead of a login that needs a person (whoami without --login
 * opens no browser).
 */
export async function obtainCredential(
  options: GetTokenOptions,
  {
    execInfo,
    deps,
    logger,
    refuseLogin,
  }: { execInfo: ExecInfo; deps: Deps; logger: Logger; refuseLogin?: () => Error },
): Promise<ObtainedCredential> {
  const { grant } = options;
  if (grant.type === 'token-file') {
    const credential = await tokenFileCredential(grant.tokenFile, options.provider, deps, logger);
    return { credential, tokenFile: grant.tokenFile };
  }
  const store = await openTokenStore(options.cache, deps, logger);
  const { key, loginKey } = credentialCacheKey(options);
  const cached = options.forceRefresh
    ? undefined
    : credentialOf(await store.load(key), options.provider.useAccessToken, deps.now());
  if (cached !== undefined) {
    logger.debug('using the cached token');
    return { credential: cached, entry: { store, key } };
  }
  const { renewCredential } = await import('./get-token-renew.ts');
  const credential = await renewCredential({
    options,
    store,
    key,
    loginKey,
    execInfo,
    deps,
    logger,
    ...(refuseLogin ? { refuseLogin } : {}),
  });
  return { credential, entry: { store, key } };
}

/** Runs get-token for what kubectl said (`execInfo`): prints one ExecCredential on stdout. */
export async function runGetToken(
  options: GetTokenOptions,
  execInfo: ExecInfo,
  deps: Deps,
  logger: Logger,
): Promise<void> {
  const { credential } = await obtainCredential(options, { execInfo, deps, logger });
  deps.stdout.write(formatExecCredential(execInfo.apiVersion, credential.token, credential.expiresAt));
}
