/**
 * `logout`: for the entry get-token's flags select (or, with `--all`, every
 * entry), revoke its tokens at the provider, delete it under its lock, and
 * with `--end-session` open the provider's end-session page. Says per entry
 * what it did; never prints a token.
 */
import { withTokenLock } from '../cache/token-lock.ts';
import type { TokenStore } from '../cache/token-store.ts';
import { credentialCacheKey } from '../core/cache-key.ts';
import type { TokenSet } from '../core/credential.ts';
import { AuthError, KubeloginError, NetworkError } from '../core/errors.ts';
import { decodeJwtClaims } from '../core/jwt.ts';
import type { GetTokenOptions, LogoutOptions, ProviderOptions } from '../core/options.ts';
import type { Deps } from '../deps.ts';
import type { Logger } from '../io/logger.ts';
import { endSessionUrl, type RevocationOutcome, revokeTokens } from '../provider/revocation.ts';
import { connectProvider, type ProviderSession } from '../provider/session.ts';
import { openTokenStore } from './get-token.ts';
import { describeRevocation, type EntryResult, providerOfEntry, unrevokedError } from './logout-entry.ts';

/** A logout waits this long for a get-token of the same entry to finish its refresh or login. */
const LOCK_WAIT_MS = 60_000;

/**
 * Opens the end-session page. Its URL carries no ID token: the token stays
 * valid at the API server until it expires, whatever was revoked, and a URL
 * ends up in a browser command's arguments and the browser's history.
 */
async function endSession(
  session: ProviderSession,
  options: LogoutOptions,
  deps: Deps,
  logger: Logger,
): Promise<string> {
  const url = endSessionUrl(session);
  if (url === undefined) return 'the provider has no end-session endpoint, so its browser session stays';
  await deps.openBrowser(url, options.browser, logger);
  return "opened the provider's end-session page";
}

/** ` for the audience X` of an exchanged token, for the report; empty when its token names none. */
function audienceOf(tokens: TokenSet): string {
  const token = tokens.access_token ?? tokens.id_token;
  const aud = token === undefined ? undefined : decodeJwtClaims(token)?.['aud'];
  const audiences = Array.isArray(aud) ? aud.map(String) : typeof aud === 'string' ? [aud] : [];
  return audiences.length === 0 ? '' : ` for the audience ${audiences.join(', ')}`;
}

/**
 * The entries a logout with get-token's flags removes: the tokens exchanged
 * from the login (for the `--exchange-audience` given, and every other one
 * tied to the login), then the login's own. The audiences' keys come first,
 * as get-token locks them.
 */
async function keysOfLogin(target: GetTokenOptions, store: TokenStore): Promise<string[]> {
  const { key, loginKey } = credentialCacheKey(target);
  const exchanged = new Set<string>(key === loginKey ? [] : [key]);
  for (const candidate of (await store.keys()).keys) {
    if (candidate !== loginKey && (await store.load(candidate))?.exchanged_from === loginKey) exchanged.add(candidate);
  }
  return [...exchanged, loginKey];
}

/** Opens the end-session page of `provider`, or says why not. */
async function endSessionIfReachable(
  provider: ProviderOptions,
  options: LogoutOptions,
  deps: Deps,
  logger: Logger,
): Promise<string> {
  try {
    const session = await connectProvider(provider, { env: deps.env, now: deps.now, logger });
    return await endSession(session, options, deps, logger);
  } catch (error) {
    if (!(error instanceof KubeloginError)) throw error;
    return `did not open the provider's end-session page: ${error.message}`;
  }
}

/** Logs out of one entry, holding its lock. */
async function logoutEntry(
  key: string,
  store: TokenStore,
  options: LogoutOptions,
  deps: Deps,
  logger: Logger,
): Promise<EntryResult> {
  const tokens = await store.load(key);
  if (tokens === undefined) return { found: false };
  logger.redactor.add(tokens.id_token, tokens.refresh_token, tokens.access_token);
  const provider = options.target?.provider ?? providerOfEntry(tokens, options.transport);
  const where = store.location(key);
  if (tokens.refresh_token === undefined) {
    // A CI token or an exchanged one: it ends at its exp, and nothing at the provider outlives it.
    await store.delete(key);
    if (tokens.exchanged_from !== undefined) {
      logger.info(`Deleted ${where}: the token exchanged from the login${audienceOf(tokens)}`);
      return { found: true };
    }
    const ended =
      options.endSession && provider !== undefined
        ? `; ${await endSessionIfReachable(provider, options, deps, logger)}`
        : '';
    logger.info(`Deleted ${where}: it held no refresh token, so there was nothing to revoke${ended}`);
    return { found: true };
  }
  if (provider === undefined) {
    await store.delete(key);
    logger.info(
      `Logged out of ${where}: not revoked, the entry has no ID token naming its provider (log out with get-token's flags to revoke it); deleted the entry`,
    );
    return { found: true };
  }
  const given = options.transport.credentialsFor;
  const withoutCredentials =
    given !== undefined && provider !== given && provider.clientId === given.clientId
      ? `, without the credentials given, which are for ${given.issuerUrl}`
      : '';
  const who = `${provider.issuerUrl} (client ${provider.clientId}${withoutCredentials})`;
  let session: ProviderSession | undefined;
  let outcome: RevocationOutcome;
  try {
    session = await connectProvider(provider, { env: deps.env, now: deps.now, logger });
    outcome = await revokeTokens(session, tokens);
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    outcome =
      error instanceof AuthError
        ? { kind: 'rejected', error }
        : {
            kind: 'unreachable',
            error: error instanceof NetworkError ? error : new NetworkError(error.message, { cause: error }),
          };
  }
  await store.delete(key);
  const { words, failure } = describeRevocation(outcome);
  const ended =
    options.endSession && session !== undefined ? `; ${await endSession(session, options, deps, logger)}` : '';
  logger.info(`Logged out of ${who}: ${words}; deleted ${where}${ended}`);
  return { found: true, failure };
}

/** Runs logout. */
export async function runLogout(options: LogoutOptions, deps: Deps, logger: Logger): Promise<void> {
  const { cache } = options;
  if (cache.storage === 'none') {
    logger.info('Nothing to log out: --token-cache-storage=none keeps no tokens');
    return;
  }
  const store = await openTokenStore(cache, deps, logger);
  let keys: string[];
  if (options.target === undefined) {
    const listing = await store.keys();
    for (const { location, reason } of listing.skipped) logger.info(`Skipped ${location}: ${reason}`);
    keys = listing.keys;
  } else {
    keys = await keysOfLogin(options.target, store);
  }
  const results: EntryResult[] = [];
  for (const key of keys) {
    results.push(
      await withTokenLock(cache.dir, key, LOCK_WAIT_MS, { uid: deps.uid, logger }, () =>
        logoutEntry(key, store, options, deps, logger),
      ),
    );
  }
  if (!results.some((result) => result.found)) {
    logger.info(
      options.target === undefined
        ? `Nothing to log out: no tokens are cached in ${cache.storage === 'keyring' ? 'the OS keyring' : cache.dir}`
        : 'Nothing to log out: no tokens are cached for these flags',
    );
    return;
  }
  const error = unrevokedError(results);
  if (error !== undefined) throw error;
}
