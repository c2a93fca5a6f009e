/**
 * `get-token`, the credential plugin. The hot path (a fresh token in the
 * cache) reads one file and prints; everything else is imported on a miss.
 */
import { computeCacheKey, type CacheKeyInput } from '../core/cache-key.ts';
import { EXEC_INFO_VARIABLE, type ExecInfo, formatExecCredential, parseExecInfo } from '../core/exec-credential.ts';
import { earlyRefreshMarginSeconds, isFresh } from '../core/freshness.ts';
import { decodeJwtClaims } from '../core/jwt.ts';
import { type GetTokenOptions, usesPasswordGrant } from '../core/options.ts';
import { DiskTokenStore, NoTokenStore, type TokenSet, type TokenStore } from '../cache/token-store.ts';
import type { Deps } from '../deps.ts';
import type { Logger } from '../io/logger.ts';

/** The token handed to kubectl and when kubectl must ask again. */
export interface Credential {
  token: string;
  /**
   * The token's `exp` less the early-refresh margin: kubectl keeps a credential
   * in memory until this time (a `kubectl get -w` for hours), and the API server
   * allows no leeway on `exp`, so it must ask again before the token expires.
   */
  expiresAt: Date;
}

/** The distinct values, sorted. */
function sortedSet(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}

/** The cache key inputs of a get-token run. */
export function cacheKeyInput(options: GetTokenOptions): CacheKeyInput {
  const { provider } = options;
  return {
    issuer: provider.issuerUrl,
    clientId: provider.clientId,
    clientSecret: provider.clientSecret,
    // Scopes and CAs are sets: their order changes neither the token nor the trust.
    scopes: sortedSet(provider.extraScopes),
    redirectUrl: options.browser.redirectUrl,
    pkceMethod: provider.pkceMethod,
    useAccessToken: provider.useAccessToken,
    requestHeaders: provider.requestHeaders,
    authRequestExtraParams: provider.authRequestExtraParams,
    certificateAuthorities: sortedSet(provider.certificateAuthorities),
    certificateAuthorityData: sortedSet(provider.certificateAuthorityData),
    insecureSkipTLSVerify: provider.insecureSkipTLSVerify,
    username: usesPasswordGrant(options) ? options.username : undefined,
  };
}

/**
 * The credential in a token set (the ID token, or the access token in
 * access-token mode) if it has an `exp`; with `nowMs`, only if it is fresh then.
 */
export function credentialOf(tokens: TokenSet | undefined, useAccessToken: boolean, nowMs?: number): Credential | undefined {
  // Without an ID token (the client credentials grant), the access token is the credential.
  const token = useAccessToken ? tokens?.access_token : (tokens?.id_token ?? tokens?.access_token);
  if (token === undefined) return undefined;
  const claims = decodeJwtClaims(token);
  if (typeof claims?.exp !== 'number') return undefined;
  if (nowMs !== undefined && !isFresh(claims, nowMs)) return undefined;
  return { token, expiresAt: new Date((claims.exp - earlyRefreshMarginSeconds(claims)) * 1000) };
}

/** The token store chosen by `--token-cache-storage`; the keyring's module and native addon load only when chosen. */
async function openTokenStore(options: GetTokenOptions): Promise<TokenStore> {
  switch (options.tokenCacheStorage) {
    case 'disk':
      return new DiskTokenStore(options.tokenCacheDir);
    case 'none':
      return new NoTokenStore();
    case 'keyring': {
      const { openKeyringTokenStore } = await import('../cache/keyring-store.ts');
      return openKeyringTokenStore();
    }
  }
}

/** Runs get-token: prints one ExecCredential on stdout. */
export async function runGetToken(options: GetTokenOptions, deps: Deps, logger: Logger): Promise<void> {
  const execInfo: ExecInfo = parseExecInfo(deps.env[EXEC_INFO_VARIABLE]);
  const store = await openTokenStore(options);
  const key = computeCacheKey(cacheKeyInput(options));
  let credential = options.forceRefresh
    ? undefined
    : credentialOf(await store.load(key), options.provider.useAccessToken, deps.now());
  if (credential === undefined) {
    const { acquireCredential } = await import('./get-token-renew.ts');
    credential = await acquireCredential({ options, store, key, execInfo, deps, logger });
  } else {
    logger.debug('using the cached token');
  }
  deps.stdout.write(formatExecCredential(execInfo.apiVersion, credential.token, credential.expiresAt));
}
