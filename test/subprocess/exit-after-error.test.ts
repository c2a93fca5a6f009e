/**
 * The process exits as soon as the error is printed: a token request that
 * hangs after the browser part finished fails at its timeout, and nothing the
 * run left behind (the hung connection, the loopback server, a timer) keeps
 * the process alive. (The wording of the timeout is a scenario too, in
 * test/scenarios/provider/timeouts.test.ts.)
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Middleware } from 'oidc-provider';
import { worldForAll } from '../support/world.ts';

/** The response timeout of requests to the provider in this run (test-only variable). */
const PROVIDER_TIMEOUT_MS = 4_000;
/** The browser login's deadline: the fake browser is done long before, the token request times out after. */
const AUTHENTICATION_TIMEOUT_SEC = 3;
/** The error printed, the process must be gone within this. */
const EXIT_AFTER_ERROR_LIMIT_MS = 1_500;

/** A token endpoint that never answers a code exchange. */
const hangingCodeExchange: Middleware = async (ctx, next) => {
  if (ctx.method === 'POST' && ctx.path === '/token') return new Promise<void>(() => undefined);
  return next();
};

describe('a token exchange that hangs after the browser finished', () => {
  const world = worldForAll({ provider: { middlewares: [hangingCodeExchange] }, runner: 'subprocess' });

  it("is reported as the token request's timeout, and the process exits with the error", async () => {
    const run = world().start(
      [...world().args, `--authentication-timeout-sec=${AUTHENTICATION_TIMEOUT_SEC}`, '--token-cache-storage=none'],
      { env: { KUBELOGIN_TEST_PROVIDER_TIMEOUT_MS: String(PROVIDER_TIMEOUT_MS) } },
    );
    await run.waitForStderr(/^error: /m);
    const errorShownAt = Date.now();
    const result = await run.result;
    const exitedAfterMs = Date.now() - errorShownAt;
    assert.equal(result.code, 1, result.stderr);
    assert.equal(result.stdout, '');
    assert.match(
      result.stderr,
      /^error: the OIDC provider at 127\.0\.0\.1:\d+ did not answer within 4s \(the token request\)$/m,
    );
    assert.doesNotMatch(result.stderr, /browser login did not finish/);
    assert.ok(exitedAfterMs < EXIT_AFTER_ERROR_LIMIT_MS, `exited ${exitedAfterMs} ms after the error`);
    assert.equal(await world().browserRuns(), 1);
  });
});
