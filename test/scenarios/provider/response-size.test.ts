/**
 * Response bodies are bounded: a discovery document, JWKS or token response
 * that never ends fails the run within seconds with an error naming the host
 * and the limit, and the token cache lock is released, so the next run does
 * not wait for it.
 */
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { describe, it } from 'node:test';
import type { Middleware } from 'oidc-provider';
import { assertOneLineError } from '../../support/cli-outcome.ts';
import { endlessBody, startEndlessServer } from '../../support/provider/endless-body.ts';
import { passwordOf } from '../../support/provider/test-provider.ts';
import { serverForAll } from '../../support/server-for-all.ts';
import { type World, worldForAll } from '../../support/world.ts';

/** A run against an endless body must end well within this (without a cap, Node grows to gigabytes and crashes). */
const ENDLESS_RUN_LIMIT_MS = 8_000;
/** The runs are given up here, so a regression fails the test rather than stalling it. */
const GIVE_UP_AFTER_MS = 20_000;

/** Answers `method path` with an endless JSON body instead of the provider's. */
function endlessAt(method: string, path: string): Middleware {
  return async (ctx, next) => {
    if (ctx.method !== method || ctx.path !== path) return next();
    ctx.status = 200;
    ctx.type = 'application/json';
    ctx.body = endlessBody();
  };
}

/** Runs get-token in `world` with the password grant (disk cache, so under the lock), plus `extra`, and returns the result and its duration. */
async function passwordLogin(world: World, extra: readonly string[] = []) {
  const started = Date.now();
  const result = await world.getToken(
    [...extra, '--grant-type=password', '--username=alice', `--password=${passwordOf('alice')}`],
    { timeoutMs: GIVE_UP_AFTER_MS },
  );
  return { result, elapsedMs: Date.now() - started };
}

/** Asserts the run failed in time on the size limit of `host`, and left no lock behind. */
async function assertCapped(
  run: Awaited<ReturnType<typeof passwordLogin>>,
  action: string,
  host: string,
  cacheDir: string,
) {
  const escapedHost = host.replaceAll('.', '\\.');
  assertOneLineError(
    run.result,
    new RegExp(`^error: ${action} at ${escapedHost} failed: the response is larger than the limit of 1 MiB$`),
  );
  assert.ok(run.elapsedMs < ENDLESS_RUN_LIMIT_MS, `took ${run.elapsedMs} ms`);
  const entries = await readdir(cacheDir).catch(() => []);
  assert.deepEqual(
    entries.filter((entry) => entry.endsWith('.lock')),
    [],
    'the lock is released',
  );
}

describe('an endless discovery document', () => {
  const world = worldForAll();
  const endless = serverForAll(startEndlessServer);

  it('fails the run at the limit, naming the host, and releases the lock for the next run', async () => {
    const { url } = endless();
    const issuer = [`--oidc-issuer-url=${url}`];
    const host = new URL(url).host;
    await assertCapped(await passwordLogin(world(), issuer), 'OIDC discovery', host, world().cacheDir);
    await assertCapped(await passwordLogin(world(), issuer), 'OIDC discovery', host, world().cacheDir);
  });
});

for (const { what, action, method, path } of [
  { what: 'JWKS', action: 'fetching the JWKS', method: 'GET', path: '/jwks' },
  { what: 'token response', action: 'the password grant', method: 'POST', path: '/token' },
]) {
  describe(`an endless ${what}`, () => {
    const world = worldForAll({ provider: { middlewares: [endlessAt(method, path)] } });

    it('fails the run at the limit, naming the host, and releases the lock for the next run', async () => {
      const host = new URL(world().provider.issuer).host;
      await assertCapped(await passwordLogin(world()), action, host, world().cacheDir);
      await assertCapped(await passwordLogin(world()), action, host, world().cacheDir);
    });
  });
}
