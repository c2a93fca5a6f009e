/**
 * get-token against a real provider: cold login through the loopback server,
 * cache hits without network or browser, file modes, stdout purity, and the
 * ExecCredential kubectl reads. (The file modes under umask 000, a setting of
 * the process, are in test/subprocess/file-modes.test.ts.)
 */
import assert from 'node:assert/strict';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { HTTP_LOGIN_COMMAND } from '../../support/browser/drivers.ts';
import { entryFiles, onlyEntryFile, readOnlyEntry } from '../../support/cache-entries.ts';
import { getTokenArgs } from '../../support/get-token-args.ts';
import { getFreePort, TEST_CLIENTS } from '../../support/provider/test-provider.ts';
import { NON_INTERACTIVE_EXEC_INFO, parseExecCredential } from '../../support/run-cli.ts';
import { worldForAll, worldPerTest } from '../../support/world.ts';

describe('cold login and cache hits', () => {
  const world = worldForAll();
  let firstToken: string;

  it('logs in through the browser, prints one ExecCredential and says nothing on stderr', async () => {
    const result = await world().getToken();
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, '');
    assert.deepEqual(result.browserFailures, [], 'the browser reached the success page');
    const credential = parseExecCredential(result.stdout);
    assert.equal(credential.kind, 'ExecCredential');
    assert.equal(credential.apiVersion, 'client.authentication.k8s.io/v1beta1');
    assert.deepEqual(credential.spec, { interactive: false });
    const claims = decodeJwt(credential.status.token);
    assert.equal(claims.iss, world().provider.issuer);
    assert.equal(claims.aud, TEST_CLIENTS.native);
    assert.equal(claims.sub, 'alice');
    // kubectl must ask again before exp: the early-refresh margin is 10% of the lifetime (at most a minute).
    const margin = Math.min(60, ((claims.exp as number) - (claims.iat as number)) * 0.1);
    const expected = new Date(((claims.exp as number) - margin) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    assert.equal(credential.status.expirationTimestamp, expected);
    assert.equal(await world().browserRuns(), 1);
    assert.equal(world().provider.counts.authorizations, 1);
    assert.equal(world().provider.counts.codeExchanges, 1);
    firstToken = credential.status.token;
  });

  it('stores the tokens in a 0600 file in a 0700 directory, whatever the umask would give', async () => {
    const { cacheDir } = world();
    const file = await onlyEntryFile(cacheDir);
    assert.equal((await stat(cacheDir)).mode & 0o777, 0o700);
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    const entry = await readOnlyEntry(cacheDir);
    // The Go kubelogin's two fields, and the scopes granted, which the next refresh sends again.
    assert.deepEqual(Object.keys(entry), ['id_token', 'refresh_token', 'scope']);
    assert.equal(entry.id_token, firstToken);
    assert.equal(entry.scope, 'email openid');
  });

  it('answers from the cache with the same token, no browser and no provider request', async () => {
    const before = { ...world().provider.counts };
    const result = await world().getToken();
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, '');
    assert.equal(parseExecCredential(result.stdout).status.token, firstToken);
    assert.equal(await world().browserRuns(), 1);
    assert.deepEqual(world().provider.counts, before);
  });

  it('echoes apiVersion v1 when KUBERNETES_EXEC_INFO asks for it', async () => {
    const result = await world().getToken([], { env: { KUBERNETES_EXEC_INFO: NON_INTERACTIVE_EXEC_INFO } });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(parseExecCredential(result.stdout).apiVersion, 'client.authentication.k8s.io/v1');
  });

  it('gives the same cache key whatever the order of flags', async () => {
    const [first, ...rest] = world().args;
    const result = await world().run([first as string, ...rest.reverse()]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(parseExecCredential(result.stdout).status.token, firstToken);
    assert.equal(await world().browserRuns(), 1);
  });

  it('refreshes a fresh token with --force-refresh', async () => {
    const { provider, cacheDir } = world();
    const refreshesBefore = provider.counts.refreshes;
    const before = await readOnlyEntry(cacheDir);
    const result = await world().getToken(['--force-refresh']);
    assert.equal(result.code, 0, result.stderr);
    const after = await readOnlyEntry(cacheDir);
    assert.equal(parseExecCredential(result.stdout).status.token, after.id_token);
    // The provider rotates refresh tokens; an ID token signed within the same second may be identical.
    assert.notEqual(after.refresh_token, before.refresh_token);
    assert.equal(provider.counts.refreshes, refreshesBefore + 1);
    assert.equal(await world().browserRuns(), 1);
  });

  it('treats a corrupt cache entry as a miss and logs in again', async () => {
    const file = await onlyEntryFile(world().cacheDir);
    await writeFile(file, '{"id_token": 42, trailing garbage');
    const result = await world().getToken();
    assert.equal(result.code, 0, result.stderr);
    assert.equal(await world().browserRuns(), 2);
    const entry = JSON.parse(await readFile(file, 'utf8'));
    assert.equal(entry.id_token, parseExecCredential(result.stdout).status.token);
  });

  it('keeps answering from the cache when the provider is gone (no network on a hit)', async () => {
    const cached = await readOnlyEntry(world().cacheDir);
    await world().stopProvider();
    const result = await world().getToken();
    assert.equal(result.code, 0, result.stderr);
    assert.equal(parseExecCredential(result.stdout).status.token, cached.id_token);
  });
});

describe('a provider that matches redirect URIs exactly', () => {
  const startWorld = worldPerTest();

  it('gets the redirect URI http://localhost:<port> byte for byte in both requests, and logs no secret at -v2', async () => {
    const port = await getFreePort();
    const world = await startWorld({ provider: { exactRedirectUris: [`http://localhost:${port}`] } });
    const args = [
      ...getTokenArgs({
        issuer: world.provider.issuer,
        clientId: TEST_CLIENTS.exactWeb,
        clientSecret: TEST_CLIENTS.exactWebSecret,
        extraScopes: ['email', 'offline_access'],
        listenAddress: `127.0.0.1:${port}`,
        browserCommand: HTTP_LOGIN_COMMAND,
        tokenCacheDir: world.cacheDir,
      }),
      '-v2',
    ];
    const result = await world.run(args);
    assert.equal(result.code, 0, `${result.stderr}\n${world.provider.errors.join('\n')}`);
    assert.equal(world.provider.counts.codeExchanges, 1);
    const { id_token: idToken, refresh_token: refreshToken } = await readOnlyEntry(world.cacheDir);
    assert.ok(idToken && refreshToken);
    assert.match(result.stderr, /POST http:\/\/127\.0\.0\.1:\d+\/token/, 'level 2 shows the requests');
    for (const secret of [idToken, refreshToken, TEST_CLIENTS.exactWebSecret]) {
      assert.ok(!result.stderr.includes(secret), 'a secret reached stderr');
    }
    assert.doesNotMatch(result.stderr, /code=(?!\[REDACTED\])/);
  });
});

describe('--token-cache-storage=none', () => {
  const startWorld = worldPerTest();

  it('reads, writes and locks nothing: every run logs in', async () => {
    const world = await startWorld();
    for (let run = 1; run <= 2; run++) {
      const result = await world.getToken(['--token-cache-storage=none']);
      assert.equal(result.code, 0, result.stderr);
      assert.equal(parseExecCredential(result.stdout).kind, 'ExecCredential');
      assert.equal(await world.browserRuns(), run);
    }
    assert.deepEqual(await entryFiles(world.cacheDir), []);
    assert.deepEqual(await readdir(world.cacheDir).catch(() => []), [], 'no lock either');
  });
});
