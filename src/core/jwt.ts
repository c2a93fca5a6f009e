/**
 * JWT decoding without verification, for the cache-hit path: a token read from
 * our own cache was verified when it was stored.
 */

/** The claims kubelogin reads from a token. */
export interface JwtClaims {
  exp?: number;
  iat?: number;
  [claim: string]: unknown;
}

/** Decodes the payload of a compact JWS; returns undefined when it is not one. */
export function decodeJwtClaims(token: string): JwtClaims | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[1] === undefined) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) return undefined;
    return claims as JwtClaims;
  } catch {
    return undefined;
  }
}
