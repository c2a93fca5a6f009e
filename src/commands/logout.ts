/**
 * `logout`: for the entry get-token's flags select (or, with `--all`, every
 * entry), revoke its tokens at the provider, delete it under its lock, and
 * with `--end-session` open the provider's end-session page. Says per entry
 * what it did; never prints a token.
 */
import { withTokenLock } from '../cache/token-lock.ts';
import type { TokenStore } from '../cache/token-store.ts';
import { cacheKeyInput, computeCacheKey } from '../core/cache-key.ts';
import type { TokenSet } from '../core/credential.ts';
import { AuthError, NetworkError } from '../core/errors.ts';
import { decodeJwtClaims } from '../core/jwt.ts';
import type { LogoutOptions, ProviderOptions } from '../core/options.ts';
import type { Deps } from '../deps.ts';
import type { Logger } from '../io/logger.ts';
import { endSessionUrl, type RevocationOutcome, revokeTokens } from '../provider/revocation.ts';
import { connectProvider, type ProviderSession } from '../provider/session.ts';
import { openTokenStore } from './get-token.ts';

/** A logout waits this long for a get-token of the same entry to finish its refresh or login. */
const LOCK_WAIT_MS = 60_000;

/** What happened to one entry. */
interface EntryResult {
  /** False when nothing was cached under the key. */
  found: boolean;
  /** Why the provider may still honour the tokens, when it may. */
  failure?: 'unreachable' | 'rejected';
}

/** The provider of an entry found by `--all`, from its ID token's `iss` and `azp` or `aud`; undefined without an ID token. */
function providerOfEntry(tokens: TokenSet, options: LogoutOptions): ProviderOptions | undefined {
  const claims = tokens.id_token === undefined ? undefined : decodeJwtClaims(tokens.id_token);
  const issuer = claims?.['iss'];
  const aud = claims?.['aud'];
  const clientId = claims?.['azp'] ?? (Array.isArray(aud) ? aud[0] : aud);
  if (typeof issuer !== 'string' || typeof clientId !== 'string') return undefined;
  const { transport } = options;
  return {
    issuerUrl: issuer,
    clientId,
    // The secret given goes only to its own client.
    clientSecret: transport.clientId === clientId ? transport.clientSecret : undefined,
    extraScopes: [],
    pkceMethod: 'auto',
    authRequestExtraParams: {},
    requestHeaders: transport.requestHeaders,
    useAccessToken: false,
    certificateAuthorities: transport.certificateAuthorities,
    certificateAuthorityData: transport.certificateAuthorityData,
    insecureSkipTLSVerify: transport.insecureSkipTLSVerify,
  };
}

/** What revocation did, in words for the report, and whether it failed. */
function describeOutcome(outcome: RevocationOutcome): { words: string; failure?: EntryResult['failure'] } {
  switch (outcome.kind) {
    case 'revoked':
      return { words: `revoked the ${outcome.tokens.join(' and the ')} at the provider` };
    case 'no-endpoint':
      return {
        words:
          'not revoked: the provider has no revocation endpoint, so the refresh token stays valid there until it expires',
      };
    case 'nothing-to-revoke':
      return { words: 'nothing to revoke: the entry held no refresh or access token' };
    case 'already-invalid':
      return { words: 'not revoked: the provider says the refresh token was already invalid' };
    case 'rejected':
      return { words: `not revoked: ${outcome.error.message}`, failure: 'rejected' };
    case 'unreachable':
      return { words: `not revoked: ${outcome.error.message}`, failure: 'unreachable' };
  }
}

/** Opens the end-session page; the URL printed for a person to open carries no token. */
async function endSession(
  session: ProviderSession,
  tokens: TokenSet,
  options: LogoutOptions,
  deps: Deps,
  logger: Logger,
): Promise<string> {
  const idTokenHint = options.browser.skipOpenBrowser ? undefined : tokens.id_token;
  const url = endSessionUrl(session, idTokenHint);
  if (url === undefined) return 'the provider has no end-session endpoint, so its browser session stays';
  await deps.openBrowser(url, options.browser, logger);
  return "opened the provider's end-session page";
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
  const provider = options.target?.provider ?? providerOfEntry(tokens, options);
  const where = store.location(key);
  if (provider === undefined) {
    await store.delete(key);
    logger.info(
      `Logged out of ${where}: not revoked, the entry has no ID token naming its provider (log out with get-token's flags to revoke it); deleted the entry`,
    );
    return { found: true };
  }
  const who = `${provider.issuerUrl} (client ${provider.clientId})`;
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
  const { words, failure } = describeOutcome(outcome);
  const ended =
    options.endSession && session !== undefined ? `; ${await endSession(session, tokens, options, deps, logger)}` : '';
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
  const keys = options.target === undefined ? await store.keys() : [computeCacheKey(cacheKeyInput(options.target))];
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
  const unreachable = results.filter((result) => result.failure === 'unreachable').length;
  const rejected = results.filter((result) => result.failure === 'rejected').length;
  if (unreachable + rejected === 0) return;
  const count = unreachable + rejected;
  const message = `${count} cache entr${count === 1 ? 'y was' : 'ies were'} deleted locally but not revoked at the provider: the refresh token may stay valid there`;
  const hint =
    "run logout again when the provider can be reached, or revoke the session in the provider's account page";
  throw unreachable > 0 ? new NetworkError(message, { hint }) : new AuthError(message, { hint });
}
