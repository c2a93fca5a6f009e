import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isoTime } from '../../../src/core/iso-time.ts';

describe('isoTime', () => {
  it('writes RFC 3339 in UTC to the second', () => {
    assert.equal(isoTime(1893456000), '2030-01-01T00:00:00Z');
  });

  it('drops fractions of a second instead of rounding them up', () => {
    assert.equal(isoTime(1893456000.999), '2030-01-01T00:00:00Z');
  });
});
