/**
 * Helpers for Koa middlewares in front of oidc-provider's routes. They act after the provider
 * answered (`await next()` first): only then has it parsed the form body into `ctx.oidc.body`,
 * and reading the body earlier would take it away from the provider.
 */
import type { KoaContextWithOIDC } from 'oidc-provider';

/** The route that answered, e.g. `token` or `device_authorization`; undefined for other paths. */
export function routeOf(ctx: KoaContextWithOIDC): string | undefined {
  return (ctx.oidc as KoaContextWithOIDC['oidc'] | undefined)?.route;
}

/** The whole form body of the request, unknown fields included (empty when it had none). */
export function formOf(ctx: KoaContextWithOIDC): Record<string, string | string[]> {
  return { ...(ctx.oidc as KoaContextWithOIDC['oidc'] | undefined)?.body };
}

/** A form field's value (the first, if repeated), or undefined when absent or empty. */
export function formField(ctx: KoaContextWithOIDC, name: string): string | undefined {
  const value = formOf(ctx)[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === '' ? undefined : first;
}

/** True when the provider answered with the OAuth error `error`. */
export function answeredWithError(ctx: KoaContextWithOIDC, error: string): boolean {
  return ctx.status >= 400 && (ctx.body as { error?: unknown } | null)?.error === error;
}

/** Replaces the provider's answer with an OAuth error (HTTP 400, JSON, as the token endpoint sends). */
export function answerWithError(ctx: KoaContextWithOIDC, error: string, description: string): void {
  ctx.status = 400;
  ctx.body = { error, error_description: description };
}
