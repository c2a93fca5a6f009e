/**
 * Knobs of the test provider's device authorization grant (RFC 8628) that oidc-provider lacks:
 * the polling interval, a one-off `slow_down`, and PKCE required as Keycloak can require it.
 * One Koa middleware rewrites the provider's answers on `/device/auth` and on the token endpoint.
 */
import { createHash } from 'node:crypto';
import type { KoaContextWithOIDC, Middleware } from 'oidc-provider';
import { answeredWithError, answerWithError, formField, routeOf } from './provider-middleware.ts';
import { DEVICE_CODE_GRANT } from './test-clients.ts';

/** Options of the device flow (all optional). */
export interface DeviceFlowOptions {
  /**
   * `interval` of the device authorization response in seconds (default 1, so that device tests
   * are fast); null leaves it out as oidc-provider does, so clients wait their default 5 s.
   */
  interval?: number | null;
  /** The first token poll that would get authorization_pending gets `slow_down` (HTTP 400) instead. */
  slowDownOnce?: boolean;
  /**
   * Lifetime of device codes in seconds (default 10 minutes): `expires_in` of the response. Polls
   * after it get expired_token for oidc-provider's clock tolerance (15 s), then invalid_grant.
   */
  expiresIn?: number;
  /**
   * Device authorization requests without an S256 `code_challenge` get invalid_request, and token
   * requests for such a device code must carry the matching `code_verifier` (else invalid_grant).
   */
  requirePkce?: boolean;
}

/** What the middleware counts and records. */
export interface DeviceFlowRecorder {
  counts: { devicePolls: number; deviceApprovals: number };
  recordError(text: string): void;
  /** Revokes the grant of a token response the middleware turns into an error. */
  revokeGrant(grantId: string): Promise<void>;
}

/** Polling interval the tests use unless told otherwise: short, so that a device test takes seconds. */
export const DEFAULT_DEVICE_INTERVAL = 1;
/** The only PKCE method oidc-provider v9 supports. */
const PKCE_METHOD = 'S256';
/** The wording of RFC 8628's slow_down. */
const SLOW_DOWN_DESCRIPTION = 'you are polling too quickly and should back off at a reasonable rate';

/** The device authorization response as oidc-provider sends it. */
interface DeviceAuthorizationResponse {
  device_code: string;
  interval?: number;
}

function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

/** The middleware applying `options`; register it with `provider.use` before taking `callback()`. */
export function deviceFlowMiddleware(options: DeviceFlowOptions, recorder: DeviceFlowRecorder): Middleware {
  const interval = options.interval === undefined ? DEFAULT_DEVICE_INTERVAL : options.interval;
  /** PKCE challenges by device code, kept from the device authorization requests. */
  const challenges = new Map<string, string>();
  let slowedDown = false;

  function onDeviceAuthorization(ctx: KoaContextWithOIDC): void {
    if (ctx.status !== 200) return;
    const response = ctx.body as DeviceAuthorizationResponse;
    if (options.requirePkce) {
      const challenge = formField(ctx, 'code_challenge');
      if (challenge === undefined || formField(ctx, 'code_challenge_method') !== PKCE_METHOD) {
        const description = `PKCE is required: send code_challenge with code_challenge_method=${PKCE_METHOD}`;
        answerWithError(ctx, 'invalid_request', description);
        recorder.recordError(`device_authorization.error: invalid_request - ${description}`);
        return;
      }
      challenges.set(response.device_code, challenge);
    }
    if (interval !== null) response.interval = interval;
  }

  async function onDevicePoll(ctx: KoaContextWithOIDC): Promise<void> {
    recorder.counts.devicePolls += 1;
    const deviceCode = formField(ctx, 'device_code');
    const challenge = deviceCode === undefined ? undefined : challenges.get(deviceCode);
    if (challenge !== undefined) {
      const verifier = formField(ctx, 'code_verifier');
      if (verifier === undefined || s256(verifier) !== challenge) {
        // The provider has answered already: tokens it just issued must not outlive the refusal.
        const grantId = ctx.status === 200 ? ctx.oidc.entities['Grant']?.jti : undefined;
        if (grantId !== undefined) await recorder.revokeGrant(grantId);
        const detail =
          verifier === undefined ? 'code_verifier is missing' : 'code_verifier does not match code_challenge';
        answerWithError(ctx, 'invalid_grant', 'PKCE verification failed');
        recorder.recordError(`grant.error: invalid_grant - ${detail}`);
        return;
      }
    }
    if (options.slowDownOnce && !slowedDown && answeredWithError(ctx, 'authorization_pending')) {
      slowedDown = true;
      answerWithError(ctx, 'slow_down', SLOW_DOWN_DESCRIPTION);
      return;
    }
    if (ctx.status === 200) recorder.counts.deviceApprovals += 1;
  }

  return async (ctx, next) => {
    await next();
    const route = routeOf(ctx);
    if (route === 'device_authorization') onDeviceAuthorization(ctx);
    else if (route === 'token' && formField(ctx, 'grant_type') === DEVICE_CODE_GRANT) await onDevicePoll(ctx);
  };
}
