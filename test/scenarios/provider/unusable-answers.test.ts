/**
 * Errors that say what was wrong with the provider's answer, at -v0 and in one
 * line: a success that is not JSON (a proxy's HTML page) with its status and
 * content type, and an ID or access token that fails a check with the check
 * named (never the token).
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Middleware } from 'oidc-provider';
import { type CliFixture, startCliFixture } from '../../support/cli-fixture.ts';
import { assertOneLineError } from '../../support/cli-outcome.ts';
import { passwordOf } from '../../support/provider/test-provider.ts';
import { type TokenRewrite, tokenRewriter } from '../../support/provider/token-rewriter.ts';
import { runCli } from '../../support/run-cli.ts';

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

describe('a success that is not JSON', () => {
  let fixture: CliFixture;
  let proxyPage: Server;
  let proxyPageUrl: string;
  before(async () => {
    fixture = await startCliFixture({ middlewares: [htmlTokenEndpoint] });
    proxyPage = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end(PROXY_LOGIN_PAGE);
    });
    await new Promise<void>((resolve) => proxyPage.listen(0, '127.0.0.1', resolve));
    proxyPageUrl = `http://127.0.0.1:${(proxyPage.address() as AddressInfo).port}`;
  });
  after(async () => {
    proxyPage.closeAllConnections();
    await new Promise((resolve) => proxyPage.close(resolve));
    await fixture.close();
  });

  const passwordLogin = (extra: string[]) =>
    runCli(
      [
        ...fixture.args,
        '--grant-type=password',
        '--username=alice',
        `--password=${passwordOf('alice')}`,
        '--token-cache-storage=none',
        ...extra,
      ],
      { env: fixture.env },
    );

  it('fails discovery saying the document is not JSON, with the status and content type', async () => {
    const result = await passwordLogin([`--oidc-issuer-url=${proxyPageUrl}`]);
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
    const host = literally(new URL(fixture.provider.issuer).host);
    assertOneLineError(
      await passwordLogin([]),
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

describe('a token that fails a check', () => {
  let fixture: CliFixture;
  const rewrite: TokenRewrite = {};
  before(async () => {
    fixture = await startCliFixture({ jwtAccessTokens: true, middlewares: [await tokenRewriter(rewrite)] });
  });
  after(() => fixture.close());

  /** A password login at -v0 whose ID token (or access token) `rewrite` spoils; asserts the one error line and that no token is printed. */
  async function failsWith(edit: TokenRewrite, message: (issuer: string) => string | RegExp, extra: string[] = []) {
    Object.assign(rewrite, { idToken: undefined, accessToken: undefined, hs256: undefined }, edit);
    const result = await runCli(
      [
        ...fixture.args,
        '--grant-type=password',
        '--username=alice',
        `--password=${passwordOf('alice')}`,
        '--token-cache-storage=none',
        ...extra,
      ],
      { env: fixture.env },
    );
    const expected = message(fixture.provider.issuer);
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
    const result = await fixture.getToken(['--token-cache-storage=none']);
    assertOneLineError(
      result,
      new RegExp(
        `^error: the ID token from ${literally(fixture.provider.issuer)} failed verification: its nonce differs from the one sent; the login may have been replayed$`,
      ),
    );
  });
});
