/**
 * Durations for people.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatCountdown, formatDuration } from '../../../src/core/durations.ts';

describe('formatDuration', () => {
  it('prints the largest units first and leaves out zero units', () => {
    assert.equal(formatDuration(0), '0s');
    assert.equal(formatDuration(45), '45s');
    assert.equal(formatDuration(60), '1m');
    assert.equal(formatDuration(5400), '1h 30m');
    assert.equal(formatDuration(86_400), '1d');
    assert.equal(formatDuration(90_061), '1d 1h 1m 1s');
    assert.equal(formatDuration(2 * 86_400 + 30), '2d 30s');
  });
  it('rounds fractions of a second', () => {
    assert.equal(formatDuration(59.6), '1m');
  });
});

describe('formatCountdown', () => {
  it('prints minutes and two-digit seconds, rounding up', () => {
    assert.equal(formatCountdown(299.2), '5:00');
    assert.equal(formatCountdown(61), '1:01');
    assert.equal(formatCountdown(9), '0:09');
  });
  it('never goes below zero', () => {
    assert.equal(formatCountdown(-3), '0:00');
  });
});
