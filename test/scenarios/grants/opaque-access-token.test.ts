/**
 * `--oidc-use-access-token` with an access token that is not a JWT (Google's, and many Okta and
 * Auth0 setups'): an API server with a webhook authenticator (GKE) accepts it, so it is handed
 * over as it is, with the expiry its `expires_in` gave, kept in the cache entry.
 */
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { onlyEntryFile, readOnlyEntry } from '../../support/cache-entries.ts';
import { parseExecCredential } from '../../support/run-cli.ts';
import { worldPerTest } from '../../support/world.ts';

/** The access token lifetime of these tests (`expires_in`), long enough to be cached with a margin. */
const ACCESS_TOKEN_TTL_SECONDS = 600;
/** The early-refresh margin of a token that lives ten minutes or more. */
const MARGIN_SECONDS = 60;
/** Slack for the clock moving during a run. */
const SLACK_SECONDS = 5;

/** True when `token` has the shape of a compact JWS. */
function looksLikeJwt(token: string): boolean {
  return token.split('.').length === 3;
}

describe('opaque access tokens', () => {
  const startWorld = worldPerTest();

  it('hands kubectl an opaque access token as it is, until its expires_in, from the cache, and says at -v1 it was not verified', async () => {
    const world = await startWorld({ provider: { accessTokenTTL: ACCESS_TOKEN_TTL_SECONDS } });
    const before = Math.floor(Date.now() / 1000);
    const login = await world.getToken(['--oidc-use-access-token', '-v1']);
    assert.equal(login.code, 0, `${login.stderr}\n${world.provider.errors.join('\n')}`);
    assert.match(
      login.stderr,
      /the access token from http:\/\/127\.0\.0\.1:\d+ is not a JWT, so it could not be verified locally; it is handed over as it is/,
    );
    const credential = parseExecCredential(login.stdout);
    const entry = await readOnlyEntry(world.cacheDir);
    assert.equal(credential.status.token, entry.access_token);
    assert.ok(!looksLikeJwt(credential.status.token), 'the provider issues opaque access tokens');
    const expiresAt = entry.access_token_expires_at as number;
    assert.ok(
      expiresAt >= before + ACCESS_TOKEN_TTL_SECONDS && expiresAt <= before + ACCESS_TOKEN_TTL_SECONDS + SLACK_SECONDS,
      `access_token_expires_at ${expiresAt}, login at ${before}`,
    );
    const expirationSeconds = Date.parse(credential.status.expirationTimestamp as string) / 1000;
    assert.equal(expirationSeconds, expiresAt - MARGIN_SECONDS);

    await world.stopProvider();
    const hit = await world.getToken(['--oidc-use-access-token']);
    assert.equal(hit.code, 0, hit.stderr);
    assert.equal(hit.stderr, '');
    assert.equal(parseExecCredential(hit.stdout).status.token, credential.status.token);
  });

  it('refreshes an opaque access token whose expires_in has passed', async () => {
    const world = await startWorld({ provider: { accessTokenTTL: ACCESS_TOKEN_TTL_SECONDS } });
    const login = await world.getToken(['--oidc-use-access-token']);
    assert.equal(login.code, 0, login.stderr);
    const path = await onlyEntryFile(world.cacheDir);
    const entry = JSON.parse(await readFile(path, 'utf8'));
    entry.access_token_expires_at = Math.floor(Date.now() / 1000) - 1;
    await writeFile(path, JSON.stringify(entry));

    const refreshed = await world.getToken(['--oidc-use-access-token']);
    assert.equal(refreshed.code, 0, refreshed.stderr);
    assert.equal(world.provider.counts.refreshes, 1);
    assert.equal(await world.browserRuns(), 1);
    const token = parseExecCredential(refreshed.stdout).status.token;
    assert.notEqual(token, entry.access_token);
    assert.equal((await readOnlyEntry(world.cacheDir)).access_token, token);
  });

  it('refuses an opaque access token without expires_in in one line naming the provider', async () => {
    const world = await startWorld({ provider: { quirks: { omitExpiresIn: true } } });
    const result = await world.getToken(['--oidc-use-access-token']);
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    const [error, hint, ...rest] = result.stderr.trimEnd().split('\n');
    assert.match(
      error ?? '',
      /^error: the provider http:\/\/127\.0\.0\.1:\d+ returned an access token that is not a JWT and no expires_in, so when it expires cannot be known$/,
    );
    assert.match(hint ?? '', /^hint: /);
    assert.deepEqual(rest, []);
  });
});
