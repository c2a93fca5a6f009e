/**
 * Which timeouts mean the person left the browser login unfinished (UnfinishedLoginError, what the
 * storm guard records): the loopback server's deadline before any callback came, not after it,
 * when the token request is what is still running.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TimeoutError, UnfinishedLoginError } from '../../../src/core/errors.ts';
import { bindLoopbackServer, type CallbackHandling, serveCallback } from '../../../src/flows/loopback-server.ts';

const STATE = 'the-state';
/** Short enough for a unit test, long enough for a callback on 127.0.0.1 to arrive first. */
const TIMEOUT_MS = 500;

/** Handling whose token exchange never ends. */
function hangingExchange(): CallbackHandling<never> {
  return {
    callbackPath: '/',
    authorizationUrl: 'https://issuer.example.com/auth',
    expectedState: STATE,
    exchange: () => new Promise<never>(() => undefined),
    successRedirect: undefined,
    timeoutMs: TIMEOUT_MS,
    allowedHosts: new Set(['127.0.0.1']),
  };
}

describe('the loopback server deadline', () => {
  it('is an UnfinishedLoginError when no callback came', async () => {
    const bound = await bindLoopbackServer(['127.0.0.1:0']);
    await assert.rejects(serveCallback(bound, hangingExchange()), UnfinishedLoginError);
  });

  it('stops once the callback came: a token request that times out later is its own TimeoutError', async () => {
    const bound = await bindLoopbackServer(['127.0.0.1:0']);
    const requestTimeout = new TimeoutError('the OIDC provider did not answer within 1s (the token request)');
    const handling: CallbackHandling<never> = {
      ...hangingExchange(),
      // The token request outlives the browser deadline, then fails on its own timeout.
      exchange: () =>
        new Promise<never>((_resolve, reject) => setTimeout(() => reject(requestTimeout), 2 * TIMEOUT_MS)),
    };
    const started = Date.now();
    const served = serveCallback(bound, handling);
    served.catch(() => undefined);
    await fetch(`http://127.0.0.1:${bound.port}/?state=${STATE}&code=the-code`).catch(() => undefined);
    await assert.rejects(
      served,
      (error: unknown) => error === requestTimeout && !(error instanceof UnfinishedLoginError),
    );
    assert.ok(
      Date.now() - started >= 2 * TIMEOUT_MS,
      'the browser deadline must not end the login once the callback came',
    );
  });
});
