/**
 * The tokens kubelogin keeps and the one it hands kubectl: pure and safe for
 * the cache-hit path.
 */
import { AuthError } from './errors.ts';
import { isFresh, LATE_ARRIVAL_MARGIN_SECONDS, refreshMarginSeconds } from './freshness.ts';
import { isoTime } from './iso-time.ts';
import { decodeJwtClaims, type JwtClaims } from './jwt.ts';

/**
 * The cached tokens of one key, as the Go kubelogin stores them, and what
 * kubelogin keeps beside them in optional fields of its own (which the Go
 * kubelogin and older versions ignore).
 */
export interface TokenSet {
  id_token?: string;
  refresh_token?: string;
  access_token?: string;
  /** The scopes the provider granted (the `scope` of its token response), sent again on refresh. */
  scope?: string;
  /** True once the provider refused `scope` on a refresh of this entry (`invalid_scope`): its refreshes send none. */
  refresh_without_scope?: boolean;
  /**
   * For an access token that is not a JWT (never parsed): when it arrived and
   * when it expires by its `expires_in`, in seconds since the epoch, as `iat`
   * and `exp` would say.
   */
  access_token_issued_at?: number;
  access_token_expires_at?: number;
  /**
   * The `exp` of the token kubectl gets when it arrived already inside its
   * early-refresh margin: it is then used until just before that `exp`
   * instead of being renewed on every run. Tied to the token by its `exp`,
   * so it never applies to another.
   */
  late_arrival_exp?: number;
  /** For a token exchanged for an `--exchange-audience`: the cache key of the login it was exchanged from, whose logout removes it too. */
  exchanged_from?: string;
}

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

/**
 * The token kubectl gets from a token set: the access token in access-token
 * mode, else the ID token, else (the client credentials grant, which
 * identifies no user) the access token.
 */
export function tokenForKubectl(tokens: TokenSet | undefined, useAccessToken: boolean): string | undefined {
  return useAccessToken ? tokens?.access_token : (tokens?.id_token ?? tokens?.access_token);
}

/** The token kubectl gets from a token set and its claims, if it has an `exp`. */
function tokenWithExpiry(
  tokens: TokenSet | undefined,
  useAccessToken: boolean,
): { token: string; claims: JwtClaims & { exp: number } } | undefined {
  const token = tokenForKubectl(tokens, useAccessToken);
  if (token === undefined) return undefined;
  const claims =
    token === tokens?.access_token && tokens.access_token_expires_at !== undefined
      ? { iat: tokens.access_token_issued_at, exp: tokens.access_token_expires_at }
      : decodeJwtClaims(token);
  if (typeof claims?.exp !== 'number') return undefined;
  return { token, claims: claims as JwtClaims & { exp: number } };
}

/**
 * The credential in a cached token set, if its token is fresh at `nowMs`: a
 * token that arrived inside its early-refresh margin (as the set remembers)
 * is fresh until just before its `exp`.
 */
export function credentialOf(
  tokens: TokenSet | undefined,
  useAccessToken: boolean,
  nowMs: number,
): Credential | undefined {
  const found = tokenWithExpiry(tokens, useAccessToken);
  if (found === undefined) return undefined;
  const arrivedLate = tokens?.late_arrival_exp === found.claims.exp;
  if (!isFresh(found.claims, nowMs, arrivedLate)) return undefined;
  return {
    token: found.token,
    expiresAt: new Date((found.claims.exp - refreshMarginSeconds(found.claims, arrivedLate)) * 1000),
  };
}

/** A token that arrived already inside its early-refresh margin: the provider's clock is likely behind ours. */
export interface LateArrival {
  /** Seconds the token had left when it arrived. */
  leftSeconds: number;
  /** How far the provider's clock seems behind ours, from `iat`; undefined without `iat`. */
  clockBehindSeconds: number | undefined;
}

/**
 * The credential of a token set just obtained from the provider, and the set
 * to cache. kubectl never gets a time in the past: a token already inside
 * its early-refresh margin (a provider clock behind ours) is handed over
 * until just before its `exp` (its `exp` when closer still), `late` says so,
 * and the set to cache remembers it, so that later runs use the token until
 * then instead of renewing it on every run; one already expired is an
 * AuthError.
 */
export function newCredentialOf(
  tokens: TokenSet,
  useAccessToken: boolean,
  nowMs: number,
): { credential: Credential; late: LateArrival | undefined; tokens: TokenSet } | undefined {
  const { late_arrival_exp: _previous, ...fresh } = tokens;
  const found = tokenWithExpiry(fresh, useAccessToken);
  if (found === undefined) return undefined;
  const { token, claims } = found;
  const credential = credentialOf(fresh, useAccessToken, nowMs);
  if (credential) return { credential, late: undefined, tokens: fresh };
  const nowSeconds = nowMs / 1000;
  if (claims.exp <= nowSeconds) {
    throw new AuthError(
      `the token from the provider expired at ${isoTime(claims.exp)}, before it could be used (this machine's clock says ${isoTime(nowSeconds)})`,
      {
        hint: "check that this machine's clock and the provider's are right (NTP)",
      },
    );
  }
  const clockBehindSeconds = typeof claims.iat === 'number' ? Math.round(nowSeconds - claims.iat) : undefined;
  const justBefore = claims.exp - LATE_ARRIVAL_MARGIN_SECONDS;
  return {
    credential: { token, expiresAt: new Date((justBefore > nowSeconds ? justBefore : claims.exp) * 1000) },
    late: { leftSeconds: Math.floor(claims.exp - nowSeconds), clockBehindSeconds },
    tokens: { ...fresh, late_arrival_exp: claims.exp },
  };
}
