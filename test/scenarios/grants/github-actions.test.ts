/**
 * --grant-type=github-actions against a stand-in for GitHub's token service:
 * the ID token asked for the client ID as audience, verified through the
 * issuer's JWKS, cached until it nears expiry, then asked for again.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { entryFiles, expireCachedIdToken } from '../../support/cache-entries.ts';
import { CI_JOB_CLAIMS, CI_REQUEST_TOKEN } from '../../support/ci/ci-token-service.ts';
import { parseExecCredential } from '../../support/run-cli.ts';
import { worldForAll, worldPerTest } from '../../support/world.ts';

/** The audience a cluster trusting GitHub's issuer expects, as in Oracle's OKE guide. */
const AUDIENCE = 'kubernetes';

describe('--grant-type=github-actions', () => {
  const world = worldForAll({ provider: false, ci: true });
  /** A second job's surroundings: another token service, another issuer. */
  const startOtherWorld = worldPerTest({ provider: false, ci: true });

  const args = (audience = AUDIENCE) => [
    'get-token',
    '--grant-type=github-actions',
    `--oidc-issuer-url=${world().ci.issuer}`,
    `--oidc-client-id=${audience}`,
    `--token-cache-dir=${world().cacheDir}`,
  ];
  /** Runs in the world's environment, which holds the job's variables, with `env` on top. */
  const run = (env: Record<string, string | undefined> = {}, audience?: string) => world().run(args(audience), { env });

  function assertError(result: { code: number | null; stdout: string; stderr: string }, pattern: RegExp): void {
    assert.equal(result.code, 1, result.stderr);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, pattern);
    assert.doesNotMatch(result.stderr, /^\s+at /m, 'no stack');
    assert.ok(!result.stderr.includes(CI_REQUEST_TOKEN), 'the request token is not in the message');
  }

  it('asks for a token with the client ID as audience, verifies it, caches it, and asks again once it nears expiry', async () => {
    const { ci, cacheDir } = world();
    const first = await run();
    assert.equal(first.code, 0, first.stderr);
    assert.equal(first.stderr, '');
    const token = parseExecCredential(first.stdout).status.token;
    const claims = decodeJwt(token);
    assert.equal(claims.iss, ci.issuer);
    assert.equal(claims.aud, AUDIENCE);
    assert.equal(claims['repository'], CI_JOB_CLAIMS.repository);
    assert.deepEqual(ci.audiencesIssued, [AUDIENCE]);
    assert.match(
      ci.queries[0] ?? '',
      /^\?api-version=2\.0&audience=kubernetes$/,
      'the audience is added to the query the URL already has',
    );

    const cached = await run();
    assert.equal(parseExecCredential(cached.stdout).status.token, token, 'answered from the cache');
    assert.equal(ci.audiencesIssued.length, 1);

    await expireCachedIdToken(cacheDir);
    const renewed = await run();
    assert.equal(renewed.code, 0, renewed.stderr);
    assert.notEqual(parseExecCredential(renewed.stdout).status.token, token, 'a new token: there is no refresh token');
    assert.equal(ci.audiencesIssued.length, 2);
    assert.equal((await entryFiles(cacheDir)).length, 1);
  });

  it('URL-encodes the audience', async () => {
    const audience = 'https://cluster.example.com/a b&c';
    const result = await run({}, audience);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(decodeJwt(parseExecCredential(result.stdout).status.token).aud, audience);
  });

  it('says the job needs permissions: id-token: write when a variable is missing', async () => {
    assertError(
      await run({ ACTIONS_ID_TOKEN_REQUEST_URL: undefined }, 'missing-url'),
      /^error: ACTIONS_ID_TOKEN_REQUEST_URL is not set: .*\nhint: .*permissions: id-token: write/m,
    );
    assertError(
      await run({ ACTIONS_ID_TOKEN_REQUEST_TOKEN: undefined }, 'missing-token'),
      /^error: ACTIONS_ID_TOKEN_REQUEST_TOKEN is not set: .*\nhint: .*permissions: id-token: write/m,
    );
  });

  it('names the variable when the service refuses the request token (401), and the service on a 500', async () => {
    assertError(
      await run({ ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'expired-request-token' }, 'refused'),
      /^error: the GitHub Actions token service at 127\.0\.0\.1:\d+ answered 401 to ACTIONS_ID_TOKEN_REQUEST_TOKEN$/m,
    );
    const { ci } = world();
    ci.failWith(500);
    try {
      assertError(
        await run({}, 'failing'),
        /^error: the GitHub Actions token service at 127\.0\.0\.1:\d+ answered 500$/m,
      );
    } finally {
      ci.failWith(undefined);
    }
  });

  it('refuses a token from another issuer than --oidc-issuer-url', async () => {
    const other = (await startOtherWorld()).ci;
    // The service of `other` mints tokens whose iss is its own URL; discovery and JWKS are those of the world's.
    const result = await run(other.env, 'other-issuer');
    assertError(result, /^error: the GitHub Actions ID token from http:\/\/127\.0\.0\.1:\d+ failed verification: /m);
  });
});
