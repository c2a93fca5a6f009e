/**
 * A cache hit of the standalone executable evaluates only the hot path, as hot-path-modules pins
 * for the npm build: the chunk the entry imports statically, no chunk that only `import()`
 * reaches, and no package (commander, openid-client, undici, jose, yaml, the keyring loader).
 *
 * The executable of this machine's platform is compiled here by the release's compile step, with
 * the build's metafile (which chunk holds which modules). The runtime's module loader names each
 * module it evaluates when BUN_JSC_dumpModuleLoadingState is set. The login goes through the npm
 * build, so the hit also shows that both builds compute the same cache key.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { platformOf } from '../../scripts/release/platforms.mjs';
import { NPM_CLI } from '../support/cli-command.ts';
import { parseExecCredential, runCli } from '../support/run-cli.ts';
import { describeRun, runProcess } from '../support/run-process.ts';
import { unsignedJwt } from '../support/unsigned-jwt.ts';
import { worldForAll } from '../support/world.ts';

/** The repository's root. */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Makes the runtime's module loader print `Loader [evaluate] <module>` for each module it evaluates. */
const MODULE_LOADING_DUMP = { BUN_JSC_dumpModuleLoadingState: '1' };
/** What the module loader prints for each module it evaluates. */
const EVALUATE_LINE = /^Loader \[evaluate\] (.+)$/gm;
/** Where the executable's embedded files live, as its module loader names them. */
const EMBEDDED_ROOT = '/$bunfs/root/';
/** A key input beyond ASCII: the npm build hashes it with JavaScript, the executable natively. */
const NON_ASCII_PARAMETER = '--oidc-auth-request-extra-params=note=Zoë-名前';
/** Compiling and a login take a few seconds; this leaves room for a loaded machine. */
const RUN_TIMEOUT_MS = 60_000;

/** The part of Bun's metafile this test reads. */
interface Metafile {
  outputs: Record<string, { inputs: Record<string, unknown>; imports: { path: string; kind: string }[] }>;
}

describe('a cache hit of the standalone executable', () => {
  const world = worldForAll();
  let executable: string;
  let metafile: Metafile;
  let args: string[];

  before(async () => {
    const platform = platformOf(process.platform, process.arch);
    if (!platform) throw new Error(`no release executable runs on ${process.platform} ${process.arch}`);
    const dir = world().home.home;
    executable = join(dir, platform.executable);
    const metafilePath = join(dir, 'metafile.json');
    const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version as string;
    execFileSync(
      join(ROOT, 'node_modules/.bin/bun'),
      ['scripts/release/compile.mjs', platform.bunTarget, executable, version, '--metafile', metafilePath],
      { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] },
    );
    metafile = JSON.parse(readFileSync(metafilePath, 'utf8'));
    args = [...world().args, NON_ASCII_PARAMETER];
    const login = await runCli(args, { cli: NPM_CLI, env: world().env, timeoutMs: RUN_TIMEOUT_MS });
    assert.equal(login.code, 0, describeRun('the login by the npm build', login));
  });

  /** Runs the executable with `runArgs`; returns what it printed and the chunks it evaluated. */
  async function run(runArgs: readonly string[]): Promise<{ stdout: string; evaluated: string[] }> {
    const result = await runProcess(executable, runArgs, {
      env: { ...world().env, ...MODULE_LOADING_DUMP },
      timeoutMs: RUN_TIMEOUT_MS,
    });
    assert.equal(result.code, 0, describeRun('the executable', result));
    const evaluated = [...result.stderr.matchAll(EVALUATE_LINE)]
      .map((match) => match[1] as string)
      .filter((module) => module.startsWith(EMBEDDED_ROOT))
      .map((module) => `./${module.slice(EMBEDDED_ROOT.length)}`);
    return { stdout: result.stdout, evaluated };
  }

  /** The chunks the executable's entry imports statically, itself included: what any run evaluates. */
  function staticGraph(): Set<string> {
    const entry = Object.keys(metafile.outputs).find((output) => !output.startsWith('./chunk-'));
    assert.ok(entry, 'the metafile names the entry');
    const reached = new Set<string>();
    const visit = (output: string): void => {
      if (reached.has(output)) return;
      reached.add(output);
      for (const imported of metafile.outputs[output]?.imports ?? []) {
        if (imported.kind === 'import-statement') visit(imported.path);
      }
    };
    visit(entry);
    return reached;
  }

  /** The modules bundled into `chunks` that come from packages. */
  function packagesIn(chunks: readonly string[]): string[] {
    return chunks.flatMap((chunk) =>
      Object.keys(metafile.outputs[chunk]?.inputs ?? {}).filter((input) => input.includes('node_modules/')),
    );
  }

  /** Checks that a run evaluated the static graph of the entry alone, and no package. */
  function assertHotPathOnly(evaluated: readonly string[]): void {
    assert.ok(evaluated.length > 0, 'the module loader named no module: BUN_JSC_dumpModuleLoadingState had no effect');
    assert.deepEqual([...evaluated].sort(), [...staticGraph()].sort());
    assert.deepEqual(packagesIn(evaluated), []);
  }

  it('evaluates the slow chunks on a miss (the module loader names them)', async () => {
    const miss = await run([...args, '--force-refresh']);
    const slow = miss.evaluated.filter((chunk) => !staticGraph().has(chunk));
    assert.ok(slow.length > 0, `a refresh evaluated only ${miss.evaluated.join(', ')}`);
    assert.ok(
      packagesIn(slow).some((input) => input.includes('node_modules/openid-client/')),
      'a refresh evaluated no chunk of openid-client',
    );
  });

  it("evaluates only the entry's static chunks, none holding a package, and prints the npm build's cached token", async () => {
    const cached = await runCli(args, { cli: NPM_CLI, env: world().env, timeoutMs: RUN_TIMEOUT_MS });
    const hit = await run(args);
    assertHotPathOnly(hit.evaluated);
    assert.equal(parseExecCredential(hit.stdout).status.token, parseExecCredential(cached.stdout).status.token);
    assert.equal(await world().browserRuns(), 1, 'the hit logged in again: the two builds disagree on the cache key');
  });

  it('evaluates only the hot path for --grant-type=token-file without an issuer, which reads the file on every run', async () => {
    const tokenFile = join(world().home.home, 'projected-token');
    const now = Math.floor(Date.now() / 1000);
    writeFileSync(tokenFile, unsignedJwt({ aud: 'kubernetes', iat: now, exp: now + 3600 }));
    const fileRun = await run(['get-token', '--grant-type=token-file', `--token-file=${tokenFile}`]);
    assertHotPathOnly(fileRun.evaluated);
  });
});
