/**
 * `scope` on refresh (RFC 6749 section 6): a provider that drops a claim from a refreshed ID
 * token unless the scopes are sent again (Okta and `groups`), and one that refuses `scope` on
 * refresh, which is then refreshed without it for the rest of the entry's life.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { expireCachedIdToken, readOnlyEntry } from '../../support/cache-entries.ts';
import { parseExecCredential } from '../../support/run-cli.ts';
import { worldPerTest } from '../../support/world.ts';

/** The claim Okta drops on refresh, and the scope that asks for it. */
const GROUPS = 'groups';

describe('scope on refresh', () => {
  const startWorld = worldPerTest();

  it('keeps a claim that the provider gives on refresh only when the scopes are sent again', async () => {
    const world = await startWorld({ provider: { quirks: { refreshClaimsNeedScope: [GROUPS] } } });
    const scopes = [`--oidc-extra-scope=${GROUPS}`];
    const login = await world.getToken(scopes);
    assert.equal(login.code, 0, login.stderr);
    assert.deepEqual(decodeJwt(parseExecCredential(login.stdout).status.token)[GROUPS], ['developers']);
    await expireCachedIdToken(world.cacheDir);

    const refreshed = await world.getToken(scopes);
    assert.equal(refreshed.code, 0, refreshed.stderr);
    assert.equal(world.provider.counts.refreshes, 1, world.provider.errors.join('\n'));
    assert.equal(await world.browserRuns(), 1);
    const claims = decodeJwt(parseExecCredential(refreshed.stdout).status.token);
    assert.deepEqual(claims[GROUPS], ['developers'], 'the refreshed ID token still has the groups');
  });

  it('refreshes without scope once the provider refused it (invalid_scope), and remembers that for the entry', async () => {
    const world = await startWorld({ provider: { rotateRefreshToken: true, quirks: { refreshRejectsScope: true } } });
    assert.equal((await world.getToken()).code, 0);
    await expireCachedIdToken(world.cacheDir);

    const first = await world.getToken(['-v1']);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stderr, /refused scope on refresh \(invalid_scope\)/);
    assert.equal((await readOnlyEntry(world.cacheDir)).refresh_without_scope, true);
    await expireCachedIdToken(world.cacheDir);
    const second = await world.getToken();
    assert.equal(second.code, 0, second.stderr);
    assert.equal(second.stderr, '');

    assert.equal(world.provider.counts.refreshes, 2, world.provider.errors.join('\n'));
    const tokenRequests = world.provider.requests.filter(
      (request) => request.method === 'POST' && request.url === '/token',
    );
    // The code exchange; a refresh refused for its scope and its retry without; a refresh without scope.
    assert.equal(tokenRequests.length, 4, 'scope was sent once, then never again');
    assert.equal(await world.browserRuns(), 1, 'no login');
  });
});
