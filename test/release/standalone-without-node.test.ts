/**
 * The Linux amd64 executable of `npm run release` needs no Node.js: copied
 * alone into an empty directory and run with a PATH that has no `node`, it
 * logs in with the browser and then answers from the cache.
 */
import assert from 'node:assert/strict';
import { chmod, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { before, describe, test } from 'node:test';
import { HTTP_LOGIN_COMMAND } from '../support/browser/drivers.ts';
import { getTokenArgs } from '../support/get-token-args.ts';
import { RELEASE_DIR, readZip } from '../support/release-files.ts';
import { parseExecCredential } from '../support/run-cli.ts';
import { describeRun, runProcess } from '../support/run-process.ts';
import type { TempHome } from '../support/temp-home.ts';
import { worldForAll } from '../support/world.ts';

/** A login with the HTTP browser driver takes about a second; this leaves room for a loaded machine. */
const RUN_TIMEOUT_MS = 60_000;

describe('the standalone executable without Node.js', () => {
  const world = worldForAll({ runner: 'subprocess' });
  let home: TempHome;
  let executable: string;
  let env: NodeJS.ProcessEnv;
  let args: string[];

  before(async () => {
    home = world().home;
    const alone = join(home.home, 'alone');
    const emptyPath = join(home.home, 'empty-bin');
    await mkdir(alone);
    await mkdir(emptyPath);
    const program = readZip(join(RELEASE_DIR, 'kubelogin_linux_amd64.zip')).find((e) => e.name === 'kubelogin')!;
    executable = join(alone, 'kubelogin');
    await writeFile(executable, program.bytes);
    await chmod(executable, 0o755);
    // The fake browser is a Node script: the executable starts it by an absolute path, and it
    // names node by its own, so that the executable's PATH stays free of node.
    const browser = join(home.home, 'browser');
    await writeFile(browser, `#!/bin/sh\nexec '${process.execPath}' '${HTTP_LOGIN_COMMAND}' "$@"\n`);
    await chmod(browser, 0o755);
    env = { ...home.env, PATH: emptyPath, LOGIN_LOG: join(home.home, 'browser-runs.log') };
    args = getTokenArgs({
      issuer: world().provider.issuer,
      browserCommand: browser,
      tokenCacheDir: join(home.home, 'token-cache'),
    });
  });

  test('its directory holds nothing else and its PATH finds no node', async () => {
    assert.deepEqual(await readdir(join(home.home, 'alone')), ['kubelogin']);
    for (const dir of env['PATH']!.split(delimiter)) assert.deepEqual(await readdir(dir), [], `${dir} is not empty`);
  });

  test('logs in, then answers from the cache without the browser', async () => {
    const options = { env, cwd: join(home.home, 'alone'), timeoutMs: RUN_TIMEOUT_MS };
    const login = await runProcess(executable, args, options);
    assert.equal(login.code, 0, describeRun('the login', login));
    const first = parseExecCredential(login.stdout);
    const hit = await runProcess(executable, args, options);
    assert.equal(hit.code, 0, describeRun('the cache hit', hit));
    assert.equal(parseExecCredential(hit.stdout).status.token, first.status.token);
    const runs = (await readFile(env['LOGIN_LOG']!, 'utf8')).trim().split('\n');
    assert.equal(runs.length, 1, 'the browser ran once');
  });
});
