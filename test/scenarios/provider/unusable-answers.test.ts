/**
 * Errors that say what was wrong with the provider's answer, at -v0 and in one
 * line: a success that is not JSON (a proxy's HTML page) with its status and
 * content type, and an ID or access token that fails a check with the check
 * named (never the token).
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { describe, it } from 'node:test';
import type { Middleware } from 'oidc-provider';
import { assertOneLineError } from '../../support/cli-outcome.ts';
import { PASSWORD_LOGIN_FLAGS } from '../../support/get-token-args.ts';
import { closeServer, listenOnLoopback } from '../../support/provider/loopback-server.ts';
import { type TokenRewrite, tokenRewriter } from '../../support/provider/token-rewriter.ts';
import { serverForAll } from '../../support/server-for-all.ts';
import { type World, worldForAll } from '../../support/world.ts';

/** What a company proxy answers in place of the provider. */
const PROXY_LOGIN_PAGE =
  '<!doctype html><html><head><title>Proxy login</title></head><body><form>...</form></body></html>';

/** `text` as a regular expression matching it literally. */
const literally = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** Answers POST /token with the proxy's login page and 200. */
const htmlTokenEndpoint: Middleware = async (ctx, next) => {
  if (ctx.method !== 'POST' || ctx.path !== '/token') return next();
  ctx.status = 200;
  ctx.type = 'text/html';
  ctx.body = PROXY_LOGIN_PAGE;
};

/** A server answering every request with the proxy's login page and 200. */
async function startProxyPage(): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html' });
    response.end(PROXY_LOGIN_PAGE);
  });
  const port = await listenOnLoopback(server);
  return { url: `http://127.0.0.1:${port}`, close: () => closeServer(server) };
}

/** get-token in `world` with the password grant at -v0 and no cache, plus `extra`. */
const passwordLogin = (world: World, extra: string[] = []) => world.getToken([...PASSWORD_LOGIN_FLAGS, ...extra]);

describe('a success that is not JSON', () => {
  const world = worldForAll({ provider: { middlewares: [htmlTokenEndpoint] } });
  const proxyPage = serverForAll(startProxyPage);

  it('fails discovery saying the document is not JSON, with the status and content type', async () => {
    const proxyPageUrl = proxyPage().url;
    const result = await passwordLogin(world(), [`--oidc-issuer-url=${proxyPageUrl}`]);
    const host = literally(new URL(proxyPageUrl).host);
    assertOneLineError(
      result,
      new RegExp(
        `^error: OIDC discovery at ${host} failed: the answer is not JSON \\(HTTP 200, content type text/html\\)$`,
      ),
    );
    assert.match(result.stderr, /^hint: .*proxy/m);
  });

  it('fails the token request saying the answer is not JSON, with the status and content type', async () => {
    const host = literally(new URL(world().provider.issuer).host);
    assertOneLineError(
      await passwordLogin(world()),
      new RegExp(
        `^error: the password grant at ${host} failed: the answer is not JSON \\(HTTP 200, content type text/html; charset=utf-8\\)$`,
      ),
    );
  });
});

/** The error of a token that expired at 2001-09-09T01:47:40Z, whatever this machine's clock says now. */
const expiredAt = (what: string, issuer: string) =>
  new RegExp(
    `^error: the ${what} from ${literally(issuer)} failed verification: it expired at 2001-09-09T01:47:40Z \\(this machine's clock says \\d{4}-[\\d-]+T[\\d:]+Z\\)$`,
  );

/** What the provider of the next describe does to the tokens it issues; each test sets it. */
const rewrite: TokenRewrite = {};
const rewritingMiddleware = await tokenRewriter(rewrite);

describe('a token that fails a check', () => {
  const world = worldForAll({ provider: { jwtAccessTokens: true, middlewares: [rewritingMiddleware] } });

  /** A password login at -v0 whose ID token (or access token) `rewrite` spoils; asserts the one error line and that no token is printed. */
  async function failsWith(edit: TokenRewrite, message: (issuer: string) => string | RegExp, extra: string[] = []) {
    Object.assign(rewrite, { idToken: undefined, accessToken: undefined, hs256: undefined }, edit);
    const result = await passwordLogin(world(), extra);
    const expected = message(world().provider.issuer);
    assertOneLineError(result, typeof expected === 'string' ? new RegExp(`^error: ${literally(expected)}$`) : expected);
    assert.doesNotMatch(result.stderr, /eyJ/, 'no token');
  }

  it('names a signing algorithm nobody allowed', async () => {
    await failsWith(
      { idToken: (claims) => claims, hs256: true },
      (issuer) =>
        `the ID token from ${issuer} failed verification: its signing algorithm (alg) HS256 is not allowed (the provider lists RS256)`,
    );
  });

  it('names the audience and the client', async () => {
    await failsWith(
      { idToken: (claims) => ({ ...claims, aud: 'someone-else' }) },
      (issuer) =>
        `the ID token from ${issuer} failed verification: its aud (audience) is "someone-else" but the client is "kubernetes"`,
    );
  });

  it('names the issuer in the token and the provider', async () => {
    await failsWith(
      { idToken: (claims) => ({ ...claims, iss: 'https://elsewhere.example' }) },
      (issuer) =>
        `the ID token from ${issuer} failed verification: its iss (issuer) is "https://elsewhere.example" but the provider is "${issuer}"`,
    );
  });

  it('says when it expired', async () => {
    await failsWith({ idToken: (claims) => ({ ...claims, iat: 1_000_000_000, exp: 1_000_000_060 }) }, (issuer) =>
      expiredAt('ID token', issuer),
    );
  });

  it('says when it has no subject', async () => {
    await failsWith(
      { idToken: ({ sub: _sub, ...claims }) => claims },
      (issuer) => `the ID token from ${issuer} failed verification: it has no sub (subject) claim`,
    );
  });

  it('names the issuer of an access token handed to kubectl', async () => {
    await failsWith(
      { accessToken: (claims) => ({ ...claims, iss: 'https://elsewhere.example' }) },
      (issuer) =>
        `the access token from ${issuer} failed verification: its iss (issuer) is "https://elsewhere.example" but the provider is "${issuer}"`,
      ['--oidc-use-access-token'],
    );
  });

  it('says when an access token expired', async () => {
    await failsWith(
      { accessToken: (claims) => ({ ...claims, iat: 1_000_000_000, exp: 1_000_000_060 }) },
      (issuer) => expiredAt('access token', issuer),
      ['--oidc-use-access-token'],
    );
  });

  it('says when the nonce differs from the one sent', async () => {
    Object.assign(rewrite, {
      idToken: (claims: Record<string, unknown>) => ({ ...claims, nonce: 'forged' }),
      accessToken: undefined,
      hs256: undefined,
    });
    const result = await world().getToken(['--token-cache-storage=none']);
    assertOneLineError(
      result,
      new RegExp(
        `^error: the ID token from ${literally(world().provider.issuer)} failed verification: its nonce differs from the one sent; the login may have been replayed$`,
      ),
    );
  });
});
