/** Records what clients send with the client_credentials grant, so tests can check the CLI's request. */
import type { Middleware } from 'oidc-provider';
import { formField, formOf, routeOf } from './provider-middleware.ts';

/** The last client_credentials token request. */
export interface ClientCredentialsRequest {
  /** Every form field as sent, unknown ones included (oidc-provider ignores those). */
  params: Record<string, string | string[]>;
  /** The scheme of the Authorization header (`Basic` for client_secret_basic), if any. */
  authScheme: string | undefined;
}

/** A middleware that keeps the last client_credentials request; register it with `provider.use`. */
export function clientCredentialsRecorder(): { middleware: Middleware; last(): ClientCredentialsRequest | undefined } {
  let last: ClientCredentialsRequest | undefined;
  const middleware: Middleware = async (ctx, next) => {
    await next();
    if (routeOf(ctx) !== 'token' || formField(ctx, 'grant_type') !== 'client_credentials') return;
    const authorization = ctx.headers['authorization'];
    const header = Array.isArray(authorization) ? authorization[0] : authorization;
    last = { params: formOf(ctx), authScheme: header?.split(' ')[0] };
  };
  return { middleware, last: () => last };
}
