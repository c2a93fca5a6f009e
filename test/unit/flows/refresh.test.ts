/**
 * Refresh or log in: which answers to a refresh make get-token log in again (the refresh token is
 * dead: the provider refused it with any OAuth error, or it renews without an ID token) and which
 * stay errors that open no browser (the network, a timeout, the provider failing with a 5xx).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NetworkError, TimeoutError } from '../../../src/core/errors.ts';
import { refreshTokens } from '../../../src/flows/refresh.ts';
import { failing, json, type Network, sessionOver, stalling } from '../../support/session-stand-in.ts';

const REFRESH_TOKEN = 'the-refresh-token';

/** refreshTokens over `network`, and what it logged. */
async function refreshOver(network: Network): Promise<{ outcome: Promise<unknown>; log: () => string }> {
  let log = '';
  const session = await sessionOver(network, {}, { write: (text: string) => (log += text) });
  return { outcome: refreshTokens(session, { refresh_token: REFRESH_TOKEN }), log: () => log };
}

describe('refresh or log in', () => {
  it('logs in again when the provider rejects the refresh token (invalid_grant), saying so', async () => {
    const run = await refreshOver(async () => json(400, { error: 'invalid_grant', error_description: 'expired' }));
    assert.equal(await run.outcome, undefined);
    assert.match(run.log(), /refresh token was rejected by the provider \(invalid_grant\); logging in again/);
  });

  it('logs in again when the provider renews without an ID token, saying so', async () => {
    const run = await refreshOver(async () => json(200, { access_token: 'at', token_type: 'Bearer', expires_in: 60 }));
    assert.equal(await run.outcome, undefined);
    assert.match(run.log(), /returned no ID token on refresh; logging in again/);
  });

  it('logs in again for any other OAuth refusal (invalid_request, unauthorized_client), as providers answer an expired refresh token', async () => {
    for (const error of ['invalid_request', 'unauthorized_client']) {
      const run = await refreshOver(async () => json(400, { error }));
      assert.equal(await run.outcome, undefined, error);
      assert.match(run.log(), /logging in again/, error);
    }
  });

  it('stays an error, opening no browser, when the provider fails (5xx)', async () => {
    const run = await refreshOver(async () => json(503, { error: 'temporarily_unavailable' }));
    await assert.rejects(
      run.outcome,
      (error) => error instanceof NetworkError && /failed: HTTP 503$/.test(error.message),
    );
  });

  it('stays an error when the provider cannot be reached', async () => {
    const run = await refreshOver(() => failing('ECONNREFUSED'));
    await assert.rejects(run.outcome, NetworkError);
  });

  it('stays an error when the provider does not answer in time', async () => {
    const run = await refreshOver((_url, init) => stalling(init));
    await assert.rejects(run.outcome, TimeoutError);
  });

  it('never logs the refresh token', async () => {
    const run = await refreshOver(async () => json(400, { error: 'invalid_grant', error_description: REFRESH_TOKEN }));
    await run.outcome;
    assert.doesNotMatch(run.log(), new RegExp(REFRESH_TOKEN));
  });
});
