/** The credential handed to kubectl: of a cached token, and of one just obtained, whatever the provider's clock. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { credentialOf, newCredentialOf } from '../../../src/core/credential.ts';
import { AuthError } from '../../../src/core/errors.ts';

const NOW_S = Date.UTC(2030, 0, 1) / 1000;
const NOW_MS = NOW_S * 1000;

/** An unsigned JWT with `claims`, as an ID token in a token set. */
function idToken(claims: Record<string, unknown>): { id_token: string } {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return { id_token: `${part({ alg: 'none' })}.${part(claims)}.` };
}

describe('credentialOf', () => {
  it('hands over a fresh token until exp less the margin', () => {
    const credential = credentialOf(idToken({ iat: NOW_S, exp: NOW_S + 3600 }), false, NOW_MS);
    assert.equal(credential?.expiresAt.getTime(), (NOW_S + 3600 - 60) * 1000);
  });

  it('refuses a token inside the margin', () => {
    assert.equal(credentialOf(idToken({ iat: NOW_S - 3570, exp: NOW_S + 30 }), false, NOW_MS), undefined);
  });

  it('hands over an opaque access token by the expiry its entry keeps, with the margin of its lifetime', () => {
    const opaque = {
      access_token: 'ya29.opaque',
      access_token_issued_at: NOW_S - 100,
      access_token_expires_at: NOW_S + 200,
    };
    assert.deepEqual(credentialOf({ ...idToken({ exp: NOW_S + 9000 }), ...opaque }, true, NOW_MS), {
      token: 'ya29.opaque',
      expiresAt: new Date((NOW_S + 200 - 30) * 1000),
    });
    assert.equal(credentialOf({ ...opaque, access_token_expires_at: NOW_S + 5 }, true, NOW_MS), undefined);
  });

  it('takes the expiry of an access token that is a JWT from its exp', () => {
    const access = { access_token: idToken({ iat: NOW_S, exp: NOW_S + 3600 }).id_token };
    assert.equal(credentialOf(access, true, NOW_MS)?.expiresAt.getTime(), (NOW_S + 3600 - 60) * 1000);
    assert.equal(credentialOf({ access_token: 'opaque-without-expiry' }, true, NOW_MS), undefined);
  });

  it('hands over a token that arrived inside the margin until just before its exp', () => {
    const tokens = { ...idToken({ iat: NOW_S - 570, exp: NOW_S + 30 }), late_arrival_exp: NOW_S + 30 };
    assert.equal(credentialOf(tokens, false, NOW_MS)?.expiresAt.getTime(), (NOW_S + 25) * 1000);
    assert.equal(credentialOf(tokens, false, (NOW_S + 25) * 1000), undefined);
  });

  it('applies the note of a late arrival only to the token of that exp', () => {
    const tokens = { ...idToken({ iat: NOW_S - 570, exp: NOW_S + 30 }), late_arrival_exp: NOW_S + 31 };
    assert.equal(credentialOf(tokens, false, NOW_MS), undefined);
  });
});

describe('newCredentialOf', () => {
  it('hands over a fresh token until exp less the margin, with no warning', () => {
    const obtained = newCredentialOf(idToken({ iat: NOW_S, exp: NOW_S + 3600 }), false, NOW_MS);
    assert.equal(obtained?.credential.expiresAt.getTime(), (NOW_S + 3600 - 60) * 1000);
    assert.equal(obtained?.late, undefined);
  });

  it('hands over a token that arrived inside the margin until just before its exp, saying how far behind the provider seems, and notes it for the cache', () => {
    const tokens = idToken({ iat: NOW_S - 570, exp: NOW_S + 30 });
    const obtained = newCredentialOf(tokens, false, NOW_MS);
    assert.equal(obtained?.credential.expiresAt.getTime(), (NOW_S + 25) * 1000);
    assert.deepEqual(obtained?.late, { leftSeconds: 30, clockBehindSeconds: 570 });
    assert.deepEqual(obtained?.tokens, { ...tokens, late_arrival_exp: NOW_S + 30 });
  });

  it('hands over a token closer to its exp than the late-arrival margin until its exp, never a time in the past', () => {
    const obtained = newCredentialOf(idToken({ iat: NOW_S - 597, exp: NOW_S + 3 }), false, NOW_MS);
    assert.equal(obtained?.credential.expiresAt.getTime(), (NOW_S + 3) * 1000);
  });

  it('notes nothing for a fresh token', () => {
    const tokens = idToken({ iat: NOW_S, exp: NOW_S + 3600 });
    assert.deepEqual(newCredentialOf(tokens, false, NOW_MS)?.tokens, tokens);
  });

  it('cannot say how far behind without iat', () => {
    assert.deepEqual(newCredentialOf(idToken({ exp: NOW_S + 30 }), false, NOW_MS)?.late, {
      leftSeconds: 30,
      clockBehindSeconds: undefined,
    });
  });

  it('refuses a token that expired before it could be used', () => {
    assert.throws(
      () => newCredentialOf(idToken({ iat: NOW_S - 700, exp: NOW_S - 100 }), false, NOW_MS),
      (error: unknown) =>
        error instanceof AuthError &&
        error.message ===
          "the token from the provider expired at 2029-12-31T23:58:20Z, before it could be used (this machine's clock says 2030-01-01T00:00:00Z)",
    );
  });

  it('has nothing for a token without exp', () => {
    assert.equal(newCredentialOf(idToken({ iat: NOW_S }), false, NOW_MS), undefined);
  });
});
