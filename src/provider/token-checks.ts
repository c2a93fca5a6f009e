/**
 * Token checks that failed, in words naming the check: `alg`, `aud`, `iss`,
 * `exp`, a missing claim. They come from openid-client, which checks the ID
 * token of every token response before it returns it, and from jose, which
 * the token verifier checks the signature and claims with. The words name
 * claims and their values, never the token itself.
 */
import { errors } from 'jose';
import { ClientError } from 'openid-client';
import { isoTime } from '../core/iso-time.ts';

/** A failed check: what was wrong with the token, and what to do about it. */
export interface FailedCheck {
  reason: string;
  hint?: string;
}

/** What a token was checked against, for the words of jose's failures. */
export interface CheckContext {
  issuer: string;
  /** The client the token must be for; undefined when `aud` is not checked. */
  audience: string | undefined;
  /** The clock `exp` was checked against, in milliseconds since the epoch. */
  nowMs: number;
  /** The token's `kid` and `alg`, when its header could be read. */
  header: { kid?: string; alg?: string };
}

/** The names of the claims the checks concern, for messages. */
const CLAIM_NAMES: Readonly<Record<string, string>> = {
  aud: 'audience',
  auth_time: 'authentication time',
  azp: 'authorized party',
  exp: 'expiration time',
  iat: 'issued at',
  iss: 'issuer',
  nbf: 'not before',
  nonce: 'nonce',
  sub: 'subject',
};
/** What to do when a token seems expired or not yet valid on arrival. */
const CLOCK_HINT = "check that this machine's clock and the provider's are right (NTP)";
/** openid-client's messages of the checks that carry no details besides the claim name. */
const MISSING_CLAIM = /^JWT "(\w+)" \([^)]*\) claim missing$/;
const WRONG_CLAIM_TYPE = /^unexpected JWT "(\w+)" \([^)]*\) claim type$/;
const WRONG_ALG = /^unexpected JWT "alg" header parameter$/;
/** openid-client's messages of a token that is not a well-formed JWT. */
const MALFORMED =
  /^(Invalid JWT|JWT (Header|Payload) must be a top level object|failed to parse JWT (Header|Payload) body as base64url encoded JSON)$/;

/** `aud (audience)`. */
function claimName(claim: string): string {
  return CLAIM_NAMES[claim] ? `${claim} (${CLAIM_NAMES[claim]})` : claim;
}

/** A claim's value on one line: a string or a list of strings quoted. */
function shown(value: unknown): string {
  return Array.isArray(value) ? value.map((item) => JSON.stringify(item)).join(', ') : JSON.stringify(value);
}

/** A claim compared with what was expected. */
function mismatch(claim: string, actual: unknown, expected: unknown): FailedCheck {
  switch (claim) {
    case 'aud':
      return {
        reason: `its ${claimName(claim)} is ${shown(actual)} but the client is ${shown(expected)}`,
        hint: 'check --oidc-client-id',
      };
    case 'azp':
      return {
        reason: `its ${claimName(claim)} is ${shown(actual)} but the client is ${shown(expected)}`,
        hint: 'check --oidc-client-id',
      };
    case 'iss':
      return {
        reason: `its ${claimName(claim)} is ${shown(actual)} but the provider is ${shown(expected)}`,
        hint: "the provider's tokens must name the issuer of its discovery document",
      };
    case 'nonce':
      return { reason: 'its nonce differs from the one sent; the login may have been replayed' };
    default:
      return { reason: `its ${claimName(claim)} claim has an unexpected value` };
  }
}

/** A time claim that failed at `nowSeconds`. */
function badTime(claim: string, value: unknown, nowSeconds: number): FailedCheck {
  const now = `this machine's clock says ${isoTime(nowSeconds)}`;
  if (typeof value !== 'number') return { reason: `its ${claimName(claim)} claim is not a time` };
  if (claim === 'exp') return { reason: `it expired at ${isoTime(value)} (${now})`, hint: CLOCK_HINT };
  if (claim === 'nbf') return { reason: `it is not valid before ${isoTime(value)} (${now})`, hint: CLOCK_HINT };
  return { reason: `its ${claimName(claim)} ${isoTime(value)} is out of range (${now})`, hint: CLOCK_HINT };
}

/** The details openid-client attaches to a failed check. */
interface CheckDetails {
  claim?: string;
  claims?: Record<string, unknown>;
  expected?: unknown;
  now?: number;
  header?: { alg?: unknown };
  alg?: unknown;
}

/**
 * The ID token check openid-client failed in a token request, or undefined
 * when `error` is not one (the network, an OAuth error, a malformed response).
 */
export function failedIdTokenCheck(error: unknown): FailedCheck | undefined {
  if (!(error instanceof ClientError) || !(error.cause instanceof Error)) return undefined;
  const { message } = error.cause;
  const details = (error.cause.cause ?? {}) as CheckDetails;
  const claims = details.claims ?? {};
  switch (error.code) {
    case 'OAUTH_JWT_CLAIM_COMPARISON_FAILED':
      if (message.includes('additional untrusted audiences')) {
        return {
          reason: `its ${claimName('aud')} ${shown(claims['aud'])} names other clients too, and it has no ${claimName('azp')}`,
        };
      }
      return mismatch(details.claim ?? 'unknown', claims[details.claim ?? ''], details.expected);
    case 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED':
      return badTime(details.claim ?? 'unknown', claims[details.claim ?? ''], details.now ?? Number.NaN);
    case 'OAUTH_UNSUPPORTED_OPERATION':
      if (typeof details.alg === 'string')
        return { reason: `its signing algorithm (alg) ${details.alg} is not supported` };
      if (message.startsWith('JWE decryption'))
        return { reason: 'it is encrypted (JWE), which kubelogin does not support' };
      return undefined;
    case 'OAUTH_INVALID_RESPONSE':
    case 'OAUTH_PARSE_ERROR': {
      if (WRONG_ALG.test(message)) {
        const expected = Array.isArray(details.expected) ? details.expected.join(', ') : String(details.expected);
        return {
          reason: `its signing algorithm (alg) ${String(details.header?.alg)} is not allowed (the provider lists ${expected})`,
        };
      }
      const missing = MISSING_CLAIM.exec(message)?.[1];
      if (missing !== undefined) return { reason: `it has no ${claimName(missing)} claim` };
      const wrongType = WRONG_CLAIM_TYPE.exec(message)?.[1];
      if (wrongType !== undefined) return { reason: `its ${claimName(wrongType)} claim has the wrong type` };
      if (MALFORMED.test(message)) return { reason: 'it is not a well-formed JWT' };
      return undefined;
    }
    default:
      return undefined;
  }
}

/** The check jose failed while the token verifier checked a token (its JWKS could be fetched). */
export function failedJoseCheck(error: unknown, context: CheckContext): FailedCheck {
  const { header } = context;
  if (error instanceof errors.JWTClaimValidationFailed || error instanceof errors.JWTExpired) {
    const { claim, reason, payload } = error;
    if (reason === 'missing') return { reason: `it has no ${claimName(claim)} claim` };
    if (reason === 'invalid') return { reason: `its ${claimName(claim)} claim has the wrong type` };
    if (claim === 'iss') return mismatch('iss', payload['iss'], context.issuer);
    if (claim === 'aud') return mismatch('aud', payload['aud'], context.audience);
    if (claim === 'exp' || claim === 'nbf' || claim === 'iat')
      return badTime(claim, payload[claim], context.nowMs / 1000);
    return { reason: `its ${claimName(claim)} claim failed the check` };
  }
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return { reason: "its signature does not match the provider's key" };
  if (error instanceof errors.JWKSNoMatchingKey) {
    return {
      reason: `no key of the provider's JWKS matches its key ID (kid) ${shown(header.kid ?? null)} and signing algorithm (alg) ${shown(header.alg ?? null)}`,
    };
  }
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) {
    return { reason: `its signing algorithm (alg) ${shown(header.alg ?? null)} is not supported` };
  }
  if (error instanceof errors.JWTInvalid || error instanceof errors.JWSInvalid)
    return { reason: 'it is not a well-formed JWT' };
  return { reason: error instanceof Error ? error.message : String(error) };
}
