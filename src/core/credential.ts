/**
 * The tokens kubelogin keeps and the one it hands kubectl: pure and safe for
 * the cache-hit path.
 */
import { earlyRefreshMarginSeconds, isFresh } from './freshness.ts';
import { decodeJwtClaims } from './jwt.ts';

/** The cached tokens of one key, as the Go kubelogin stores them. */
export interface TokenSet {
  id_token?: string;
  refresh_token?: string;
  access_token?: string;
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

/**
 * The credential in a token set if its token has an `exp`; with `nowMs`,
 * only if it is fresh then.
 */
export function credentialOf(tokens: TokenSet | undefined, useAccessToken: boolean, nowMs?: number): Credential | undefined {
  const token = tokenForKubectl(tokens, useAccessToken);
  if (token === undefined) return undefined;
  const claims = decodeJwtClaims(token);
  if (typeof claims?.exp !== 'number') return undefined;
  if (nowMs !== undefined && !isFresh(claims, nowMs)) return undefined;
  return { token, expiresAt: new Date((claims.exp - earlyRefreshMarginSeconds(claims)) * 1000) };
}
