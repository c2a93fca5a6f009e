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
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { NPM_CLI, NPM_CLI_PATH } from '../support/cli-command.ts';
import { type CliFixture, startCliFixture } from '../support/cli-fixture.ts';
import { runCli } from '../support/run-cli.ts';
import { unsignedJwt } from '../support/unsigned-jwt.ts';

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
  let fixture: CliFixture;
  let recorder: string;

  before(async () => {
    fixture = await startCliFixture();
    recorder = join(fixture.home.home, 'recorder.cjs');
    await writeFile(recorder, RECORDER);
  });
  after(() => fixture.close());

  async function record(args?: string[]): Promise<{ builtins: string[]; files: string[] }> {
    const output = join(fixture.home.home, 'modules.json');
    const options = {
      cli: NPM_CLI,
      env: { ...fixture.env, NODE_OPTIONS: `--require ${recorder}`, MODULE_RECORD: output },
    };
    const result = args === undefined ? await fixture.getToken([], options) : await runCli(args, options);
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

  it('loads only bin/ and the hot bundle for --grant-type=token-file without an issuer, which reads the file on every run', async () => {
    const tokenFile = join(fixture.home.home, 'projected-token');
    const now = Math.floor(Date.now() / 1000);
    await writeFile(tokenFile, unsignedJwt({ aud: 'kubernetes', iat: now, exp: now + 3600 }));
    const run = await record(['get-token', '--grant-type=token-file', `--token-file=${tokenFile}`]);
    const bundle = fileURLToPath(new URL('../../dist/kubelogin.cjs', import.meta.url));
    assert.deepEqual(run.files.filter((file) => file !== recorder).sort(), [NPM_CLI_PATH, bundle].sort());
    for (const builtin of FORBIDDEN_BUILTINS) assert.ok(!run.builtins.includes(builtin), `${builtin} was loaded`);
  });
});
