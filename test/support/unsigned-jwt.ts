/**
 * Unsigned JWTs, for tests that need a token whose claims are read without verification: cached
 * ID tokens (the CLI decodes them to decide whether they are fresh), legacy kubeconfig tokens, and
 * input for the JWT decoder itself.
 */

/** The protected header: no algorithm, as RFC 7519 section 6 writes an unsecured JWT. */
const UNSIGNED_HEADER = { alg: 'none', typ: 'JWT' };
/** How long ago {@link expiredUnsignedJwt} was issued and expired. */
const EXPIRED_ISSUED_AGO_SECONDS = 120;
const EXPIRED_AGO_SECONDS = 60;

/** Options of {@link unsignedJwt}. */
export interface UnsignedJwtOptions {
  /** The third part, as is; empty by default (an unsecured JWT has an empty signature). */
  signature?: string;
}

/** `text` in base64url without padding, as a JWT part. */
function jwtPart(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

/**
 * A compact JWT `<header>.<payload>.<signature>` with the `alg: none` header. `payload` is the
 * claims, or raw text to encode as it is (e.g. `[1,2]` or `null`, for payloads that are not objects).
 */
export function unsignedJwt(
  payload: Readonly<Record<string, unknown>> | string,
  options: UnsignedJwtOptions = {},
): string {
  const payloadText = typeof payload === 'string' ? payload : JSON.stringify(payload);
  return `${jwtPart(JSON.stringify(UNSIGNED_HEADER))}.${jwtPart(payloadText)}.${options.signature ?? ''}`;
}

/** An unsigned ID token issued two minutes ago that expired a minute ago: a stale token to be refreshed. */
export function expiredUnsignedJwt(): string {
  const now = Math.floor(Date.now() / 1000);
  return unsignedJwt({ iat: now - EXPIRED_ISSUED_AGO_SECONDS, exp: now - EXPIRED_AGO_SECONDS });
}
