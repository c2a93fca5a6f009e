/**
 * Refresh with the refresh token: after real expiry, with and without
 * rotation, a revoked refresh token, and a provider that cannot be reached.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { expireCachedIdToken, readOnlyEntry } from '../../support/cache-entries.ts';
import { refreshAnsweredWith } from '../../support/provider/refresh-quirks.ts';
import { parseExecCredential } from '../../support/run-cli.ts';
import { worldPerTest } from '../../support/world.ts';

/** ID token lifetime of these tests: short enough to wait out, long enough for a login. */
const SHORT_ID_TOKEN_TTL_SECONDS = 3;

describe('refresh', () => {
  const startWorld = worldPerTest();

  it('refreshes an expired ID token without a browser and stores the rotated refresh token', async () => {
    const fixture = await startWorld({
      provider: { idTokenTTL: SHORT_ID_TOKEN_TTL_SECONDS, rotateRefreshToken: true },
    });
    const login = await fixture.getToken();
    assert.equal(login.code, 0, login.stderr);
    const before = await readOnlyEntry(fixture.cacheDir);
    await sleep(SHORT_ID_TOKEN_TTL_SECONDS * 1000 + 200);

    const result = await fixture.getToken();
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, '');
    const after = await readOnlyEntry(fixture.cacheDir);
    assert.equal(parseExecCredential(result.stdout).status.token, after.id_token);
    assert.notEqual(after.id_token, before.id_token);
    assert.notEqual(after.refresh_token, before.refresh_token, 'the rotated refresh token is stored');
    assert.equal(fixture.provider.counts.refreshes, 1);
    assert.equal(await fixture.browserRuns(), 1);

    // The stored (rotated) refresh token is the live one: a second refresh succeeds.
    await expireCachedIdToken(fixture.cacheDir);
    const again = await fixture.getToken();
    assert.equal(again.code, 0, again.stderr);
    assert.equal(fixture.provider.counts.refreshes, 2);
    assert.equal(fixture.provider.counts.refreshErrors, 0, fixture.provider.errors.join('\n'));
  });

  it('keeps the refresh token when the provider does not rotate it', async () => {
    const fixture = await startWorld({ provider: { rotateRefreshToken: false } });
    assert.equal((await fixture.getToken()).code, 0);
    const before = await readOnlyEntry(fixture.cacheDir);
    await expireCachedIdToken(fixture.cacheDir);
    const expired = await readOnlyEntry(fixture.cacheDir);

    const result = await fixture.getToken();
    assert.equal(result.code, 0, result.stderr);
    const after = await readOnlyEntry(fixture.cacheDir);
    assert.equal(after.refresh_token, before.refresh_token);
    // Within the same second the provider may sign identical claims again, so compare with the expired token.
    assert.notEqual(after.id_token, expired.id_token);
    assert.equal(parseExecCredential(result.stdout).status.token, after.id_token);
    assert.equal(fixture.provider.counts.refreshes, 1);
  });

  it('logs in again when the provider rejects the refresh token (invalid_grant)', async () => {
    const fixture = await startWorld();
    assert.equal((await fixture.getToken()).code, 0);
    await fixture.provider.revokeAllRefreshTokens();
    await expireCachedIdToken(fixture.cacheDir);

    const result = await fixture.getToken();
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /refresh token was rejected/);
    assert.equal(fixture.provider.counts.refreshErrors, 1);
    assert.equal(await fixture.browserRuns(), 2);
    assert.equal(fixture.provider.counts.codeExchanges, 2);
  });

  it('logs in again when the provider answers a dead refresh token with invalid_request', async () => {
    const fixture = await startWorld({ provider: { quirks: { deadRefreshTokenError: 'invalid_request' } } });
    assert.equal((await fixture.getToken()).code, 0);
    await fixture.provider.revokeAllRefreshTokens();
    await expireCachedIdToken(fixture.cacheDir);

    const result = await fixture.getToken();
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /refresh token was rejected by the provider \(invalid_request\); logging in again/);
    assert.equal(fixture.provider.counts.refreshErrors, 1);
    assert.equal(await fixture.browserRuns(), 2);
    const entry = await readOnlyEntry(fixture.cacheDir);
    assert.equal(
      parseExecCredential(result.stdout).status.token,
      entry.id_token,
      'the new login replaced the dead entry',
    );
  });

  it('reports a 5xx answer to a refresh as an error and opens no browser, keeping the entry', async () => {
    const fixture = await startWorld({
      provider: { middlewares: [refreshAnsweredWith(503, 'temporarily_unavailable')] },
    });
    assert.equal((await fixture.getToken()).code, 0);
    await expireCachedIdToken(fixture.cacheDir);
    const before = await readOnlyEntry(fixture.cacheDir);

    const result = await fixture.getToken();
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /^error: the token refresh at 127\.0\.0\.1:\d+ failed: HTTP 503$/m);
    assert.equal(await fixture.browserRuns(), 1);
    assert.deepEqual(await readOnlyEntry(fixture.cacheDir), before, 'the entry stays for the next try');
  });

  it('reports an unreachable provider on refresh as an error instead of opening a browser', async () => {
    const fixture = await startWorld();
    assert.equal((await fixture.getToken()).code, 0);
    await expireCachedIdToken(fixture.cacheDir);
    await fixture.stopProvider();

    const result = await fixture.getToken();
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.match(
      result.stderr,
      /^error: cannot reach the OIDC provider at 127\.0\.0\.1:\d+ \(OIDC discovery\): connection refused$/m,
    );
    assert.equal(await fixture.browserRuns(), 1);
  });
});
