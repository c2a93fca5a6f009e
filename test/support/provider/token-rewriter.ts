/**
 * A provider middleware that hands out tokens other than the provider made:
 * the claims of the ID token (and of a JWT access token) of every token
 * response are edited and signed again with a key of its own, which it adds
 * to the provider's JWKS. Tests of the checks of tokens, and of clocks.
 */
import { randomBytes } from 'node:crypto';
import { decodeJwt, exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import type { Middleware } from 'oidc-provider';

/** How a token's claims are changed; the returned object replaces them. */
export type ClaimsEdit = (claims: JWTPayload) => JWTPayload;

/** What the middleware changes. */
export interface TokenRewrite {
  idToken?: ClaimsEdit;
  /** Applied when the access token is a JWT. */
  accessToken?: ClaimsEdit;
  /** Sign with HS256 and a random secret instead of the published RS256 key (an algorithm nobody allowed). */
  hs256?: boolean;
}

/** The key ID of the rewriter's key in the JWKS. */
const REWRITER_KID = 'token-rewriter';

/** A middleware for the test provider that applies `rewrite` to every token response; `rewrite` is read at each request, so a test may change it between runs. */
export async function tokenRewriter(rewrite: TokenRewrite): Promise<Middleware> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid: REWRITER_KID, alg: 'RS256', use: 'sig' };
  const secret = randomBytes(32);
  const sign = (claims: JWTPayload) =>
    rewrite.hs256
      ? new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(secret)
      : new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: REWRITER_KID }).sign(privateKey);
  return async (ctx, next) => {
    await next();
    const body = ctx.body as Record<string, unknown> | null;
    if (ctx.method === 'GET' && ctx.path === '/jwks' && Array.isArray(body?.['keys'])) {
      ctx.body = { ...body, keys: [...body['keys'], publicJwk] };
    }
    if (ctx.method !== 'POST' || ctx.path !== '/token' || ctx.status !== 200 || body === null) return;
    const edited = { ...body };
    if (rewrite.idToken && typeof body['id_token'] === 'string')
      edited['id_token'] = await sign(rewrite.idToken(decodeJwt(body['id_token'])));
    const accessToken = body['access_token'];
    if (rewrite.accessToken && typeof accessToken === 'string' && accessToken.split('.').length === 3) {
      edited['access_token'] = await sign(rewrite.accessToken(decodeJwt(accessToken)));
    }
    ctx.body = edited;
  };
}
