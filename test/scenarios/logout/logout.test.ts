/**
 * `kubelogin logout`: revokes the cached tokens at the provider (RFC 7009), deletes the entry,
 * optionally opens the provider's end-session page, and says what it did per entry.
 */
import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Middleware } from 'oidc-provider';
import { RECORD_URL_COMMAND } from '../../support/browser/drivers.ts';
import { entryFiles, onlyEntryFile, readOnlyEntry } from '../../support/cache-entries.ts';
import { exchangingNativeClient } from '../../support/provider/exchange-clients.ts';
import { KEY_CLIENTS, makeKeyClients } from '../../support/provider/key-clients.ts';
import type { RecordedRequest } from '../../support/provider/request-log.ts';
import {
  getFreePort,
  passwordOf,
  startTestProvider,
  TEST_CLIENTS,
  type TestProvider,
} from '../../support/provider/test-provider.ts';
import type { CliResult } from '../../support/run-cli.ts';
import { serverForAll } from '../../support/server-for-all.ts';
import { unsignedJwt } from '../../support/unsigned-jwt.ts';
import { type World, worldForAll, worldPerTest } from '../../support/world.ts';

/** A login and a few CLI runs; a hang fails the test instead of stalling the suite. */
const TEST_TIMEOUT_MS = 60_000;
/** The provider of these tests: with revocation (its default) and RP-initiated logout. */
const LOGOUT_PROVIDER = { rpInitiatedLogout: true };

/** logout with the world's get-token flags (the same cache key) plus `extra`. */
function logout(world: World, extra: readonly string[] = [], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return world.run(['logout', ...world.args.slice(1), ...extra], { env });
}

/** The provider's answer to a refresh with `refreshToken`, sent directly to its token endpoint. */
async function refreshAtProvider(issuer: string, refreshToken: string): Promise<{ status: number; error?: string }> {
  const discovery = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as {
    token_endpoint: string;
  };
  const response = await fetch(discovery.token_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      client_id: TEST_CLIENTS.native,
    }),
  });
  const body = (await response.json()) as { error?: string };
  return { status: response.status, error: body.error };
}

/** Asserts no token of `tokens` appears in the run's output. */
function assertNoToken(result: CliResult, tokens: readonly (string | undefined)[]): void {
  for (const token of tokens) {
    if (token === undefined) continue;
    assert.ok(!result.stdout.includes(token) && !result.stderr.includes(token), 'a token was printed');
  }
}

describe('logout', () => {
  const startWorld = worldPerTest({ provider: LOGOUT_PROVIDER });

  it('revokes the refresh token at the provider, deletes the entry, and the next get-token logs in again', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const fixture = await startWorld();
    assert.equal((await fixture.getToken()).code, 0);
    const cached = await readOnlyEntry(fixture.cacheDir);
    assert.ok(cached.refresh_token, 'the login cached no refresh token');

    const result = await logout(fixture);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, '');
    assert.match(
      result.stderr,
      /^Logged out of http:\/\/127\.0\.0\.1:\d+ \(client kubernetes\): revoked the refresh token( and the access token)? at the provider; deleted .*token-cache\/[0-9a-f]{64}\n$/,
    );
    assertNoToken(result, [cached.refresh_token, cached.access_token, cached.id_token]);
    assert.deepEqual(await entryFiles(fixture.cacheDir), []);
    assert.deepEqual(await refreshAtProvider(fixture.provider.issuer, cached.refresh_token), {
      status: 400,
      error: 'invalid_grant',
    });

    const again = await fixture.getToken();
    assert.equal(again.code, 0, again.stderr);
    assert.equal(await fixture.browserRuns(), 2, 'the next get-token did not log in again');
  });

  it('with nothing cached says so and exits 0, so logging out twice is no error', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const fixture = await startWorld();
    assert.equal((await fixture.getToken()).code, 0);
    assert.equal((await logout(fixture)).code, 0);
    const second = await logout(fixture);
    assert.equal(second.code, 0, second.stderr);
    assert.equal(second.stdout, '');
    assert.equal(second.stderr, 'Nothing to log out: no tokens are cached for these flags\n');
  });

  it('--end-session opens the end-session URL with client_id and without the ID token, which stays valid at the API server', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const fixture = await startWorld();
    assert.equal((await fixture.getToken()).code, 0);
    const cached = await readOnlyEntry(fixture.cacheDir);
    const urlLog = join(fixture.home.home, 'urls.log');
    const result = await logout(fixture, ['--end-session', `--browser-command=${RECORD_URL_COMMAND}`], {
      URL_LOG: urlLog,
    });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /; opened the provider's end-session page\n$/);
    assertNoToken(result, [cached.id_token, cached.refresh_token]);
    // The run's result waits for the fake browser it started, so its line is written.
    const url = new URL((await readFile(urlLog, 'utf8')).trim());
    assert.equal(url.origin + url.pathname, `${fixture.provider.issuer}/session/end`);
    assert.equal(url.searchParams.get('id_token_hint'), null);
    assert.ok(!url.href.includes(cached.id_token as string), 'the ID token is in the URL');
    assert.equal(url.searchParams.get('client_id'), TEST_CLIENTS.native);
    const page = await fetch(url);
    assert.equal(page.status, 200, 'the provider did not accept the end-session request');
  });

  it('against a provider without a revocation endpoint says the token was not revoked and still deletes the entry', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const fixture = await startWorld({ provider: { ...LOGOUT_PROVIDER, ...{ revocation: false } } });
    assert.equal((await fixture.getToken()).code, 0);
    const result = await logout(fixture);
    assert.equal(result.code, 0, result.stderr);
    assert.match(
      result.stderr,
      /not revoked: the provider has no revocation endpoint, so the refresh token stays valid there until it expires; deleted /,
    );
    assert.deepEqual(await entryFiles(fixture.cacheDir), []);
  });

  it('against an unreachable provider deletes the entry, keeps its refresh token for the next logout, says so, and exits non-zero', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const fixture = await startWorld();
    assert.equal((await fixture.getToken()).code, 0);
    const cached = await readOnlyEntry(fixture.cacheDir);
    const entry = await onlyEntryFile(fixture.cacheDir);
    await fixture.stopProvider();
    const result = await logout(fixture);
    assert.notEqual(result.code, 0);
    assert.equal(result.stdout, '');
    assert.match(
      result.stderr,
      new RegExp(
        `^Logged out of http://127\\.0\\.0\\.1:\\d+ \\(client kubernetes\\): not revoked: cannot reach the OIDC provider at 127\\.0\\.0\\.1:\\d+[^\\n]*; deleted ${entry}; kept the refresh token in ${entry}\\.pending-revocation for the next logout to revoke\\n`,
      ),
    );
    assert.match(
      result.stderr,
      /\nerror: 1 cache entry left refresh tokens the provider may still honour: they are kept for the next logout to revoke, and no token is served from it\nhint: run logout again/,
    );
    assert.doesNotMatch(result.stderr, /\n\s+at /, 'a stack trace was printed');
    assertNoToken(result, [cached.refresh_token, cached.access_token, cached.id_token]);
    assert.deepEqual(await entryFiles(fixture.cacheDir), []);
  });

  it('--all revokes every entry of the cache directory, finding each provider from its ID token', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const fixture = await startWorld();
    assert.equal((await fixture.getToken()).code, 0);
    // A second entry: another scope set is another cache key.
    assert.equal((await fixture.getToken(['--oidc-extra-scope=profile'])).code, 0);
    // An entry without an ID token cannot name its provider.
    await writeFile(join(fixture.cacheDir, 'c'.repeat(64)), '{"refresh_token":"opaque"}', { mode: 0o600 });
    const files = await entryFiles(fixture.cacheDir);
    assert.equal(files.length, 3);
    const refreshTokens = await Promise.all(
      files
        .filter((name) => name !== 'c'.repeat(64))
        .map(
          async (name) =>
            (JSON.parse(await readFile(join(fixture.cacheDir, name), 'utf8')) as { refresh_token: string })
              .refresh_token,
        ),
    );

    const result = await fixture.run(['logout', '--all', `--token-cache-dir=${fixture.cacheDir}`]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, '');
    assert.equal(
      result.stderr.match(/: revoked the refresh token( and the access token)? at the provider/g)?.length,
      2,
      result.stderr,
    );
    assert.match(result.stderr, /not revoked, the entry has no ID token naming its provider/);
    assert.deepEqual(await entryFiles(fixture.cacheDir), []);
    for (const token of refreshTokens)
      assert.equal((await refreshAtProvider(fixture.provider.issuer, token)).error, 'invalid_grant');

    const nothing = await fixture.run(['logout', '--all', `--token-cache-dir=${fixture.cacheDir}`]);
    assert.equal(nothing.code, 0, nothing.stderr);
    assert.equal(nothing.stderr, `Nothing to log out: no tokens are cached in ${fixture.cacheDir}\n`);
  });

  it('deletes an entry without a refresh token (a CI token) without asking its issuer, and exits 0', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const world = await startWorld({ provider: false });
    // A github-actions entry whose issuer cannot be reached now: only its ID token, which expires on its own.
    const now = Math.floor(Date.now() / 1000);
    const idToken = unsignedJwt({ iss: `http://127.0.0.1:${await getFreePort()}`, aud: 'kubernetes', exp: now + 300 });
    const entry = join(world.cacheDir, 'd'.repeat(64));
    await mkdir(world.cacheDir, { recursive: true, mode: 0o700 });
    await writeFile(entry, JSON.stringify({ id_token: idToken }), { mode: 0o600 });
    const result = await world.run(['logout', '--all', `--token-cache-dir=${world.cacheDir}`]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, `Deleted ${entry}: it held no refresh token, so there was nothing to revoke\n`);
    assert.deepEqual(await entryFiles(world.cacheDir), []);
  });

  it('with --all, takes --oidc-issuer-url as the provider of the credentials given, which needs its client', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const world = await startWorld({ provider: false });
    const port = await getFreePort();
    const result = await world.run(['logout', '--all', `--oidc-issuer-url=http://127.0.0.1:${port}`]);
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.equal(result.stderr, 'error: --oidc-client-id is required\n');
  });
});

/** The revocation requests a provider received (RFC 7009, oidc-provider's path). */
function revocations(provider: TestProvider): RecordedRequest[] {
  return provider.requests.filter((request) => request.method === 'POST' && request.url === '/token/revocation');
}

describe("logout --all and a client's credentials", () => {
  const keys = makeKeyClients();
  const world = worldForAll({ provider: { clients: keys.metadata }, homeFiles: keys.files });
  /** Another provider with the same client IDs: only the world's is the one the credentials are for. */
  const other = serverForAll(() => startTestProvider());
  const header = { name: 'X-Company-Key', value: 'company-header-value' };

  /** Logs the confidential client in at `issuer` with the password grant (a refresh token, no browser). */
  async function confidentialLogin(issuer: string): Promise<void> {
    const result = await world().run([
      'get-token',
      `--oidc-issuer-url=${issuer}`,
      `--oidc-client-id=${TEST_CLIENTS.confidential}`,
      `--oidc-client-secret=${TEST_CLIENTS.confidentialSecret}`,
      '--oidc-extra-scope=offline_access',
      '--grant-type=password',
      '--username=alice',
      `--password=${passwordOf('alice')}`,
      `--token-cache-dir=${world().cacheDir}`,
    ]);
    assert.equal(result.code, 0, result.stderr);
  }

  it('are refused without the issuer they are for, before any request', { timeout: TEST_TIMEOUT_MS }, async () => {
    await confidentialLogin(world().provider.issuer);
    await confidentialLogin(other().issuer);
    const before = revocations(other()).length + revocations(world().provider).length;
    const result = await world().run([
      'logout',
      '--all',
      `--oidc-client-id=${TEST_CLIENTS.confidential}`,
      `--oidc-client-secret=${TEST_CLIENTS.confidentialSecret}`,
      `--oidc-request-header=${header.name}=${header.value}`,
      `--token-cache-dir=${world().cacheDir}`,
    ]);
    assert.equal(result.code, 1, result.stderr);
    assert.equal(
      result.stderr,
      'error: --oidc-client-secret with --all goes only to the provider it is for: give its --oidc-issuer-url and --oidc-client-id too\n',
    );
    assert.equal(revocations(other()).length + revocations(world().provider).length, before, 'a revocation was sent');
    assert.equal((await entryFiles(world().cacheDir)).length, 2);
  });

  it('go only to the issuer and client named with them; the same client of another issuer gets none', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const result = await world().run([
      'logout',
      '--all',
      `--oidc-issuer-url=${world().provider.issuer}`,
      `--oidc-client-id=${TEST_CLIENTS.confidential}`,
      `--oidc-client-secret=${TEST_CLIENTS.confidentialSecret}`,
      `--oidc-request-header=${header.name}=${header.value}`,
      `--token-cache-dir=${world().cacheDir}`,
    ]);
    const ours = revocations(world().provider);
    assert.ok(ours.length > 0, 'nothing was revoked at the issuer the credentials are for');
    for (const request of ours) {
      assert.match(String(request.headers.authorization), /^Basic /);
      assert.equal(request.headers[header.name.toLowerCase()], header.value);
    }
    const theirs = revocations(other());
    assert.ok(theirs.length > 0, 'the other issuer was not asked to revoke its entry');
    for (const request of theirs) {
      assert.equal(request.headers.authorization, undefined, 'the secret went to another issuer');
      assert.equal(request.headers[header.name.toLowerCase()], undefined, 'the header went to another issuer');
    }
    assert.match(
      result.stderr,
      new RegExp(
        `^Logged out of ${world().provider.issuer} \\(client ${TEST_CLIENTS.confidential}\\): revoked the refresh token`,
        'm',
      ),
    );
    assert.match(
      result.stderr,
      new RegExp(
        `^Logged out of ${other().issuer} \\(client ${TEST_CLIENTS.confidential}, without the credentials given, which are for ${world().provider.issuer}\\): not revoked: `,
        'm',
      ),
    );
    assert.ok(!result.stderr.includes(TEST_CLIENTS.confidentialSecret) && !result.stderr.includes(header.value));
  });

  it('use --oidc-client-assertion-key (private_key_jwt) for the entry of its client, as get-token does', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const key = `--oidc-client-assertion-key=${join(world().home.home, keys.rsa.privateKeyFile)}`;
    const login = await world().run([
      ...world().args.filter((arg) => !arg.startsWith('--oidc-client-id=')),
      `--oidc-client-id=${KEY_CLIENTS.rsa}`,
      key,
      '--grant-type=authcode',
    ]);
    assert.equal(login.code, 0, login.stderr);
    const result = await world().run([
      'logout',
      '--all',
      `--oidc-issuer-url=${world().provider.issuer}`,
      `--oidc-client-id=${KEY_CLIENTS.rsa}`,
      key,
      `--token-cache-dir=${world().cacheDir}`,
    ]);
    assert.match(
      result.stderr,
      new RegExp(
        `^Logged out of ${world().provider.issuer} \\(client ${KEY_CLIENTS.rsa}\\): revoked the refresh token`,
        'm',
      ),
    );
    const assertion = revocations(world().provider)
      .map((request) => request.headers['content-type'])
      .filter(Boolean);
    assert.ok(assertion.length > 0);
    assert.ok(!result.stderr.includes('PRIVATE KEY'));
  });
});

describe('logout of a login whose token was exchanged for audiences', () => {
  const exchanging = 'exchanging-native';
  const world = worldForAll({
    provider: { clients: [exchangingNativeClient(exchanging)], tokenExchange: { trustedIssuers: [] } },
  });
  const args = (audience: string) => [
    ...world().args.filter((arg) => !arg.startsWith('--oidc-client-id=')),
    `--oidc-client-id=${exchanging}`,
    '--grant-type=authcode',
    `--exchange-audience=${audience}`,
  ];

  it("removes the audiences' entries with the login: the one given, and every other exchanged from it", {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    for (const audience of ['cluster-a', 'cluster-b']) assert.equal((await world().run(args(audience))).code, 0);
    const files = await entryFiles(world().cacheDir);
    assert.equal(files.length, 3, 'the login and each audience');
    // Each audience's entry names its login; one written before entries did is found by the audience given.
    let rewritten = 0;
    for (const name of files) {
      const path = join(world().cacheDir, name);
      const entry = JSON.parse(await readFile(path, 'utf8')) as { access_token?: string; exchanged_from?: string };
      if (entry.access_token === undefined) continue;
      assert.match(entry.exchanged_from ?? '', /^[0-9a-f]{64}$/, 'the exchanged entry names no login');
      const claims = JSON.parse(Buffer.from(entry.access_token.split('.')[1] as string, 'base64url').toString('utf8'));
      if (claims.aud !== 'cluster-a') continue;
      await writeFile(path, JSON.stringify({ access_token: entry.access_token }));
      rewritten++;
    }
    assert.equal(rewritten, 1);

    const result = await world().run(['logout', ...args('cluster-a').slice(1)]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /^Deleted \S+: the token exchanged from the login for the audience cluster-b$/m);
    assert.match(result.stderr, /: revoked the refresh token/);
    assert.deepEqual(await entryFiles(world().cacheDir), [], 'an exchanged token is left for kubectl to use');
  });
});

/** A revocation endpoint that can be made to fail as an unreachable one does: the connection is dropped. */
function droppableRevocation(state: { drop: boolean }): Middleware {
  return async (ctx, next) => {
    if (state.drop && ctx.method === 'POST' && ctx.path === '/token/revocation') {
      ctx.req.socket.destroy();
      return;
    }
    await next();
  };
}

describe('logout and the refresh tokens it could not revoke', () => {
  const revocation = { drop: false };
  const startWorld = worldPerTest({ provider: { middlewares: [droppableRevocation(revocation)] } });

  it('keeps them (0600, in the 0700 cache directory), never serves them, and the next logout with the same flags revokes them', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const fixture = await startWorld();
    assert.equal((await fixture.getToken()).code, 0);
    const first = await readOnlyEntry(fixture.cacheDir);
    const entry = await onlyEntryFile(fixture.cacheDir);
    const record = `${entry}.pending-revocation`;

    revocation.drop = true;
    const failed = await logout(fixture);
    assert.equal(failed.code, 1, failed.stderr);
    assert.match(
      failed.stderr,
      /: not revoked: [^\n]*; deleted [^\n]*; kept the refresh token in \S+\.pending-revocation for the next logout to revoke\n/,
    );
    assert.equal((await stat(record)).mode & 0o777, 0o600);
    assert.equal((await stat(fixture.cacheDir)).mode & 0o777, 0o700);
    assert.ok(
      (await readFile(record, 'utf8')).includes(first.refresh_token as string),
      'the refresh token was not kept',
    );
    assertNoToken(failed, [first.refresh_token, first.id_token, first.access_token]);

    // Nothing is served from the record: get-token logs in again.
    assert.equal((await fixture.getToken()).code, 0);
    assert.equal(await fixture.browserRuns(), 2);
    const second = await readOnlyEntry(fixture.cacheDir);

    // While the provider still cannot revoke, both refresh tokens are kept, and the run says so again.
    const again = await logout(fixture);
    assert.equal(again.code, 1, again.stderr);
    assert.match(again.stderr, /; kept 2 refresh tokens in \S+\.pending-revocation for the next logout to revoke\n/);

    revocation.drop = false;
    const settled = await logout(fixture);
    assert.equal(settled.code, 0, settled.stderr);
    assert.equal(
      settled.stderr,
      `Logged out of ${fixture.provider.issuer} (client kubernetes): revoked 2 refresh tokens an earlier logout could not revoke at the provider; removed ${record}\n`,
    );
    assert.deepEqual(
      await readdir(fixture.cacheDir).then((names) => names.filter((name) => !name.endsWith('.lock'))),
      [],
    );
    for (const token of [first.refresh_token, second.refresh_token])
      assert.equal((await refreshAtProvider(fixture.provider.issuer, token as string)).error, 'invalid_grant');
    assertNoToken(settled, [first.refresh_token, second.refresh_token]);
  });

  it('--all revokes the kept ones too, finding their provider in the record', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const fixture = await startWorld();
    assert.equal((await fixture.getToken()).code, 0);
    const cached = await readOnlyEntry(fixture.cacheDir);
    revocation.drop = true;
    assert.equal((await logout(fixture)).code, 1);
    revocation.drop = false;
    const result = await fixture.run(['logout', '--all', `--token-cache-dir=${fixture.cacheDir}`]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(
      result.stderr,
      /: revoked the refresh token an earlier logout could not revoke at the provider; removed \S+\.pending-revocation\n$/,
    );
    assert.equal(
      (await refreshAtProvider(fixture.provider.issuer, cached.refresh_token as string)).error,
      'invalid_grant',
    );
  });
});
