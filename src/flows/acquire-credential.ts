/**
 * The slow path of get-token: under the per-key lock, read the cache again,
 * then refresh or log in, verify, and store.
 */
import { withTokenLock } from '../cache/token-lock.ts';
import type { TokenStore } from '../cache/token-store.ts';
import { type Credential, credentialOf } from '../commands/get-token.ts';
import type { ExecInfo } from '../core/exec-credential.ts';
import type { GetTokenOptions } from '../core/options.ts';
import type { Deps } from '../deps.ts';
import type { Logger } from '../io/logger.ts';
import { login } from './login.ts';
import { connectProvider } from './provider-session.ts';
import { refreshTokens } from './refresh.ts';

/** Beyond the authentication timeout, how long a waiting process allows the holder for its token exchange and write. */
const LOCK_WAIT_MARGIN_MS = 30_000;

/** What the slow path needs. */
export interface AcquireContext {
  options: GetTokenOptions;
  store: TokenStore;
  key: string;
  execInfo: ExecInfo;
  deps: Deps;
  logger: Logger;
}

/** Obtains a fresh credential by refresh or login, holding the lock of the key unless nothing is stored. */
export async function acquireCredential(context: AcquireContext): Promise<Credential> {
  const { options, logger } = context;
  if (options.tokenCacheStorage === 'none') return obtain(context);
  return withTokenLock(options.tokenCacheDir, context.key, options.browser.authenticationTimeoutMs + LOCK_WAIT_MARGIN_MS, logger, () =>
    obtain(context),
  );
}

async function obtain({ options, store, key, deps, logger }: AcquireContext): Promise<Credential> {
  const useAccessToken = options.provider.useAccessToken;
  // Another process may have refreshed or logged in while this one waited for the lock.
  const cached = await store.load(key);
  if (!options.forceRefresh) {
    const credential = credentialOf(cached, useAccessToken, deps.now());
    if (credential) {
      logger.debug('another process has just renewed the token');
      return credential;
    }
  }
  const session = await connectProvider(options.provider, logger);
  const tokens = (cached?.refresh_token && (await refreshTokens(session, cached.refresh_token, logger))) || (await login(session, options, logger));
  await store.save(key, tokens);
  const credential = credentialOf(tokens, useAccessToken);
  if (credential === undefined) throw new Error('the verified token has no exp claim');
  return credential;
}
