/**
 * Quirks of providers met in the field that oidc-provider does not have, each off unless asked
 * for: what Okta, GitLab and others do on refresh, in token responses and in discovery.
 */
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import type { Account, KoaContextWithOIDC, Middleware } from 'oidc-provider';
import { answeredWithError, answerWithError, formField, routeOf } from './provider-middleware.ts';

/** The quirks of a test provider (all optional). */
export interface ProviderQuirks {
  /** Claims left out of the ID token of a refresh that does not send `scope`, as Okta leaves out `groups`. */
  refreshClaimsNeedScope?: string[];
  /** A refresh that sends `scope` is refused with invalid_scope before it is processed (its refresh token stays usable). */
  refreshRejectsScope?: boolean;
  /** The OAuth error a refused refresh is answered with instead of invalid_grant (some providers say invalid_request). */
  deadRefreshTokenError?: string;
  /** Token responses carry no `expires_in` (RFC 6749 only recommends it). */
  omitExpiresIn?: boolean;
  /** Fields left out of the discovery document, as GitLab leaves out `device_authorization_endpoint`. */
  discoveryOmits?: string[];
  /** Fields added to the discovery document (or replacing the provider's), e.g. another provider's `claims_supported`. */
  discoveryAdds?: Record<string, unknown>;
}

/** The grant type of a refresh. */
const REFRESH_GRANT = 'refresh_token';
/** The path of the discovery document. */
const DISCOVERY_PATH = '/.well-known/openid-configuration';

/** True when `ctx` is a refresh at the token endpoint (after the provider parsed it). */
function isRefresh(ctx: KoaContextWithOIDC): boolean {
  return routeOf(ctx) === 'token' && formField(ctx, 'grant_type') === REFRESH_GRANT;
}

/** The whole body of a request, read off its stream. */
async function readRequestBody(request: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

/**
 * Refuses a refresh that sends `scope` before oidc-provider sees it, so the refresh token is not
 * used up (with rotation a used one would be dead). The form is read here and handed on to the
 * provider as a fresh stream with the same bytes.
 */
function refreshScopeRefusal(): Middleware {
  return async (ctx, next) => {
    if (ctx.method !== 'POST' || ctx.path !== '/token' || !ctx.is('application/x-www-form-urlencoded')) return next();
    const body = await readRequestBody(ctx.req);
    const form = new URLSearchParams(body.toString('utf8'));
    if (form.get('grant_type') === REFRESH_GRANT && form.get('scope')) {
      answerWithError(ctx as KoaContextWithOIDC, 'invalid_scope', 'scope is not allowed when refreshing');
      return;
    }
    // oidc-provider reads the form from ctx.req: a stream of the same bytes stands in for the one read here.
    ctx.req = Object.assign(Readable.from([body]), { headers: ctx.req.headers }) as unknown as IncomingMessage;
    return next();
  };
}

/** Answers a refused refresh with `error` instead of invalid_grant. */
function deadRefreshTokenAnswer(error: string): Middleware {
  return async (ctx, next) => {
    await next();
    const oidc = ctx as KoaContextWithOIDC;
    if (isRefresh(oidc) && answeredWithError(oidc, 'invalid_grant'))
      answerWithError(oidc, error, 'the refresh token is expired');
  };
}

/** Drops `expires_in` from every successful token response. */
function withoutExpiresIn(): Middleware {
  return async (ctx, next) => {
    await next();
    if (routeOf(ctx as KoaContextWithOIDC) !== 'token' || ctx.status !== 200) return;
    const { expires_in: _dropped, ...rest } = ctx.body as Record<string, unknown>;
    ctx.body = rest;
  };
}

/** Edits the discovery document. */
function discoveryEdit(omits: readonly string[], adds: Readonly<Record<string, unknown>>): Middleware {
  return async (ctx, next) => {
    await next();
    if (ctx.method !== 'GET' || ctx.path !== DISCOVERY_PATH || ctx.status !== 200) return;
    const document = { ...(ctx.body as Record<string, unknown>), ...adds };
    for (const field of omits) delete document[field];
    ctx.body = document;
  };
}

/** The middlewares of `quirks`, to register in front of every route. */
export function quirkMiddlewares(quirks: ProviderQuirks): Middleware[] {
  return [
    ...(quirks.refreshRejectsScope ? [refreshScopeRefusal()] : []),
    ...(quirks.deadRefreshTokenError ? [deadRefreshTokenAnswer(quirks.deadRefreshTokenError)] : []),
    ...(quirks.omitExpiresIn ? [withoutExpiresIn()] : []),
    ...(quirks.discoveryOmits || quirks.discoveryAdds
      ? [discoveryEdit(quirks.discoveryOmits ?? [], quirks.discoveryAdds ?? {})]
      : []),
  ];
}

/** Finds an account by login, as the provider's `findAccount` does. */
type AccountFinder = (ctx: KoaContextWithOIDC, login: string) => Promise<Account>;

/**
 * `findAccount` with `refreshClaimsNeedScope` applied: on a refresh that sends no `scope`, the
 * account's claims lack those claims.
 */
export function withRefreshClaimsNeedingScope(findAccount: AccountFinder, claims: readonly string[]): AccountFinder {
  if (claims.length === 0) return findAccount;
  return async (ctx, login) => {
    const account = await findAccount(ctx, login);
    const params = ctx.oidc?.params;
    if (params?.['grant_type'] !== REFRESH_GRANT || params['scope']) return account;
    return {
      ...account,
      claims: async (...args) => {
        const all = { ...(await account.claims(...args)) };
        for (const claim of claims) delete all[claim];
        return all;
      },
    };
  };
}
