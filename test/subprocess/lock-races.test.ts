/**
 * The per-key lock: parallel kubectl runs cause one login and one refresh,
 * a lock left by a killed process is taken over, and different keys never
 * wait for each other.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { access, readdir } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { expireCachedIdToken, onlyEntryFile, readOnlyEntry } from '../support/cache-entries.ts';
import { cliArgv } from '../support/cli-command.ts';
import { parseExecCredential } from '../support/run-cli.ts';
import { type World, worldPerTest } from '../support/world.ts';

/** As many runs as a busy kubectl user or a dashboard starts at once. */
const PARALLEL_RUNS = 10;
/** How long a test waits for a run to take the lock. */
const LOCK_APPEAR_TIMEOUT_MS = 15_000;

/** Starts get-token in the background with a browser that never logs in, so the run holds the lock. */
function startStalledLogin(world: World, extra: string[] = []): ChildProcess {
  const [command, ...args] = cliArgv([...world.args, '--authentication-timeout-sec=120', ...extra]);
  return spawn(command, args, {
    env: { ...world.env, LOGIN_MODE: 'none' },
    stdio: 'ignore',
  });
}

/** Resolves once a lock directory appears in the cache directory. */
async function waitForLock(cacheDir: string): Promise<void> {
  const deadline = Date.now() + LOCK_APPEAR_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const names = await readdir(cacheDir).catch(() => [] as string[]);
    if (names.some((name) => name.endsWith('.lock'))) return;
    await sleep(50);
  }
  throw new Error('no run took the lock');
}

describe('parallel runs', () => {
  const startWorld = worldPerTest({ runner: 'subprocess' });

  it(`${PARALLEL_RUNS} runs with no cache cause one login`, async () => {
    const world = await startWorld();
    const results = await Promise.all(Array.from({ length: PARALLEL_RUNS }, () => world.getToken()));
    for (const result of results) assert.equal(result.code, 0, result.stderr);
    const tokens = new Set(results.map((result) => parseExecCredential(result.stdout).status.token));
    assert.equal(tokens.size, 1);
    assert.equal(await world.browserRuns(), 1);
    assert.equal(world.provider.counts.codeExchanges, 1);
  });

  it(`${PARALLEL_RUNS} runs on an expired token cause exactly one refresh (a rotated token reused would revoke the grant)`, async () => {
    const world = await startWorld({ provider: { rotateRefreshToken: true } });
    assert.equal((await world.getToken()).code, 0);
    await expireCachedIdToken(world.cacheDir);

    const results = await Promise.all(Array.from({ length: PARALLEL_RUNS }, () => world.getToken()));
    for (const result of results) assert.equal(result.code, 0, result.stderr);
    assert.equal(world.provider.counts.refreshes, 1);
    assert.equal(world.provider.counts.refreshErrors, 0, world.provider.errors.join('\n'));
    assert.equal(await world.browserRuns(), 1);
    const { id_token: stored } = await readOnlyEntry(world.cacheDir);
    for (const result of results) assert.equal(parseExecCredential(result.stdout).status.token, stored);

    // The grant is still alive: the refresh token in the cache works.
    await expireCachedIdToken(world.cacheDir);
    assert.equal((await world.getToken()).code, 0);
    assert.equal(world.provider.counts.refreshes, 2);
  });

  it('takes over the lock of a process killed with SIGKILL', async () => {
    const world = await startWorld();
    const holder = startStalledLogin(world);
    await waitForLock(world.cacheDir);
    holder.kill('SIGKILL');
    await new Promise((resolve) => holder.once('exit', resolve));

    const result = await world.getToken([], { timeoutMs: 30_000 });
    assert.equal(result.code, 0, result.stderr);
    await access(await onlyEntryFile(world.cacheDir));
  });

  it('does not make runs with another cache key wait', async () => {
    const world = await startWorld();
    const holder = startStalledLogin(world);
    try {
      await waitForLock(world.cacheDir);
      // Another scope set is another key: this run must finish while the first still holds its lock.
      const result = await world.getToken(['--oidc-extra-scope=profile']);
      assert.equal(result.code, 0, result.stderr);
      assert.equal(holder.exitCode, null, 'the first run is still waiting for its login');
    } finally {
      holder.kill('SIGKILL');
    }
  });
});
