/**
 * The Windows executable of `npm run release`, run under wine where this machine has a wine that
 * can start it: it prints its version and answers a cache hit from a cache directory given as
 * `~\...`, found under the profile as Go finds the home directory. Without such a wine the test
 * says why in its name and its diagnostics, so the gap is visible in every report.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, type TestContext, test } from 'node:test';
import { cacheKeyInput, computeCacheKey } from '../../src/core/cache-key.ts';
import { toGetTokenOptions } from '../../src/flags/login-options.ts';
import { RELEASE_DIR, readZip } from '../support/release-files.ts';
import { parseExecCredential } from '../support/run-cli.ts';
import { describeRun, runProcess } from '../support/run-process.ts';
import { unsignedJwt } from '../support/unsigned-jwt.ts';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
/** A first start of wine builds its prefix, which takes long on a loaded machine. */
const WINE_TIMEOUT_MS = 180_000;
/** What Debian 12's wine 8 lacks and Bun's executables import at start (wine 9 and later have it). */
const MISSING_PRNG = /ProcessPrng/;
/** The cache directory the executable is given, under the profile. */
const CACHE_DIR_NAME = 'kubelogin-release-cache';
/** get-token's flags of the cache hit; nothing is fetched from this issuer. */
const FLAGS = ['--oidc-issuer-url=https://issuer.example.com', '--oidc-client-id=kubernetes'];

/** The wine on PATH, or why there is none. */
function findWine(): { wine: string } | { reason: string } {
  try {
    return { wine: execFileSync('sh', ['-c', 'command -v wine'], { encoding: 'utf8' }).trim() };
  } catch {
    return { reason: 'wine is not installed (`which wine` finds nothing)' };
  }
}

const found = findWine();

/** Reports that the executable was not run, and why, where the test report shows it. */
function notRun(t: TestContext, reason: string): void {
  t.diagnostic(`kubelogin.exe was not run: ${reason}`);
  console.error(`note: the Windows executable was not run: ${reason}`);
}

describe('the Windows executable', () => {
  const title = 'runs under wine: --version, and a cache hit from a ~\\ cache directory under the profile';
  test('reason' in found ? `${title} (not run: ${found.reason})` : title, async (t) => {
    if ('reason' in found) {
      notRun(t, found.reason);
      return;
    }
    const work = await mkdtemp(join(tmpdir(), 'kubelogin-wine-'));
    try {
      const program = readZip(join(RELEASE_DIR, 'kubelogin_windows_amd64.zip')).find((e) => e.name === 'kubelogin.exe');
      assert.ok(program, 'kubelogin.exe in the zip');
      const exe = join(work, 'kubelogin.exe');
      await writeFile(exe, program.bytes);
      const env = { ...process.env, WINEPREFIX: join(work, 'prefix'), WINEDEBUG: '-all' };
      const wine = (args: readonly string[]) =>
        runProcess(found.wine, args, { env, cwd: work, timeoutMs: WINE_TIMEOUT_MS });

      const version = await wine([exe, '--version']);
      if (version.code !== 0 && MISSING_PRNG.test(version.stderr)) {
        const wineVersion = execFileSync(found.wine, ['--version'], { encoding: 'utf8', env }).trim();
        notRun(
          t,
          `${wineVersion} cannot start Bun's executables (bcryptprimitives.dll lacks ProcessPrng; wine 9 or later has it)`,
        );
        return;
      }
      assert.equal(version.code, 0, describeRun('kubelogin.exe --version', version));
      assert.match(version.stdout, new RegExp(pkg.version.replaceAll('.', '\\.')));

      // Where ~\ leads: the profile wine gives the process, as a path of this machine.
      const profile = (await wine(['cmd', '/c', 'echo %USERPROFILE%'])).stdout.trim();
      const unixProfile = execFileSync('winepath', ['-u', profile], { encoding: 'utf8', env }).trim();
      const options = toGetTokenOptions(
        { oidcIssuerUrl: 'https://issuer.example.com', oidcClientId: 'kubernetes' },
        { env: { USERPROFILE: profile }, platform: 'win32' },
        () => undefined,
      );
      const now = Math.floor(Date.now() / 1000);
      const idToken = unsignedJwt({ iss: 'https://issuer.example.com', aud: 'kubernetes', iat: now, exp: now + 3600 });
      await mkdir(join(unixProfile, CACHE_DIR_NAME), { recursive: true });
      await writeFile(
        join(unixProfile, CACHE_DIR_NAME, computeCacheKey(cacheKeyInput(options))),
        JSON.stringify({ id_token: idToken }),
      );

      const hit = await wine([exe, 'get-token', ...FLAGS, `--token-cache-dir=~\\${CACHE_DIR_NAME}`]);
      assert.equal(hit.code, 0, describeRun('the cache hit', hit));
      assert.equal(parseExecCredential(hit.stdout).status.token, idToken);
      assert.ok(!(await readdir(work)).includes('~'), 'no folder named ~ was made');
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });
});
