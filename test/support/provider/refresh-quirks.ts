/**
 * Provider middlewares for how providers answer a refresh: without an ID token (OIDC Core 12.2
 * allows it, and some providers do it), or with a rejection.
 */
import type { KoaContextWithOIDC, Middleware } from 'oidc-provider';

/** True when the request just answered was a successful refresh_token grant. */
function answeredRefresh(ctx: KoaContextWithOIDC): boolean {
  return (
    ctx.method === 'POST' &&
    ctx.path === '/token' &&
    ctx.status === 200 &&
    ctx.oidc?.params?.['grant_type'] === 'refresh_token'
  );
}

/** Drops `id_token` from every refresh response, keeping the access and refresh tokens. */
export function refreshWithoutIdToken(): Middleware {
  return async (ctx, next) => {
    await next();
    if (!answeredRefresh(ctx as KoaContextWithOIDC)) return;
    const { id_token: _dropped, ...rest } = ctx.body as Record<string, unknown>;
    ctx.body = rest;
  };
}

/** Answers every refresh with `invalid_grant`, as a provider does for a revoked session. */
export function refreshRejected(description = 'the session was ended'): Middleware {
  return refreshAnsweredWith(400, 'invalid_grant', description);
}

/** Answers every refresh with an OAuth error in a response of `status`: a refusal (4xx) or a provider in trouble (5xx). */
export function refreshAnsweredWith(status: number, error: string, description = 'try again later'): Middleware {
  return async (ctx, next) => {
    await next();
    if (!answeredRefresh(ctx as KoaContextWithOIDC)) return;
    ctx.status = status;
    ctx.body = { error, error_description: description };
  };
}
