/**
 * When a cached token is still good enough to hand to kubectl.
 */
import type { JwtClaims } from './jwt.ts';

/** Share of a token's lifetime kept in reserve, so kubectl never sends a token that expires in flight. */
const EARLY_REFRESH_FRACTION = 0.1;
/** Upper bound of that reserve: a minute covers any kubectl command's round trips. */
const EARLY_REFRESH_CAP_SECONDS = 60;
/**
 * The reserve of a token that arrived already inside its usual one (the
 * provider's clock behind ours): renewing it would bring another such token,
 * so it is used until this close to its `exp`, which covers a request in flight.
 */
export const LATE_ARRIVAL_MARGIN_SECONDS = 5;

/** Seconds before `exp` at which the token counts as expired. */
export function earlyRefreshMarginSeconds(claims: JwtClaims): number {
  if (typeof claims.exp !== 'number') return 0;
  if (typeof claims.iat !== 'number' || claims.iat >= claims.exp) return EARLY_REFRESH_CAP_SECONDS;
  return Math.min(EARLY_REFRESH_CAP_SECONDS, (claims.exp - claims.iat) * EARLY_REFRESH_FRACTION);
}

/** Seconds before `exp` at which the token counts as expired: the early-refresh margin, or the shorter one of a token that arrived late. */
export function refreshMarginSeconds(claims: JwtClaims, arrivedLate: boolean): number {
  const margin = earlyRefreshMarginSeconds(claims);
  return arrivedLate ? Math.min(margin, LATE_ARRIVAL_MARGIN_SECONDS) : margin;
}

/**
 * True when the token has an `exp` and more than its margin is left at
 * `nowMs`: the early-refresh margin, or for a token that arrived inside it
 * (`arrivedLate`) the late-arrival margin.
 */
export function isFresh(claims: JwtClaims, nowMs: number, arrivedLate = false): boolean {
  if (typeof claims.exp !== 'number') return false;
  return nowMs / 1000 < claims.exp - refreshMarginSeconds(claims, arrivedLate);
}
