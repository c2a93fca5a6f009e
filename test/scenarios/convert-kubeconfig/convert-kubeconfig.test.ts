/**
 * `kubelogin convert-kubeconfig`: users of the removed `auth-provider: oidc` become exec users
 * running `kubelogin get-token`, their tokens seed the cache, and get-token with the converted args
 * answers from it with no login.
 */
import assert from 'node:assert/strict';
import { chmod, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { entryFiles } from '../../support/cache-entries.ts';
import { entriesNamed, type KubeconfigData, parseKubeconfig } from '../../support/cluster/kubeconfig-samples.ts';
import { type LegacyTokens, legacyUserYaml, loginForTokens } from '../../support/cluster/legacy-kubeconfig.ts';
import { lineDiff } from '../../support/cluster/line-diff.ts';
import { createSelfSignedCertificate } from '../../support/provider/self-signed-certificate.ts';
import { TEST_CLIENTS } from '../../support/provider/test-provider.ts';
import { type CliResult, parseExecCredential } from '../../support/run-cli.ts';
import { oneLineErrorProblem } from '../../support/setup-output.ts';
import { expiredUnsignedJwt } from '../../support/unsigned-jwt.ts';
import { worldForAll } from '../../support/world.ts';

/** Logins and a few CLI runs per test; a hang fails the test instead of stalling the suite. */
const TEST_TIMEOUT_MS = 60_000;
/** ID tokens outlive the whole file, so that the seeded ones are served as they are. */
const ID_TOKEN_TTL = 600;
/**
 * A cache hit or a refresh takes well under a second. The converted args name no browser driver,
 * so a get-token that wrongly starts a login would wait for a person: it is killed at this bound.
 */
const GET_TOKEN_TIMEOUT_MS = 15_000;
const BOB_SECRET = 'bob-secret';
const DAVE_CA_FILE = '/etc/kubelogin-test/dave-ca.pem';

const world = worldForAll({ provider: { idTokenTTL: ID_TOKEN_TTL } });
let alice: LegacyTokens;
let bob: LegacyTokens;
let carol: LegacyTokens;
let caData: string;
let counter = 0;

/** The legacy users' blocks, by name; carol's refresh token may be used once only (it rotates). */
function legacyBlocks(carolTokens: LegacyTokens = carol): Record<string, string> {
  return {
    'legacy-alice': legacyUserYaml('legacy-alice', {
      'idp-issuer-url': world().provider.issuer,
      'client-id': TEST_CLIENTS.native,
      'extra-scopes': 'email,offline_access',
      'id-token': alice.idToken,
      'refresh-token': alice.refreshToken,
    }),
    'legacy-bob': legacyUserYaml('legacy-bob', {
      'idp-issuer-url': world().provider.issuer,
      'client-id': TEST_CLIENTS.native,
      'client-secret': BOB_SECRET,
      'extra-scopes': 'email',
      'idp-certificate-authority-data': caData,
      'id-token': bob.idToken,
      'refresh-token': bob.refreshToken,
    }),
    // The ID token has expired; the refresh token is good. Another scope than alice's, so another cache key.
    'legacy-carol': legacyUserYaml('legacy-carol', {
      'idp-issuer-url': world().provider.issuer,
      'client-id': TEST_CLIENTS.native,
      'extra-scopes': 'email,offline_access,profile',
      'id-token': expiredUnsignedJwt(),
      'refresh-token': carolTokens.refreshToken,
    }),
    // No tokens at all, a CA file instead of data.
    'legacy-dave': legacyUserYaml('legacy-dave', {
      'idp-issuer-url': world().provider.issuer,
      'client-id': TEST_CLIENTS.native,
      'idp-certificate-authority': DAVE_CA_FILE,
    }),
  };
}

const TOKEN_USER = `- name: token-user
  user:
    token: static-token # not an OIDC user
`;

/** A kubeconfig with the legacy users and an unrelated token user, each with a context. */
function legacyKubeconfig(blocks: Record<string, string> = legacyBlocks()): string {
  const names = [...Object.keys(blocks), 'token-user'];
  return [
    '# A kubeconfig from the days of auth-provider oidc.',
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- cluster:',
    '    server: https://127.0.0.1:6443',
    '  name: k',
    'contexts:',
    ...names.flatMap((name) => ['- context:', '    cluster: k', `    user: ${name}`, `  name: ${name}-ctx`]),
    'current-context: legacy-alice-ctx',
    'preferences: {}',
    'users:',
    ...Object.values(blocks).map((block) => block.trimEnd()),
    TOKEN_USER.trimEnd(),
    '',
  ].join('\n');
}

/** A fresh directory with `kubeconfig.yaml` holding `text`; returns the paths. */
async function kubeconfigIn(text: string): Promise<{ dir: string; path: string; cacheDir: string }> {
  const dir = join(world().home.home, `case-${++counter}`);
  await mkdir(dir, { recursive: true });
  const path = join(dir, 'kubeconfig.yaml');
  await writeFile(path, text, { mode: 0o600 });
  return { dir, path, cacheDir: join(dir, 'token-cache') };
}

/** The environment of a test's CLI runs: HOME is the test's directory; a browser that would open fails at once. */
function envFor(dir: string): NodeJS.ProcessEnv {
  return { HOME: dir, LOGIN_LOG: join(dir, 'browser-runs.log'), BROWSER: '/bin/false' };
}

/** Runs the CLI with `args` in the test's directory `dir`. */
function runIn(dir: string, args: readonly string[], timeoutMs?: number): Promise<CliResult> {
  return world().run(args, { env: envFor(dir), ...(timeoutMs === undefined ? {} : { timeoutMs }) });
}

/** Runs convert-kubeconfig. */
function convert(dir: string, args: readonly string[]): Promise<CliResult> {
  return runIn(dir, ['convert-kubeconfig', ...args]);
}

/** The exec block of a converted user. */
function execOf(
  data: KubeconfigData,
  name: string,
): { command: string; args: string[]; apiVersion: string; interactiveMode: string } {
  const [entry] = entriesNamed(data, 'users', name);
  assert.ok(entry !== undefined, `no user ${name}`);
  assert.equal(entry.user['auth-provider'], undefined, `${name} still has an auth-provider`);
  const exec = entry.user['exec'] as
    | { command: string; args: string[]; apiVersion: string; interactiveMode: string }
    | undefined;
  assert.ok(exec !== undefined, `${name} has no exec block`);
  return exec;
}

/** How many times a login driver ran for the test in `dir`. */
async function browserRuns(dir: string): Promise<number> {
  const log = await readFile(join(dir, 'browser-runs.log'), 'utf8').catch(() => '');
  return log.split('\n').filter((line) => line !== '').length;
}

/** Sorted, for comparing args whatever the order of flags after `get-token`. */
function sortedArgs(args: readonly string[]): string[] {
  assert.equal(args[0], 'get-token');
  return [...args].sort();
}

describe('convert-kubeconfig', () => {
  // The legacy users' tokens, from real logins, and a CA of their provider: the same for every test.
  before(async () => {
    alice = await loginForTokens(world(), 'alice');
    bob = await loginForTokens(world(), 'bob');
    carol = await loginForTokens(world(), 'carol');
    caData = Buffer.from((await createSelfSignedCertificate()).cert).toString('base64');
  });

  it('converts every auth-provider oidc user, leaves the rest alone, keeps a backup and reports each conversion', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const original = legacyKubeconfig();
    const { dir, path, cacheDir } = await kubeconfigIn(original);
    const result = await convert(dir, [`--kubeconfig=${path}`, `--token-cache-dir=${cacheDir}`]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, '');

    const data = parseKubeconfig(await readFile(path, 'utf8'));
    const base = [
      `--oidc-issuer-url=${world().provider.issuer}`,
      `--oidc-client-id=${TEST_CLIENTS.native}`,
      `--token-cache-dir=${cacheDir}`,
    ];
    const expected: Record<string, string[]> = {
      'legacy-alice': ['get-token', ...base, '--oidc-extra-scope=email', '--oidc-extra-scope=offline_access'],
      'legacy-bob': [
        'get-token',
        ...base,
        `--oidc-client-secret=${BOB_SECRET}`,
        '--oidc-extra-scope=email',
        `--certificate-authority-data=${caData}`,
      ],
      'legacy-carol': [
        'get-token',
        ...base,
        '--oidc-extra-scope=email',
        '--oidc-extra-scope=offline_access',
        '--oidc-extra-scope=profile',
      ],
      'legacy-dave': ['get-token', ...base, `--certificate-authority=${DAVE_CA_FILE}`],
    };
    for (const [name, args] of Object.entries(expected)) {
      const exec = execOf(data, name);
      assert.equal(exec.command, 'kubelogin');
      assert.equal(exec.apiVersion, 'client.authentication.k8s.io/v1');
      assert.equal(exec.interactiveMode, 'IfAvailable', 'a browser login may offer its paste prompt');
      assert.deepEqual(sortedArgs(exec.args), [...args].sort(), name);
    }
    assert.deepEqual(entriesNamed(data, 'users', 'token-user'), [
      { name: 'token-user', user: { token: 'static-token' } },
    ]);
    assert.equal((data.users ?? []).length, 5, 'users were added or lost');

    // Only the legacy users' own lines changed; clusters, contexts, the token user and the comments are as they were.
    const legacyLines = new Set(Object.values(legacyBlocks()).flatMap((block) => block.split('\n')));
    const { removed } = lineDiff(original, await readFile(path, 'utf8'));
    assert.deepEqual(
      removed.filter((line) => !legacyLines.has(line) && !/^\s+(id|refresh)-token: /.test(line)),
      [],
    );
    assert.equal(await readFile(`${path}.kubelogin-backup`, 'utf8'), original);

    for (const name of ['legacy-alice', 'legacy-bob', 'legacy-carol']) {
      assert.match(result.stderr, new RegExp(`^Converted the user ${name} .*kubelogin get-token`, 'm'), result.stderr);
    }
    assert.match(result.stderr, /^Converted the user legacy-dave to kubelogin get-token\.$/m, result.stderr);
    assert.match(result.stderr, new RegExp(`^Wrote ${path} .*${path}\\.kubelogin-backup`, 'm'), result.stderr);

    // One cache entry per user with tokens, holding exactly the old kubeconfig's tokens.
    const entries = await Promise.all(
      (await entryFiles(cacheDir)).map(
        async (file) => JSON.parse(await readFile(join(cacheDir, file), 'utf8')) as Record<string, string>,
      ),
    );
    const byIdToken = new Map(entries.map((entry) => [entry['id_token'], entry]));
    assert.equal(entries.length, 3);
    assert.deepEqual(byIdToken.get(alice.idToken), { id_token: alice.idToken, refresh_token: alice.refreshToken });
    assert.deepEqual(byIdToken.get(bob.idToken), { id_token: bob.idToken, refresh_token: bob.refreshToken });
    assert.ok(
      entries.some((entry) => entry['refresh_token'] === carol.refreshToken && entry['id_token'] !== undefined),
      "carol's tokens were not seeded",
    );
  });

  it('get-token with exactly the converted args answers from the cache with the old ID token, no login', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const { dir, path, cacheDir } = await kubeconfigIn(legacyKubeconfig());
    const converted = await convert(dir, [`--kubeconfig=${path}`, `--token-cache-dir=${cacheDir}`]);
    assert.equal(converted.code, 0, converted.stderr);
    const data = parseKubeconfig(await readFile(path, 'utf8'));
    const before = { ...world().provider.counts };

    for (const [name, tokens] of [
      ['legacy-alice', alice],
      ['legacy-bob', bob],
    ] as const) {
      const result = await runIn(dir, execOf(data, name).args, GET_TOKEN_TIMEOUT_MS);
      assert.equal(result.code, 0, `${name}: ${result.stderr}`);
      assert.equal(result.stderr, '', name);
      assert.equal(parseExecCredential(result.stdout).status.token, tokens.idToken, name);
    }
    assert.equal(await browserRuns(dir), 0, 'a browser was opened');
    assert.deepEqual(world().provider.counts, before, 'the provider was asked');
  });

  it('a converted user whose ID token expired refreshes with its old refresh token, no browser', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    // A refresh token of its own: refreshing rotates it, so it serves one test only.
    const { dir, path, cacheDir } = await kubeconfigIn(
      legacyKubeconfig(legacyBlocks(await loginForTokens(world(), 'carol'))),
    );
    assert.equal((await convert(dir, [`--kubeconfig=${path}`, `--token-cache-dir=${cacheDir}`])).code, 0);
    const before = { ...world().provider.counts };
    const args = execOf(parseKubeconfig(await readFile(path, 'utf8')), 'legacy-carol').args;
    const result = await runIn(dir, args, GET_TOKEN_TIMEOUT_MS);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(decodeJwt(parseExecCredential(result.stdout).status.token).sub, 'carol');
    assert.equal(world().provider.counts.refreshes, before.refreshes + 1);
    assert.equal(world().provider.counts.authorizations, before.authorizations, 'a new login happened');
    assert.equal(await browserRuns(dir), 0);
  });

  // Two legacy users of the same provider, client and scopes but different people (an everyday
  // account and an admin account, say) had their own tokens in the old kubeconfig. Converted, they
  // must still be two identities: neither may silently start acting as the other.
  it('keeps two legacy users with identical settings apart: each still gets its own ID token', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const zed = await loginForTokens(world(), 'zed');
    const config = {
      'idp-issuer-url': world().provider.issuer,
      'client-id': TEST_CLIENTS.native,
      'extra-scopes': 'email,offline_access',
    };
    const original = legacyKubeconfig({
      'legacy-alice': legacyUserYaml('legacy-alice', {
        ...config,
        'id-token': alice.idToken,
        'refresh-token': alice.refreshToken,
      }),
      'legacy-zed': legacyUserYaml('legacy-zed', {
        ...config,
        'id-token': zed.idToken,
        'refresh-token': zed.refreshToken,
      }),
    });
    const { dir, path, cacheDir } = await kubeconfigIn(original);
    const result = await convert(dir, [`--kubeconfig=${path}`, `--token-cache-dir=${cacheDir}`]);
    assert.equal(result.code, 0, result.stderr);
    const data = parseKubeconfig(await readFile(path, 'utf8'));
    const subjects: Record<string, unknown> = {};
    for (const name of ['legacy-alice', 'legacy-zed']) {
      const token = await runIn(dir, execOf(data, name).args, GET_TOKEN_TIMEOUT_MS);
      assert.equal(token.code, 0, token.stderr);
      subjects[name] = decodeJwt(parseExecCredential(token.stdout).status.token).sub;
    }
    assert.deepEqual(
      subjects,
      { 'legacy-alice': 'alice', 'legacy-zed': 'zed' },
      `after conversion one user acts as the other; stderr of the conversion:\n${result.stderr}`,
    );
  });

  it('without --token-cache-dir seeds the default cache under HOME and passes no cache flag on', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const { dir, path } = await kubeconfigIn(legacyKubeconfig());
    const result = await convert(dir, [`--kubeconfig=${path}`]);
    assert.equal(result.code, 0, result.stderr);
    const args = execOf(parseKubeconfig(await readFile(path, 'utf8')), 'legacy-alice').args;
    assert.ok(!args.some((arg) => arg.startsWith('--token-cache-dir')), JSON.stringify(args));
    assert.equal((await entryFiles(join(dir, '.kube', 'cache', 'oidc-login'))).length, 3);

    const before = { ...world().provider.counts };
    const token = await runIn(dir, args, GET_TOKEN_TIMEOUT_MS);
    assert.equal(token.code, 0, token.stderr);
    assert.equal(parseExecCredential(token.stdout).status.token, alice.idToken);
    assert.deepEqual(world().provider.counts, before);
  });

  it('reads KUBECONFIG when --kubeconfig is not given', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { dir, path, cacheDir } = await kubeconfigIn(legacyKubeconfig());
    const result = await world().run(['convert-kubeconfig', `--token-cache-dir=${cacheDir}`], {
      env: { ...envFor(dir), KUBECONFIG: path },
    });
    assert.equal(result.code, 0, result.stderr);
    execOf(parseKubeconfig(await readFile(path, 'utf8')), 'legacy-alice');
  });

  it('--user converts only that user', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { dir, path, cacheDir } = await kubeconfigIn(legacyKubeconfig());
    const result = await convert(dir, [`--kubeconfig=${path}`, `--token-cache-dir=${cacheDir}`, '--user=legacy-bob']);
    assert.equal(result.code, 0, result.stderr);
    const data = parseKubeconfig(await readFile(path, 'utf8'));
    execOf(data, 'legacy-bob');
    for (const name of ['legacy-alice', 'legacy-carol', 'legacy-dave']) {
      assert.equal(
        (entriesNamed(data, 'users', name)[0]?.user['auth-provider'] as { name?: string } | undefined)?.name,
        'oidc',
        `${name} was converted`,
      );
    }
    assert.deepEqual(result.stderr.match(/^Converted the user (\S+)/gm), ['Converted the user legacy-bob']);
    assert.equal((await entryFiles(cacheDir)).length, 1);
  });

  it('--context converts only the user of that context', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { dir, path, cacheDir } = await kubeconfigIn(legacyKubeconfig());
    const result = await convert(dir, [
      `--kubeconfig=${path}`,
      `--token-cache-dir=${cacheDir}`,
      '--context=legacy-alice-ctx',
    ]);
    assert.equal(result.code, 0, result.stderr);
    const data = parseKubeconfig(await readFile(path, 'utf8'));
    execOf(data, 'legacy-alice');
    assert.equal(
      (entriesNamed(data, 'users', 'legacy-bob')[0]?.user['auth-provider'] as { name?: string } | undefined)?.name,
      'oidc',
    );
    assert.deepEqual(result.stderr.match(/^Converted the user (\S+)/gm), ['Converted the user legacy-alice']);
  });

  /** Runs convert with `args` on a fresh legacy kubeconfig and asserts a one-line error, the file and cache untouched. */
  async function assertRefused(args: readonly string[], mentions: readonly string[]): Promise<CliResult> {
    const original = legacyKubeconfig();
    const { dir, path, cacheDir } = await kubeconfigIn(original);
    const result = await convert(dir, [`--kubeconfig=${path}`, `--token-cache-dir=${cacheDir}`, ...args]);
    assert.notEqual(result.code, 0);
    assert.equal(result.stdout, '');
    assert.equal(oneLineErrorProblem(result.stderr, mentions), undefined);
    assert.equal(await readFile(path, 'utf8'), original, 'the kubeconfig was changed');
    assert.deepEqual(await readdir(dir), ['kubeconfig.yaml'], 'a backup, temporary file or cache was written');
    return result;
  }

  it('an unknown user is a one-line error, the file untouched', { timeout: TEST_TIMEOUT_MS }, async () => {
    await assertRefused(['--user=nobody'], ['nobody']);
  });

  it('an unknown context is a one-line error, the file untouched', { timeout: TEST_TIMEOUT_MS }, async () => {
    await assertRefused(['--context=nowhere'], ['nowhere']);
  });

  it('--user naming a user that does not use auth-provider oidc is an error, the file untouched', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    await assertRefused(['--user=token-user'], ['token-user']);
  });

  it('a legacy user without idp-issuer-url is an error naming the user and the key, the file untouched', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const original = legacyKubeconfig({
      ...legacyBlocks(),
      'legacy-eve': legacyUserYaml('legacy-eve', { 'client-id': TEST_CLIENTS.native }),
    });
    const { dir, path } = await kubeconfigIn(original);
    const result = await convert(dir, [`--kubeconfig=${path}`]);
    assert.notEqual(result.code, 0);
    assert.equal(oneLineErrorProblem(result.stderr, ['legacy-eve', 'idp-issuer-url']), undefined);
    assert.equal(await readFile(path, 'utf8'), original);
    assert.ok(!(await readdir(dir)).includes('kubeconfig.yaml.kubelogin-backup'));
  });

  it('a kubeconfig with no legacy user: says nothing changed and writes nothing', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const original = legacyKubeconfig({});
    const { dir, path, cacheDir } = await kubeconfigIn(original);
    const result = await convert(dir, [`--kubeconfig=${path}`, `--token-cache-dir=${cacheDir}`]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /nothing changed/);
    assert.equal(await readFile(path, 'utf8'), original);
    assert.deepEqual(await readdir(dir), ['kubeconfig.yaml']);
  });

  it('malformed YAML: a one-line error naming the file, untouched, no backup', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const malformed = `${legacyKubeconfig()}  - stray: [unclosed\n`;
    const { dir, path } = await kubeconfigIn(malformed);
    const result = await convert(dir, [`--kubeconfig=${path}`]);
    assert.equal(result.code, 1);
    assert.equal(oneLineErrorProblem(result.stderr, [path]), undefined);
    assert.equal(await readFile(path, 'utf8'), malformed);
    assert.deepEqual(await readdir(dir), ['kubeconfig.yaml']);
  });

  it('a missing kubeconfig is a one-line error naming it, and creates nothing', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const { dir } = await kubeconfigIn('');
    const missing = join(dir, 'missing.yaml');
    const result = await convert(dir, [`--kubeconfig=${missing}`]);
    assert.equal(result.code, 1);
    assert.equal(oneLineErrorProblem(result.stderr, [missing]), undefined);
    assert.deepEqual(await readdir(dir), ['kubeconfig.yaml']);
  });

  // Tests run as root, which may write any file: the CLI honours the mode bits on purpose.
  it('a read-only kubeconfig is an error naming it, left untouched', { timeout: TEST_TIMEOUT_MS }, async () => {
    const original = legacyKubeconfig();
    const { dir, path, cacheDir } = await kubeconfigIn(original);
    await chmod(path, 0o444);
    const result = await convert(dir, [`--kubeconfig=${path}`, `--token-cache-dir=${cacheDir}`]);
    assert.equal(result.code, 1);
    assert.equal(oneLineErrorProblem(result.stderr, [path]), undefined);
    assert.match(result.stderr, /read-only/);
    assert.equal(await readFile(path, 'utf8'), original);
    assert.ok(!(await readdir(dir)).includes('kubeconfig.yaml.kubelogin-backup'));
  });
});
