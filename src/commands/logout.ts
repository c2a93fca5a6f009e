/**
 * `logout`: for the entry get-token's flags select (or, with `--all`, every
 * entry), revoke its tokens at the provider, delete it under its lock, and
 * with `--end-session` open the provider's end-session page. A refresh
 * token the provider may still honour is kept for the next logout to revoke
 * (cache/pending-revocation.ts). Says per entry what it did; never prints a
 * token.
 */
import { DiskPendingRevocations, type PendingRevocations } from '../cache/pending-revocation.ts';
import { withTokenLock } from '../cache/token-lock.ts';
import type { KeyListing, TokenStore } from '../cache/token-store.ts';
import { credentialCacheKey } from '../core/cache-key.ts';
import type { TokenSet } from '../core/credential.ts';
import { AuthError, KubeloginError, NetworkError } from '../core/errors.ts';
import { decodeJwtClaims } from '../core/jwt.ts';
import type { GetTokenOptions, LogoutOptions, ProviderOptions, TokenCache } from '../core/options.ts';
import type { Deps } from '../deps.ts';
import type { Logger } from '../io/logger.ts';
import { endSessionUrl, type RevocationOutcome, revokeTokens } from '../provider/revocation.ts';
import { connectProvider, type ProviderSession } from '../provider/session.ts';
import { openTokenStore } from './get-token.ts';
import {
  describeRevocation,
  type EntryResult,
  providerOfEntry,
  providerOfRecord,
  refreshTokens,
  unrevokedError,
} from './logout-entry.ts';

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

/** What a logout of one key works with: the token cache and the records of refresh tokens still to be revoked. */
interface Stores {
  tokens: TokenStore;
  pending: PendingRevocations;
}

/** Revokes each refresh token (the entry's with its access token) through `provider`; a failure to connect fails them all. */
async function revokeEach(
  provider: ProviderOptions,
  sets: readonly TokenSet[],
  deps: Deps,
  logger: Logger,
): Promise<{ session: ProviderSession | undefined; outcomes: RevocationOutcome[] }> {
  let session: ProviderSession | undefined;
  const outcomes: RevocationOutcome[] = [];
  try {
    session = await connectProvider(provider, { env: deps.env, now: deps.now, logger });
    for (const set of sets) outcomes.push(await revokeTokens(session, set).catch(failedRevocation));
  } catch (error) {
    const failed = failedRevocation(error);
    while (outcomes.length < sets.length) outcomes.push(failed);
  }
  return { session, outcomes };
}

/** A revocation that threw, as an outcome: refused by the provider, or not reaching it. */
function failedRevocation(error: unknown): RevocationOutcome {
  if (!(error instanceof Error)) throw error;
  if (error instanceof AuthError) return { kind: 'rejected', error };
  return {
    kind: 'unreachable',
    error: error instanceof NetworkError ? error : new NetworkError(error.message, { cause: error }),
  };
}

/** True when the provider may still honour the token of an outcome. */
function unsettled(outcome: RevocationOutcome): boolean {
  return outcome.kind === 'rejected' || outcome.kind === 'unreachable';
}

/**
 * Logs out of one key, holding its lock: revokes the entry's refresh token
 * and those an earlier logout left unrevoked; keeps those the provider may
 * still honour in a record for the next logout, before the entry is deleted
 * (no token is served from it any more); says in one line what it did.
 */
async function logoutKey(
  key: string,
  stores: Stores,
  options: LogoutOptions,
  deps: Deps,
  logger: Logger,
): Promise<EntryResult> {
  const tokens = await stores.tokens.load(key, { locked: true });
  const record = await stores.pending.load(key);
  if (tokens === undefined && record === undefined) return { found: false };
  logger.redactor.add(tokens?.id_token, tokens?.refresh_token, tokens?.access_token, ...(record?.refreshTokens ?? []));
  const where = stores.tokens.location(key);
  const recordWhere = stores.pending.location(key);
  if (tokens !== undefined && tokens.refresh_token === undefined && record === undefined) {
    return deleteWithoutRevocation(key, tokens, stores.tokens, options, deps, logger);
  }
  const provider =
    options.target?.provider ??
    (tokens && providerOfEntry(tokens, options.transport)) ??
    (record && providerOfRecord(record, options.transport));
  if (provider === undefined) {
    await stores.tokens.delete(key);
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

  // The entry's refresh token (with its access token) first, then those kept by an earlier logout.
  const entrySet = tokens?.refresh_token === undefined ? [] : [tokens];
  const earlier = (record?.refreshTokens ?? []).filter((token) => token !== tokens?.refresh_token);
  const sets: TokenSet[] = [...entrySet, ...earlier.map((token) => ({ refresh_token: token }))];
  const { session, outcomes } = await revokeEach(provider, sets, deps, logger);
  const kept = sets.flatMap((set, index) => (unsettled(outcomes[index] as RevocationOutcome) ? [set] : []));

  // The record first: the entry goes only once its refresh token cannot be lost.
  if (kept.length > 0) {
    await stores.pending.save(key, {
      issuer: provider.issuerUrl,
      clientId: provider.clientId,
      refreshTokens: kept.map((set) => set.refresh_token as string),
    });
  } else if (record !== undefined) {
    await stores.pending.delete(key);
  }
  if (tokens !== undefined) await stores.tokens.delete(key);

  const failed = outcomes.find(unsettled);
  const first = outcomes[0] as RevocationOutcome;
  const earlierWords = `${refreshTokens(earlier.length)} an earlier logout could not revoke`;
  const words =
    failed !== undefined
      ? describeRevocation(failed).words
      : entrySet.length === 0 && first.kind === 'revoked'
        ? `revoked ${earlierWords} at the provider`
        : `${describeRevocation(first).words}${entrySet.length > 0 && earlier.length > 0 ? `, and ${earlierWords}` : ''}`;
  const deleted = tokens === undefined ? '' : `; deleted ${where}`;
  const keptWords =
    kept.length > 0
      ? `; kept ${refreshTokens(kept.length)} in ${recordWhere} for the next logout to revoke`
      : record !== undefined
        ? `; removed ${recordWhere}`
        : '';
  const ended =
    options.endSession && session !== undefined ? `; ${await endSession(session, options, deps, logger)}` : '';
  logger.info(`Logged out of ${who}: ${words}${deleted}${keptWords}${ended}`);
  return { found: true, ...(failed === undefined ? {} : { failure: describeRevocation(failed).failure }) };
}

/** Deletes an entry without a refresh token (a CI token, an exchanged one): it ends at its exp, and nothing at the provider outlives it. */
async function deleteWithoutRevocation(
  key: string,
  tokens: TokenSet,
  store: TokenStore,
  options: LogoutOptions,
  deps: Deps,
  logger: Logger,
): Promise<EntryResult> {
  const where = store.location(key);
  await store.delete(key);
  if (tokens.exchanged_from !== undefined) {
    logger.info(`Deleted ${where}: the token exchanged from the login${audienceOf(tokens)}`);
    return { found: true };
  }
  const provider = options.target?.provider ?? providerOfEntry(tokens, options.transport);
  const ended =
    options.endSession && provider !== undefined
      ? `; ${await endSessionIfReachable(provider, options, deps, logger)}`
      : '';
  logger.info(`Deleted ${where}: it held no refresh token, so there was nothing to revoke${ended}`);
  return { found: true };
}

/** The records of refresh tokens to revoke of the storage: beside the entries, on disk or in the keyring. */
async function openPendingRevocations(
  cache: Exclude<TokenCache, { storage: 'none' }>,
  deps: Deps,
  logger: Logger,
): Promise<PendingRevocations> {
  if (cache.storage === 'disk') return new DiskPendingRevocations(cache.dir, { uid: deps.uid, logger });
  const { openKeyringPendingRevocations } = await import('../cache/keyring-store.ts');
  return openKeyringPendingRevocations(deps);
}

/** The union of the keys of two listings, each skipped name said in one line. */
function keysOf(listings: readonly KeyListing[], logger: Logger): string[] {
  for (const { location, reason } of listings.flatMap((listing) => listing.skipped))
    logger.info(`Skipped ${location}: ${reason}`);
  return [...new Set(listings.flatMap((listing) => listing.keys))].sort();
}

/** Runs logout. */
export async function runLogout(options: LogoutOptions, deps: Deps, logger: Logger): Promise<void> {
  const { cache } = options;
  if (cache.storage === 'none') {
    logger.info('Nothing to log out: --token-cache-storage=none keeps no tokens');
    return;
  }
  const stores: Stores = {
    tokens: await openTokenStore(cache, deps, logger),
    pending: await openPendingRevocations(cache, deps, logger),
  };
  const keys =
    options.target === undefined
      ? keysOf([await stores.tokens.keys(), await stores.pending.keys()], logger)
      : await keysOfLogin(options.target, stores.tokens);
  const results: EntryResult[] = [];
  for (const key of keys) {
    results.push(
      await withTokenLock(cache.dir, key, LOCK_WAIT_MS, { uid: deps.uid, logger }, () =>
        logoutKey(key, stores, options, deps, logger),
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
