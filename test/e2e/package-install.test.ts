/**
 * The package as users get it: `npm pack` (which builds through `prepack`), a global install into a
 * temporary prefix, and the installed executables logging in against the test provider.
 *
 * This file tests the npm package itself, so it runs what npm installed and not the CLI that
 * cli-command.ts starts: KUBELOGIN_CLI does not apply here.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { HTTP_LOGIN_COMMAND } from '../support/browser/drivers.ts';
import { getTokenArgs } from '../support/get-token-args.ts';
import { parseExecCredential } from '../support/run-cli.ts';
import { describeRun, runProcess } from '../support/run-process.ts';
import { worldForAll } from '../support/world.ts';

/** The project root, where `npm pack` runs. */
const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** npm may fetch dependencies it has not cached: about 30 s on a slow network, far less usually. */
const NPM_TIMEOUT_MS = 180_000;
/** Pack and install together, with room for both npm runs. */
const SETUP_TIMEOUT_MS = 2 * NPM_TIMEOUT_MS + 10_000;
/** One installed-CLI run; a login takes a second or two. */
const RUN_TIMEOUT_MS = 60_000;
/** A login that has not finished by then has failed. */
const AUTHENTICATION_TIMEOUT_SEC = 30;
/** The executables package.json declares. */
const EXECUTABLES = ['kubelogin', 'kubectl-oidc_login'];
/** Directories that belong in the tarball, and those that must stay out of it. */
const REQUIRED_DIRS = ['bin/', 'dist/'];
const FORBIDDEN_DIRS = ['src/', 'test/', 'scripts/', 'node_modules/'];

/** The part of `npm pack --json` this test reads. */
interface PackResult {
  filename: string;
  files: Array<{ path: string }>;
}

/** This process's environment without a test runner's loader, and with this node first on PATH. */
function npmEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base, PATH: [dirname(process.execPath), base['PATH'] ?? ''].join(delimiter) };
  delete env['NODE_OPTIONS'];
  return env;
}

async function npm(args: string[], cwd: string): Promise<string> {
  const result = await runProcess('npm', args, { cwd, env: npmEnv(), timeoutMs: NPM_TIMEOUT_MS });
  assert.equal(result.code, 0, describeRun(`npm ${args.join(' ')}`, result));
  return result.stdout;
}

describe('the npm package', () => {
  let workDir: string;
  let packed: PackResult;
  let prefix: string;
  let version: string;

  before(
    async () => {
      workDir = await mkdtemp(join(tmpdir(), 'kubelogin-package-'));
      version = (JSON.parse(await readFile(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
      const [result] = JSON.parse(
        await npm(['pack', '--json', '--pack-destination', workDir], PROJECT_ROOT),
      ) as PackResult[];
      assert.ok(result, 'npm pack reported no tarball');
      packed = result;
      prefix = join(workDir, 'prefix');
      // An absolute path: npm reads a relative `dir/name.tgz` as a GitHub repository.
      await npm(
        [
          'install',
          '-g',
          '--prefix',
          prefix,
          '--prefer-offline',
          '--no-audit',
          '--no-fund',
          join(workDir, packed.filename),
        ],
        workDir,
      );
    },
    { timeout: SETUP_TIMEOUT_MS },
  );

  after(async () => {
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  test('the tarball holds bin/ and dist/, and no sources or tests', () => {
    const paths = packed.files.map((file) => file.path);
    for (const dir of REQUIRED_DIRS)
      assert.ok(
        paths.some((path) => path.startsWith(dir)),
        `${dir} missing from ${paths.join(', ')}`,
      );
    for (const dir of FORBIDDEN_DIRS)
      assert.deepEqual(
        paths.filter((path) => path.startsWith(dir)),
        [],
        `${dir} must not be packed`,
      );
    assert.ok(paths.includes('bin/kubelogin.cjs'), 'the executable is packed');
    assert.ok(paths.includes('package.json'));
  });

  for (const executable of EXECUTABLES) {
    test(`${executable} --version prints the package version`, { timeout: RUN_TIMEOUT_MS }, async () => {
      const result = await runProcess(join(prefix, 'bin', executable), ['--version'], {
        env: npmEnv(),
        timeoutMs: RUN_TIMEOUT_MS,
      });
      assert.equal(result.code, 0, describeRun(`${executable} --version`, result));
      // As the version command (and the Go tool's cobra template) print it.
      assert.equal(result.stdout.trim(), `kubelogin version ${version}`);
    });
  }

  test('kubectl_complete-oidc_login answers kubectl 1.26+ with the completions of kubectl oidc-login', {
    timeout: RUN_TIMEOUT_MS,
  }, async () => {
    const result = await runProcess(join(prefix, 'bin', 'kubectl_complete-oidc_login'), ['get-'], {
      env: npmEnv(),
      timeoutMs: RUN_TIMEOUT_MS,
    });
    assert.equal(result.code, 0, describeRun('kubectl_complete-oidc_login get-', result));
    assert.match(result.stdout, /^get-token\t.*\n:4\n$/);
  });

  describe('the installed kubelogin get-token', () => {
    // The world's runner is not used: this file runs what npm installed.
    const world = worldForAll({ runner: 'subprocess' });

    test('logs in cold, then answers from the cache', { timeout: 2 * RUN_TIMEOUT_MS }, async () => {
      const { provider, env } = world();
      const args = getTokenArgs({
        issuer: provider.issuer,
        browserCommand: HTTP_LOGIN_COMMAND,
        authenticationTimeoutSec: AUTHENTICATION_TIMEOUT_SEC,
      });
      const run = () =>
        runProcess(join(prefix, 'bin', 'kubelogin'), args, { env: npmEnv(env), timeoutMs: RUN_TIMEOUT_MS });

      const cold = await run();
      assert.equal(cold.code, 0, describeRun('kubelogin get-token (cold)', cold));
      const first = parseExecCredential(cold.stdout);
      assert.equal(first.kind, 'ExecCredential');
      assert.equal(provider.counts.authorizations, 1, 'the cold run logs in');

      const warm = await run();
      assert.equal(warm.code, 0, describeRun('kubelogin get-token (cache hit)', warm));
      assert.equal(warm.stderr, '', 'a cache hit is quiet');
      assert.equal(
        parseExecCredential(warm.stdout).status.token,
        first.status.token,
        'the cached token is handed out again',
      );
      assert.deepEqual(provider.counts, {
        authorizations: 1,
        codeExchanges: 1,
        refreshes: 0,
        refreshErrors: 0,
        passwordGrants: 0,
        devicePolls: 0,
        deviceApprovals: 0,
        clientCredentialsGrants: 0,
      });
    });
  });
});
