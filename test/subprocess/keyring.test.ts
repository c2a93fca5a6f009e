/**
 * `--token-cache-storage=keyring` against a real Secret Service
 * (gnome-keyring on a private session bus): the entry lives in the keyring,
 * never in a file; hits need no network; refreshes update the entry; an
 * unavailable or locked keyring fails clearly and loses nothing.
 */
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { type CliResult, parseExecCredential } from '../support/run-cli.ts';
import { type SessionKeyring, startSessionKeyring } from '../support/session-keyring.ts';
import { worldForAll } from '../support/world.ts';

/** The service and account prefix of the entries, as the Go kubelogin names them. */
const SERVICE = 'kubelogin';
const ACCOUNT_PATTERN = /^kubelogin\/tokencache\/[0-9a-f]{64}$/;
/** An account of a chunk of a split entry. */
const CHUNK_ACCOUNT_PATTERN = /^kubelogin\/tokencache\/[0-9a-f]{64}\/\d+$/;
/** The most bytes of one item: the Credential Manager's limit, which kubelogin keeps to everywhere. */
const ITEM_BYTES = 2560;
/** Groups enough to make the ID token, and so the entry, several items long, as Keycloak's and Entra's often are. */
const MANY_GROUPS = Array.from({ length: 150 }, (_, i) => `platform-team-${String(i).padStart(3, '0')}-members`);
/** ID token lifetime for the expiry case: short enough to wait out. */
const SHORT_ID_TOKEN_TTL_SECONDS = 2;

/** A private Secret Service for the tests of the enclosing `describe`: started before the first, closed after the last. */
function keyringForAll(): () => SessionKeyring {
  let keyring: SessionKeyring | undefined;
  before(async () => {
    keyring = await startSessionKeyring();
  });
  after(() => keyring?.close());
  return () => {
    if (keyring === undefined) throw new Error('the keyring is used outside its tests');
    return keyring;
  };
}

describe('the keyring token cache', () => {
  const keyring = keyringForAll();
  const world = worldForAll({ runner: 'subprocess' });
  let account: string;

  /** get-token with keyring storage on the test's bus (or `env`'s). */
  function getToken(extra: readonly string[] = [], env: NodeJS.ProcessEnv = keyring().env): Promise<CliResult> {
    return world().getToken(['--token-cache-storage=keyring', ...extra], { env });
  }

  /** The JSON entry of the one account in the keyring. */
  async function storedEntry(): Promise<{ id_token?: string; refresh_token?: string }> {
    const secret = await keyring().lookup(SERVICE, account);
    assert.ok(secret !== undefined, `no keyring entry for ${account}`);
    return JSON.parse(secret);
  }

  /** The cache directory holds no entry file and no lock (it may exist: the lock is taken there). */
  async function assertNoFilesInCacheDir(): Promise<void> {
    assert.deepEqual(await readdir(world().cacheDir).catch(() => []), []);
  }

  it('logs in and stores the entry in the keyring under service kubelogin, not in a file', async () => {
    const result = await getToken();
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, '');
    const token = parseExecCredential(result.stdout).status.token;
    const accounts = await keyring().accounts(SERVICE);
    assert.equal(accounts.length, 1, `accounts: ${accounts.join(', ')}`);
    account = accounts[0] as string;
    assert.match(account, ACCOUNT_PATTERN);
    const entry = await storedEntry();
    assert.equal(entry.id_token, token);
    assert.ok(entry.refresh_token, 'the refresh token is stored');
    await assertNoFilesInCacheDir();
  });

  it('answers a hit from the keyring with no network and no browser', async () => {
    const before = await storedEntry();
    await world().stopProvider();
    const result = await getToken();
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, '');
    assert.equal(parseExecCredential(result.stdout).status.token, before.id_token);
    assert.equal(await world().browserRuns(), 1);
    await assertNoFilesInCacheDir();
  });

  it('fails on an unavailable keyring with the way out, prints nothing on stdout, and loses nothing', async () => {
    const nowhere = { DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(world().home.home, 'no-bus')}` };
    const before = await storedEntry();
    const result = await getToken([], nowhere);
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    const lines = result.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 2, result.stderr);
    assert.match(lines[0] as string, /^error: cannot read the token cache from the OS keyring: .*no-bus/);
    assert.match(lines[1] as string, /^hint: .*--token-cache-storage=disk/);
    assert.deepEqual(await storedEntry(), before, 'the entry is intact');
    await assertNoFilesInCacheDir();
  });
});

describe('logout --all with the keyring', () => {
  const keyring = keyringForAll();
  const world = worldForAll({ runner: 'subprocess' });

  it('skips and names an account whose key is not a cache key, and logs out of the others', async () => {
    const login = await world().getToken(['--token-cache-storage=keyring'], { env: keyring().env });
    assert.equal(login.code, 0, login.stderr);
    const planted = ['kubelogin/tokencache/no-such-dir/entry', 'kubelogin/tokencache/../../escape'];
    for (const account of planted) keyring().store(SERVICE, account, '{"refresh_token":"planted-refresh-token"}');
    const result = await world().run(
      ['logout', '--all', '--token-cache-storage=keyring', `--token-cache-dir=${world().cacheDir}`],
      { env: keyring().env },
    );
    assert.equal(result.code, 0, result.stderr);
    for (const account of planted) {
      assert.ok(
        result.stderr.includes(
          `Skipped the OS keyring account ${JSON.stringify(account)} (service kubelogin): its key is not a cache key (64 hexadecimal digits)\n`,
        ),
        result.stderr,
      );
    }
    assert.match(result.stderr, /: revoked the refresh token/);
    assert.deepEqual((await keyring().accounts(SERVICE)).sort(), [...planted].sort(), 'the good entry is gone');
    assert.deepEqual(
      await readdir(join(world().home.home, '..')).then((names) => names.filter((name) => name.startsWith('escape'))),
      [],
    );
  });
});

describe('logout with the keyring, when the provider cannot revoke', () => {
  const keyring = keyringForAll();
  const revocation = { drop: false };
  const world = worldForAll({
    runner: 'subprocess',
    provider: {
      middlewares: [
        async (ctx, next) => {
          if (revocation.drop && ctx.method === 'POST' && ctx.path === '/token/revocation') {
            ctx.req.socket.destroy();
            return;
          }
          await next();
        },
      ],
    },
  });
  const logout = () =>
    world().run(['logout', ...world().args.slice(1), '--token-cache-storage=keyring'], { env: keyring().env });

  it('keeps the refresh token in the keyring, where the entry was, until a logout revokes it', async () => {
    assert.equal((await world().getToken(['--token-cache-storage=keyring'], { env: keyring().env })).code, 0);
    const [entry] = await keyring().accounts(SERVICE);
    assert.match(entry ?? '', ACCOUNT_PATTERN);
    const key = (entry as string).slice('kubelogin/tokencache/'.length);
    const refreshToken = (
      JSON.parse((await keyring().lookup(SERVICE, entry as string)) ?? '{}') as { refresh_token: string }
    ).refresh_token;

    revocation.drop = true;
    const failed = await logout();
    assert.equal(failed.code, 1, failed.stderr);
    const record = `kubelogin/pending-revocation/${key}`;
    assert.match(
      failed.stderr,
      new RegExp(
        `; kept the refresh token in the OS keyring \\(service kubelogin, account ${record}\\) for the next logout to revoke\\n`,
      ),
    );
    assert.deepEqual(await keyring().accounts(SERVICE), [record], 'the entry is gone, the record is there');
    assert.ok((await keyring().lookup(SERVICE, record))?.includes(refreshToken));
    assert.deepEqual(await readdir(world().cacheDir).catch(() => []), [], 'no file holds it');

    revocation.drop = false;
    const settled = await logout();
    assert.equal(settled.code, 0, settled.stderr);
    assert.match(
      settled.stderr,
      /revoked the refresh token an earlier logout could not revoke at the provider; removed the OS keyring/,
    );
    assert.deepEqual(await keyring().accounts(SERVICE), []);
  });
});

describe('the keyring token cache across refreshes', () => {
  const keyring = keyringForAll();
  const world = worldForAll({ runner: 'subprocess', provider: { rotateRefreshToken: true } });

  function getToken(extra: readonly string[] = []): Promise<CliResult> {
    return world().getToken(['--token-cache-storage=keyring', ...extra], { env: keyring().env });
  }

  async function onlyEntry(): Promise<{ id_token?: string; refresh_token?: string }> {
    const [account, ...others] = await keyring().accounts(SERVICE);
    assert.ok(account !== undefined && others.length === 0, 'exactly one keyring entry');
    const secret = await keyring().lookup(SERVICE, account);
    assert.ok(secret !== undefined);
    return JSON.parse(secret);
  }

  it('replaces the entry on a refresh, forced or on expiry, without a browser', async () => {
    assert.equal((await getToken()).code, 0);
    const first = await onlyEntry();

    world().provider.setIdTokenTTL(SHORT_ID_TOKEN_TTL_SECONDS);
    const forced = await getToken(['--force-refresh']);
    assert.equal(forced.code, 0, forced.stderr);
    const second = await onlyEntry();
    assert.equal(parseExecCredential(forced.stdout).status.token, second.id_token);
    assert.notEqual(second.id_token, first.id_token);
    assert.notEqual(second.refresh_token, first.refresh_token, 'the rotated refresh token is stored');

    await sleep(SHORT_ID_TOKEN_TTL_SECONDS * 1000 + 200);
    const expired = await getToken();
    assert.equal(expired.code, 0, expired.stderr);
    const third = await onlyEntry();
    assert.equal(parseExecCredential(expired.stdout).status.token, third.id_token);
    assert.notEqual(third.id_token, second.id_token);
    assert.equal(world().provider.counts.refreshes, 2);
    assert.equal(await world().browserRuns(), 1);
    assert.deepEqual(await readdir(world().cacheDir), [], 'the lock is gone and no entry file was written');
  });

  it('fails on a locked keyring with the way out and prints nothing on stdout', async () => {
    await keyring().lock();
    const result = await getToken();
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    const lines = result.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 2, result.stderr);
    assert.match(lines[0] as string, /^error: cannot read the token cache from the OS keyring: the keyring is locked/);
    assert.match(lines[1] as string, /^hint: unlock the keyring .*--token-cache-storage=disk/);
    assert.equal(await world().browserRuns(), 1, 'no login was started');
  });
});

describe('the keyring token cache with entries over 2,560 bytes', () => {
  const keyring = keyringForAll();
  const world = worldForAll({ runner: 'subprocess', provider: { claims: { alice: { groups: MANY_GROUPS } } } });
  const GROUPS_SCOPE = '--oidc-extra-scope=groups';

  function getToken(extra: readonly string[] = []): Promise<CliResult> {
    return world().getToken(['--token-cache-storage=keyring', GROUPS_SCOPE, ...extra], { env: keyring().env });
  }

  /** The accounts of the entry and of its chunks, and the entry read back as one. */
  async function storedItems(): Promise<{ entry: string; chunks: string[]; joined: string }> {
    const accounts = await keyring().accounts(SERVICE);
    const entry = accounts.find((account) => ACCOUNT_PATTERN.test(account));
    assert.ok(entry !== undefined, `accounts: ${accounts.join(', ')}`);
    const chunks = accounts.filter((account) => CHUNK_ACCOUNT_PATTERN.test(account)).sort();
    const parts: string[] = [];
    for (let index = 1; index <= chunks.length; index++) {
      const secret = await keyring().lookup(SERVICE, `${entry}/${index}`);
      assert.ok(secret !== undefined, `chunk ${index}`);
      assert.ok(Buffer.byteLength(secret) <= ITEM_BYTES, `chunk ${index} holds ${Buffer.byteLength(secret)} bytes`);
      parts.push(secret);
    }
    return { entry, chunks, joined: parts.join('') };
  }

  it('stores a large entry as chunks of at most 2,560 bytes and answers a hit from them', async () => {
    const login = await getToken();
    assert.equal(login.code, 0, login.stderr);
    const token = parseExecCredential(login.stdout).status.token;
    assert.ok(token.length > 2 * ITEM_BYTES, `the ID token is only ${token.length} bytes`);
    const { chunks, joined } = await storedItems();
    assert.ok(chunks.length >= 3, `${chunks.length} chunks`);
    assert.equal(JSON.parse(joined).id_token, token);

    const hit = await getToken();
    assert.equal(hit.code, 0, hit.stderr);
    assert.equal(parseExecCredential(hit.stdout).status.token, token);
    assert.equal(await world().browserRuns(), 1);
  });

  it('rewrites the chunks on a refresh', async () => {
    const before = await storedItems();
    const refreshed = await getToken(['--force-refresh']);
    assert.equal(refreshed.code, 0, refreshed.stderr);
    const after = await storedItems();
    assert.equal(JSON.parse(after.joined).id_token, parseExecCredential(refreshed.stdout).status.token);
    assert.notEqual(after.joined, before.joined);
    assert.equal(world().provider.counts.refreshes, 1);
  });

  it('takes an entry with a chunk missing for a miss: logs in again and stores it whole again', async () => {
    const { entry } = await storedItems();
    await keyring().remove(SERVICE, `${entry}/2`);
    const result = await getToken();
    assert.equal(result.code, 0, result.stderr);
    assert.equal(await world().browserRuns(), 2, 'a new login');
    assert.equal(JSON.parse((await storedItems()).joined).id_token, parseExecCredential(result.stdout).status.token);
  });

  it('is removed with its chunks by logout and by clean', async () => {
    const logout = await world().run(
      ['logout', ...world().args.slice(1), '--token-cache-storage=keyring', GROUPS_SCOPE],
      { env: keyring().env },
    );
    assert.equal(logout.code, 0, logout.stderr);
    assert.deepEqual(await keyring().accounts(SERVICE), []);

    assert.equal((await getToken()).code, 0);
    assert.ok((await keyring().accounts(SERVICE)).length > 1);
    const clean = await world().run(['clean', `--token-cache-dir=${world().cacheDir}`], { env: keyring().env });
    assert.equal(clean.code, 0, clean.stderr);
    assert.match(clean.stderr, /Deleted 1 token cache entry from the OS keyring/);
    assert.deepEqual(await keyring().accounts(SERVICE), []);
  });
});
