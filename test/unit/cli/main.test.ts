/**
 * The whole CLI in-process through main(deps), with fake streams, environment
 * and clock. Only paths that need no network: errors, version, and a cache hit.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseGetTokenFast } from '../../../src/cli/fast-parse.ts';
import { VERSION } from '../../../src/cli/version.ts';
import { cacheKeyInput, computeCacheKey } from '../../../src/core/cache-key.ts';
import { toGetTokenOptions } from '../../../src/flags/login-options.ts';
import { main } from '../../../src/main.ts';
import { testDeps } from '../../support/in-process/test-deps.ts';
import { unsignedJwt } from '../../support/unsigned-jwt.ts';

const NOW_MS = Date.UTC(2030, 0, 1, 0, 0, 0);
const NOW_S = NOW_MS / 1000;
const ISSUER = 'https://issuer.invalid';
const V1_EXEC_INFO = JSON.stringify({
  kind: 'ExecCredential',
  apiVersion: 'client.authentication.k8s.io/v1',
  spec: { interactive: false },
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  stdinRead: boolean;
}

async function run(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  const run = testDeps({ argv, env, now: () => NOW_MS, userCacheDir: join(root, 'user-cache') });
  const code = await main(run.deps);
  return { code, stdout: run.stdout(), stderr: run.stderr(), stdinRead: run.stdinOpened() };
}

let root: string;
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'kubelogin-main-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

let counter = 0;
async function newCacheDir(): Promise<string> {
  const dir = join(root, `cache-${++counter}`);
  await mkdir(dir, { mode: 0o700 });
  return dir;
}

/** Writes a cache entry where get-token with `flags` looks for it. */
async function seedCache(flags: string[], cacheDir: string, idToken: string): Promise<string> {
  const fast = parseGetTokenFast(['get-token', ...flags]);
  assert.ok(fast);
  const options = toGetTokenOptions(fast.flags, { env: {}, platform: 'linux' }, () => undefined);
  assert.deepEqual(options.cache, { storage: 'disk', dir: cacheDir });
  const key = computeCacheKey(cacheKeyInput(options));
  await writeFile(join(cacheDir, key), JSON.stringify({ id_token: idToken }), { mode: 0o600 });
  return key;
}

describe('main: errors', () => {
  it('reports an unknown flag in one line, exit 1, nothing on stdout', async () => {
    const result = await run(['get-token', '--oidc-issuer-url', ISSUER, '--oidc-client-id', 'k', '--nope']);
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    const lines = result.stderr.split('\n').filter((line) => line !== '');
    assert.equal(lines[0], 'error: unknown flag: --nope');
    assert.ok(lines.length <= 2, result.stderr);
    if (lines[1] !== undefined) assert.match(lines[1], /^hint: /);
  });

  // pflag reports `unknown flag: --x` for `--x=value` too; echoing the value would also print
  // whatever was typed after "=", such as a secret behind a misspelled --oidc-client-secret.
  it('reports an unknown flag with a value by its name only, without echoing the value', async () => {
    const result = await run([
      'get-token',
      '--oidc-issuer-url',
      ISSUER,
      '--oidc-client-id',
      'k',
      '--oidc-client-secrt=very-secret-value',
    ]);
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.equal(result.stderr.split('\n')[0], 'error: unknown flag: --oidc-client-secrt');
    assert.doesNotMatch(result.stderr, /very-secret-value/);
  });

  it('reports a missing --oidc-issuer-url', async () => {
    const result = await run(['get-token', '--oidc-client-id', 'kubernetes']);
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.equal(result.stderr, 'error: --oidc-issuer-url is required\n');
  });

  it('reports a missing --oidc-client-id', async () => {
    const result = await run(['get-token', '--oidc-issuer-url', ISSUER]);
    assert.equal(result.code, 1);
    assert.equal(result.stderr, 'error: --oidc-client-id is required\n');
  });

  it('reports a KUBERNETES_EXEC_INFO that is not JSON, naming it, with nothing on stdout', async () => {
    const cacheDir = await newCacheDir();
    const result = await run(
      ['get-token', '--oidc-issuer-url', ISSUER, '--oidc-client-id', 'k', '--token-cache-dir', cacheDir],
      {
        KUBERNETES_EXEC_INFO: '{oops',
      },
    );
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    const lines = result.stderr.split('\n').filter((line) => line !== '');
    assert.match(lines[0] ?? '', /^error: .*KUBERNETES_EXEC_INFO/);
    assert.ok(lines.length <= 2, result.stderr);
  });

  it('reports an unsupported ExecCredential apiVersion', async () => {
    const result = await run(
      ['get-token', '--oidc-issuer-url', ISSUER, '--oidc-client-id', 'k', '--token-cache-dir', await newCacheDir()],
      {
        KUBERNETES_EXEC_INFO: JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1alpha1' }),
      },
    );
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /^error: KUBERNETES_EXEC_INFO .*v1alpha1/);
  });

  it('reports a malformed flag value through the commander program', async () => {
    const result = await run([
      'get-token',
      '--oidc-issuer-url',
      ISSUER,
      '--oidc-client-id',
      'k',
      '--grant-type=implicit',
    ]);
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.match(result.stderr.split('\n')[0] ?? '', /^error: .*--grant-type/);
  });
});

describe('main: version', () => {
  it('--version prints the version on stdout', async () => {
    const result = await run(['--version']);
    assert.equal(result.code, 0);
    assert.ok(result.stdout.includes(VERSION), result.stdout);
    assert.ok(result.stdout.endsWith('\n'));
    assert.equal(result.stderr, '');
  });

  it('version prints the version on stdout', async () => {
    const result = await run(['version']);
    assert.equal(result.code, 0);
    assert.equal(result.stdout, `kubelogin version ${VERSION}\n`);
    assert.equal(result.stderr, '');
  });
});

describe('main: get-token cache hit', () => {
  it('prints exactly one ExecCredential line with the cached token, apiVersion from KUBERNETES_EXEC_INFO, nothing on stderr', async () => {
    const cacheDir = await newCacheDir();
    const flags = [
      '--oidc-issuer-url',
      ISSUER,
      '--oidc-client-id',
      'kubernetes',
      '--oidc-extra-scope=email,profile',
      '--token-cache-dir',
      cacheDir,
    ];
    const idToken = unsignedJwt({ iss: ISSUER, aud: 'kubernetes', exp: NOW_S + 3600, iat: NOW_S });
    const key = await seedCache(flags, cacheDir, idToken);

    const result = await run(['get-token', ...flags], { KUBERNETES_EXEC_INFO: V1_EXEC_INFO });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, '');
    assert.equal(result.stdinRead, false);
    // expirationTimestamp is exp less the early-refresh margin (a minute for a one-hour token).
    assert.equal(
      result.stdout,
      `{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","spec":{"interactive":false},` +
        `"status":{"expirationTimestamp":"2030-01-01T00:59:00Z","token":"${idToken}"}}\n`,
    );
    assert.deepEqual(await readdir(cacheDir), [key], 'a cache hit writes nothing');
  });

  it('finds the entry whatever the order of flags and map entries', async () => {
    const cacheDir = await newCacheDir();
    const seeded = [
      '--oidc-issuer-url',
      ISSUER,
      '--oidc-client-id',
      'kubernetes',
      '--oidc-request-header',
      'a=1,b=2',
      '--token-cache-dir',
      cacheDir,
    ];
    const idToken = unsignedJwt({ exp: NOW_S + 3600, iat: NOW_S });
    await seedCache(seeded, cacheDir, idToken);

    const reordered = [
      '--token-cache-dir',
      cacheDir,
      '--oidc-request-header=b=2',
      '--oidc-client-id=kubernetes',
      '--oidc-request-header=a=1',
      `--oidc-issuer-url=${ISSUER}`,
    ];
    const result = await run(['get-token', ...reordered]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, '');
    const credential = JSON.parse(result.stdout) as { apiVersion: string; status: { token: string } };
    assert.equal(credential.status.token, idToken);
    assert.equal(credential.apiVersion, 'client.authentication.k8s.io/v1beta1', 'v1beta1 without KUBERNETES_EXEC_INFO');
  });

  it('serves the cache hit through the commander program too (a flag before the command)', async () => {
    const cacheDir = await newCacheDir();
    const flags = ['--oidc-issuer-url', ISSUER, '--oidc-client-id', 'kubernetes', '--token-cache-dir', cacheDir];
    const idToken = unsignedJwt({ exp: NOW_S + 3600, iat: NOW_S });
    await seedCache(flags, cacheDir, idToken);

    const result = await run(['-v1', 'get-token', ...flags], { KUBERNETES_EXEC_INFO: V1_EXEC_INFO });
    assert.equal(result.code, 0, result.stderr);
    assert.equal((JSON.parse(result.stdout) as { status: { token: string } }).status.token, idToken);
    assert.equal(result.stdout.split('\n').length, 2);
    assert.doesNotMatch(result.stderr, new RegExp(idToken.slice(0, 20)), 'the token never reaches stderr');
    assert.match(result.stderr, /^warning: log level 1/);
  });
});
