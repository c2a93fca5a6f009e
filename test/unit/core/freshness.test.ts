import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { earlyRefreshMarginSeconds, isFresh } from '../../../src/core/freshness.ts';
import type { JwtClaims } from '../../../src/core/jwt.ts';

/** Claims as decoded from JSON, where any claim may have any type. */
function decoded(claims: Record<string, unknown>): JwtClaims {
  return claims as JwtClaims;
}

describe('earlyRefreshMarginSeconds', () => {
  it('is 10% of the lifetime for short tokens', () => {
    assert.equal(earlyRefreshMarginSeconds({ iat: 1000, exp: 1300 }), 30);
    assert.equal(earlyRefreshMarginSeconds({ iat: 1000, exp: 1100 }), 10);
  });

  it('is capped at 60 seconds for long tokens', () => {
    assert.equal(earlyRefreshMarginSeconds({ iat: 1000, exp: 1000 + 3600 }), 60);
    assert.equal(earlyRefreshMarginSeconds({ iat: 1000, exp: 1000 + 600 }), 60);
    assert.equal(earlyRefreshMarginSeconds({ iat: 1000, exp: 1000 + 601 }), 60);
  });

  it('uses the 60 second cap when iat is missing or not before exp', () => {
    assert.equal(earlyRefreshMarginSeconds({ exp: 1300 }), 60);
    assert.equal(earlyRefreshMarginSeconds({ exp: 1300, iat: 1300 }), 60);
    assert.equal(earlyRefreshMarginSeconds(decoded({ exp: 1300, iat: 'yesterday' })), 60);
  });

  it('is 0 without exp', () => {
    assert.equal(earlyRefreshMarginSeconds({ iat: 1000 }), 0);
  });
});

describe('isFresh', () => {
  it('is false without a numeric exp', () => {
    assert.equal(isFresh({}, 0), false);
    assert.equal(isFresh({ iat: 1000 }, 0), false);
    assert.equal(isFresh(decoded({ exp: '9999999999' }), 0), false);
  });

  it('switches to stale exactly at exp minus the margin (10% of a 300 s lifetime)', () => {
    const claims = { iat: 1000, exp: 1300 }; // margin 30 s: stale from 1270 s
    assert.equal(isFresh(claims, 1_269_999), true);
    assert.equal(isFresh(claims, 1_270_000), false);
    assert.equal(isFresh(claims, 1_290_000), false);
  });

  it('switches to stale 60 s before exp for a one-hour token', () => {
    const claims = { iat: 1000, exp: 4600 };
    assert.equal(isFresh(claims, 4_539_999), true);
    assert.equal(isFresh(claims, 4_540_000), false);
  });

  it('switches to stale 60 s before exp when iat is missing', () => {
    const claims = { exp: 1300 };
    assert.equal(isFresh(claims, 1_239_999), true);
    assert.equal(isFresh(claims, 1_240_000), false);
  });

  it('is false after expiry', () => {
    assert.equal(isFresh({ iat: 1000, exp: 1300 }, 1_400_000), false);
  });
});
