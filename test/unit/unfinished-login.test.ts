/**
 * Which timeouts mean the person left the browser login unfinished (UnfinishedLoginError, what the
 * storm guard records): the loopback server's deadline before any callback came, not after it,
 * when the token request is what is still running.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TimeoutError, UnfinishedLoginError } from '../../src/core/errors.ts';
import { bindLoopbackServer, type CallbackHandling, serveCallback } from '../../src/flows/loopback-server.ts';

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

  it('is a TimeoutError but not an UnfinishedLoginError once the callback came and the exchange still runs', async () => {
    const bound = await bindLoopbackServer(['127.0.0.1:0']);
    const served = serveCallback(bound, hangingExchange());
    served.catch(() => undefined);
    // The browser is told nothing until the exchange ends; the server closes the connection at the deadline.
    await fetch(`http://127.0.0.1:${bound.port}/?state=${STATE}&code=the-code`).catch(() => undefined);
    await assert.rejects(served, (error: unknown) => error instanceof TimeoutError && !(error instanceof UnfinishedLoginError));
  });
});
