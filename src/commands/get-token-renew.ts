/**
 * The slow half of get-token, on a cache miss: under the per-key lock, read
 * the cache again, then refresh or log in, verify, and store.
 */
import { StormGuard, stormGuardDirectory } from '../cache/storm-guard.ts';
import { withTokenLock } from '../cache/token-lock.ts';
import type { TokenStore } from '../cache/token-store.ts';
import { type Credential, credentialOf, type LateArrival, newCredentialOf, type TokenSet } from '../core/credential.ts';
import { InteractionRequiredError, UnfinishedLoginError } from '../core/errors.ts';
import type { ExecInfo } from '../core/exec-credential.ts';
import { exchangeAudienceOf, type GetTokenOptions } from '../core/options.ts';
import type { Deps } from '../deps.ts';
import { exchangeForAudience } from '../flows/exchange-audience.ts';
import { isTerminalRun } from '../flows/interaction.ts';
import { chooseGrant, type LoginContext, login, needsPerson, resolveGrant, usesBrowser } from '../flows/login.ts';
import { refreshTokens } from '../flows/refresh.ts';
import type { Logger } from '../io/logger.ts';
import { connectProvider, type ProviderSession } from '../provider/session.ts';

/** Beyond the authentication timeout, how long a waiting process allows the holder for its token exchange and write. */
const LOCK_WAIT_MARGIN_MS = 30_000;

/** What the slow half needs. */
export interface RenewContext {
  options: GetTokenOptions;
  store: TokenStore;
  /** The key of the token kubectl gets. */
  key: string;
  /** The key of the login's tokens: `key` itself, unless `--exchange-audience` exchanges them for another audience's. */
  loginKey: string;
  execInfo: ExecInfo;
  deps: Deps;
  logger: Logger;
  /** When set, a login that needs a person is refused with this error instead (whoami without --login never opens a browser). */
  refuseLogin?: () => Error;
}

/** Runs `fn` holding the lock of `key`, unless nothing is stored. */
function withLock<T>(context: RenewContext, key: string, fn: () => Promise<T>): Promise<T> {
  const { options, deps, logger } = context;
  if (options.cache.storage === 'none') return fn();
  const waitMs = options.browser.authenticationTimeoutMs + LOCK_WAIT_MARGIN_MS;
  return withTokenLock(options.cache.dir, key, waitMs, { uid: deps.uid, logger }, fn);
}

/**
 * Obtains a fresh credential by refresh or login (and, with
 * `--exchange-audience`, an exchange of the login's token), holding the lock
 * of the key unless nothing is stored.
 */
export async function renewCredential(context: RenewContext): Promise<Credential> {
  return withLock(context, context.key, () => obtain(context));
}

async function obtain(context: RenewContext): Promise<Credential> {
  const { options, store, key, deps, logger } = context;
  const useAccessToken = options.provider.useAccessToken;
  // Another process may have refreshed or logged in while this one waited for the lock.
  const cached = await store.load(key, { locked: true });
  if (!options.forceRefresh) {
    const credential = credentialOf(cached, useAccessToken, deps.now());
    if (credential) {
      logger.debug('another process has just renewed the token');
      return credential;
    }
  }
  const session = await connectProvider(options.provider, { env: deps.env, now: deps.now, logger });
  const exchangeAudience = exchangeAudienceOf(options.grant);
  let tokens: TokenSet;
  if (exchangeAudience === undefined) {
    tokens = await loginTokens(session, context, cached);
  } else {
    // Lock order is always the audience's key, then the login's: no two processes wait for each other.
    const login = await withLock(context, context.loginKey, () => freshLoginTokens(session, context));
    // Tied to its login, so that logging out of the login removes it too.
    tokens = { ...(await exchangeForAudience(session, login, exchangeAudience)), exchanged_from: context.loginKey };
  }
  const obtained = newCredentialOf(tokens, useAccessToken, deps.now());
  if (obtained === undefined) throw new Error('the verified token has no exp claim');
  await store.save(key, obtained.tokens);
  if (obtained.late) logger.warn(lateArrivalWarning(obtained.late));
  return obtained.credential;
}

/** Refreshes `cached` or logs in. */
async function loginTokens(
  session: ProviderSession,
  context: RenewContext,
  cached: TokenSet | undefined,
): Promise<TokenSet> {
  return (
    (cached?.refresh_token !== undefined &&
      (await refreshTokens(session, { ...cached, refresh_token: cached.refresh_token }))) ||
    (await loginUnlessRefused(session, context))
  );
}

/**
 * The login's tokens for `--exchange-audience`, under the login's own key:
 * the cached ones while fresh (one browser login serves every audience), else
 * refreshed or a new login, stored.
 */
async function freshLoginTokens(session: ProviderSession, context: RenewContext): Promise<TokenSet> {
  const { options, store, loginKey, deps } = context;
  const cached = await store.load(loginKey, { locked: true });
  if (credentialOf(cached, options.provider.useAccessToken, deps.now()) && cached) return cached;
  const tokens = await loginTokens(session, context, cached);
  await store.save(loginKey, tokens);
  return tokens;
}

/** The warning for a token that arrived inside its early-refresh margin. */
function lateArrivalWarning({ leftSeconds, clockBehindSeconds }: LateArrival): string {
  const cause =
    clockBehindSeconds !== undefined && clockBehindSeconds > 0
      ? `the provider's clock seems ${clockBehindSeconds}s behind this machine's (by the token's iat)`
      : "the provider's clock may be behind this machine's";
  return `${cause}: the token arrived with only ${leftSeconds}s left, so it is used until just before it expires and renewed then; check both clocks (NTP)`;
}

/** Logs in, unless the caller refuses a login and this one needs a person (a CI grant's never does). */
async function loginUnlessRefused(session: ProviderSession, context: RenewContext): Promise<TokenSet> {
  if (context.refuseLogin !== undefined && needsPerson(chooseGrant(context.options, session, context.deps).grant))
    throw context.refuseLogin();
  return guardedLogin(session, context);
}

/**
 * Logs in, unless a browser login for this key was just left unfinished and
 * nobody is at a terminal. With `--token-cache-storage=none` the guard's
 * markers are neither read nor written: that storage touches no file.
 */
async function guardedLogin(session: ProviderSession, context: RenewContext): Promise<TokenSet> {
  const { options, loginKey: key, deps } = context;
  const loginContext: LoginContext = { deps, execInfo: context.execInfo };
  const grant = resolveGrant(session, options, loginContext);
  if (!usesBrowser(grant) || options.cache.storage === 'none') return login(session, options, grant, loginContext);

  const guard = new StormGuard(stormGuardDirectory(await deps.userCacheDir()));
  const ago = guard.unfinishedAgo(key, deps.now());
  if (ago !== undefined && !isTerminalRun(context.execInfo, deps)) {
    throw new InteractionRequiredError(
      `a browser login for this cluster was left unfinished ${Math.round(ago / 1000)}s ago; not opening another one from a run nobody watches`,
      { hint: 'run `kubectl get pods` (or `kubelogin get-token ...`) in a terminal to log in' },
    );
  }
  try {
    const tokens = await login(session, options, grant, loginContext);
    guard.clear(key);
    return tokens;
  } catch (error) {
    // Only the person's part counts: a token request that timed out after it says nothing about the next login.
    if (error instanceof UnfinishedLoginError) guard.recordUnfinished(key);
    throw error;
  }
}
