/**
 * The cache-hit path loads only the CLI's own bundle: no ES module loader
 * (so no openid-client, jose or other slow-path module), no node:http,
 * node:https, undici or node:crypto, and no stream for stdout (it is written
 * to its descriptor).
 *
 * This is a property of the npm build (bin/kubelogin.cjs and its bundle,
 * watched through Node's own module lists), so these runs are always the npm
 * build under this node, whatever KUBELOGIN_CLI says.
 */
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { NPM_CLI, NPM_CLI_PATH } from '../support/cli-command.ts';
import { TEST_CLIENTS } from '../support/provider/test-provider.ts';
import { unsignedJwt } from '../support/unsigned-jwt.ts';
import { worldForAll } from '../support/world.ts';

/** Built-in modules a cache hit must not load, as named in process.moduleLoadList. */
const FORBIDDEN_BUILTINS = [
  'NativeModule http',
  'NativeModule https',
  'NativeModule internal/deps/undici/undici',
  'NativeModule crypto',
  'NativeModule internal/modules/esm/loader',
  // What process.stdout builds on a pipe.
  'NativeModule stream',
  'NativeModule net',
];

/** Preloaded with --require: records what the process loaded, at exit. */
const RECORDER = `process.on('exit', () => require('node:fs').writeFileSync(process.env.MODULE_RECORD, JSON.stringify({ builtins: process.moduleLoadList, files: Object.keys(require.cache) })));`;

describe('modules loaded by a cache hit', () => {
  const world = worldForAll({ runner: 'subprocess' });
  let recorder: string;
  before(async () => {
    recorder = join(world().home.home, 'recorder.cjs');
    await writeFile(recorder, RECORDER);
  });

  async function record(
    args?: string[],
    env: NodeJS.ProcessEnv = {},
  ): Promise<{ builtins: string[]; files: string[] }> {
    const output = join(world().home.home, 'modules.json');
    const options = { cli: NPM_CLI, env: { ...env, NODE_OPTIONS: `--require ${recorder}`, MODULE_RECORD: output } };
    const result = args === undefined ? await world().getToken([], options) : await world().run(args, options);
    assert.equal(result.code, 0, result.stderr);
    return JSON.parse(await readFile(output, 'utf8'));
  }

  it('loads the slow path on a miss (the recorder sees it)', async () => {
    const miss = await record();
    assert.ok(miss.builtins.includes('NativeModule internal/modules/esm/loader'));
    assert.ok(miss.builtins.includes('NativeModule http'));
  });

  it('loads only bin/ and the hot bundle on a hit, and no network or verification module', async () => {
    const hit = await record();
    const bundle = fileURLToPath(new URL('../../dist/kubelogin.cjs', import.meta.url));
    assert.deepEqual(hit.files.filter((file) => file !== recorder).sort(), [NPM_CLI_PATH, bundle].sort());
    for (const builtin of FORBIDDEN_BUILTINS) assert.ok(!hit.builtins.includes(builtin), `${builtin} was loaded`);
  });

  it("loads only bin/ and the hot bundle on a hit whose issuer and client ID come from the cluster's exec extension", async () => {
    // The same settings as the world's flags, so this hits the entry the runs above left.
    const shared = world().args.filter((arg) => !/^--oidc-(issuer-url|client-id)=/.test(arg));
    const execInfo = JSON.stringify({
      kind: 'ExecCredential',
      apiVersion: 'client.authentication.k8s.io/v1',
      spec: {
        interactive: false,
        cluster: {
          server: 'https://prod.example:6443',
          config: { 'oidc-issuer-url': world().provider.issuer, 'oidc-client-id': TEST_CLIENTS.native },
        },
      },
    });
    const hit = await record(shared, { KUBERNETES_EXEC_INFO: execInfo });
    const bundle = fileURLToPath(new URL('../../dist/kubelogin.cjs', import.meta.url));
    assert.deepEqual(hit.files.filter((file) => file !== recorder).sort(), [NPM_CLI_PATH, bundle].sort());
    for (const builtin of FORBIDDEN_BUILTINS) assert.ok(!hit.builtins.includes(builtin), `${builtin} was loaded`);
  });

  it('loads only bin/ and the hot bundle for --grant-type=token-file without an issuer, which reads the file on every run', async () => {
    const tokenFile = join(world().home.home, 'projected-token');
    const now = Math.floor(Date.now() / 1000);
    await writeFile(tokenFile, unsignedJwt({ aud: 'kubernetes', iat: now, exp: now + 3600 }));
    const run = await record(['get-token', '--grant-type=token-file', `--token-file=${tokenFile}`]);
    const bundle = fileURLToPath(new URL('../../dist/kubelogin.cjs', import.meta.url));
    assert.deepEqual(run.files.filter((file) => file !== recorder).sort(), [NPM_CLI_PATH, bundle].sort());
    for (const builtin of FORBIDDEN_BUILTINS) assert.ok(!run.builtins.includes(builtin), `${builtin} was loaded`);
  });
});
