/**
 * Verification of every new token before it is cached or printed: signature
 * against the provider's JWKS, `iss`, `aud`, `exp` and `nonce`.
 */
import { createRemoteJWKSet, customFetch, decodeProtectedHeader, errors, type JWTPayload, jwtVerify } from 'jose';
import type { ServerMetadata } from 'openid-client';
import { AuthError } from '../core/errors.ts';
import { describeProviderError, TransportFailure, UnusableResponse } from './errors.ts';
import type { ProviderHttp } from './http.ts';
import { type CheckContext, failedJoseCheck } from './token-checks.ts';

/** The `kid` and `alg` of a token's header, for messages; empty when it cannot be read. */
function headerOf(token: string): { kid?: string; alg?: string } {
  try {
    const { kid, alg } = decodeProtectedHeader(token);
    return { kid, alg };
  } catch {
    return {};
  }
}

/** True when `token` is a compact JWS (three parts, a header naming its `alg`); any other token is opaque. */
export function isCompactJws(token: string): boolean {
  return token.split('.').length === 3 && typeof headerOf(token).alg === 'string';
}

/** Verifies tokens issued by one provider to one client. */
export class TokenVerifier {
  private readonly jwks: ReturnType<typeof createRemoteJWKSet>;
  /** Host of the JWKS, for error messages. */
  private readonly jwksHost: string;

  constructor(
    private readonly metadata: ServerMetadata,
    private readonly clientId: string,
    http: ProviderHttp,
    /** The clock `exp` is checked against, in milliseconds since the epoch. */
    private readonly now: () => number,
  ) {
    if (!metadata.jwks_uri)
      throw new AuthError(`the provider ${metadata.issuer} publishes no jwks_uri, so its tokens cannot be verified`);
    const jwksUri = new URL(metadata.jwks_uri);
    this.jwksHost = jwksUri.host;
    this.jwks = createRemoteJWKSet(jwksUri, {
      timeoutDuration: http.deadlineMs,
      [customFetch]: (url, init) =>
        http.fetch(url, {
          method: init.method,
          headers: Object.fromEntries(init.headers),
          signal: init.signal,
          body: undefined,
          redirect: 'manual',
        }),
    });
  }

  /** Verifies an ID token; `nonce` is checked when given (the login that sent one). */
  async verifyIdToken(idToken: string, nonce?: string): Promise<JWTPayload> {
    const payload = await this.verify(idToken, 'ID token', this.clientId);
    if (nonce !== undefined && payload['nonce'] !== nonce) {
      throw new AuthError(
        `the ID token from ${this.metadata.issuer} failed verification: its nonce differs from the one sent; the login may have been replayed`,
      );
    }
    return payload;
  }

  /** Verifies a JWT access token: the audience is the API server's, so it is not checked. */
  async verifyAccessToken(accessToken: string): Promise<JWTPayload> {
    return this.verify(accessToken, 'access token', undefined);
  }

  /**
   * Verifies a token that did not come from the token endpoint (a token file,
   * a CI token) as an ID token for this client: signature, `iss`, `aud` = the
   * client ID, `exp`. `what` names it in errors (`the token in --token-file x`).
   */
  async verifyForeignToken(token: string, what: string): Promise<JWTPayload> {
    return this.verify(token, what, this.clientId);
  }

  private async verify(token: string, what: string, audience: string | undefined): Promise<JWTPayload> {
    try {
      const { payload } = await jwtVerify(token, this.jwks, {
        issuer: this.metadata.issuer,
        ...(audience === undefined ? {} : { audience }),
        requiredClaims: ['exp'],
        currentDate: new Date(this.now()),
      });
      return payload;
    } catch (error) {
      // The keys could not be fetched, or were refused: a network failure, not a bad token.
      if (
        error instanceof TransportFailure ||
        error instanceof UnusableResponse ||
        error instanceof errors.JWKSTimeout
      ) {
        throw describeProviderError(error, 'fetching the JWKS', this.jwksHost);
      }
      const context: CheckContext = {
        issuer: this.metadata.issuer,
        audience,
        nowMs: this.now(),
        header: headerOf(token),
      };
      const { reason, hint } = failedJoseCheck(error, context);
      throw new AuthError(`the ${what} from ${this.metadata.issuer} failed verification: ${reason}`, {
        hint,
        cause: error,
      });
    }
  }
}
