/**
 * When a cached token is still good enough to hand to kubectl.
 */
import type { JwtClaims } from './jwt.ts';

/** Share of a token's lifetime kept in reserve, so kubectl never sends a token that expires in flight. */
const EARLY_REFRESH_FRACTION = 0.1;
/** Upper bound of that reserve: a minute covers any kubectl command's round trips. */
const EARLY_REFRESH_CAP_SECONDS = 60;

/** Seconds before `exp` at which the token counts as expired. */
export function earlyRefreshMarginSeconds(claims: JwtClaims): number {
  if (typeof claims.exp !== 'number') return 0;
  if (typeof claims.iat !== 'number' || claims.iat >= claims.exp) return EARLY_REFRESH_CAP_SECONDS;
  return Math.min(EARLY_REFRESH_CAP_SECONDS, (claims.exp - claims.iat) * EARLY_REFRESH_FRACTION);
}

/** True when the token has an `exp` and more than the early-refresh margin is left at `nowMs`. */
export function isFresh(claims: JwtClaims, nowMs: number): boolean {
  if (typeof claims.exp !== 'number') return false;
  return nowMs / 1000 < claims.exp - earlyRefreshMarginSeconds(claims);
}
