import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UsageError } from '../../../src/core/errors.ts';
import { booleanValue, commaList, keyValueMap, oneOf, repeated, wholeNumber } from '../../../src/flags/flag-values.ts';

/** Asserts that `fn` throws a UsageError whose message matches every pattern. */
function assertUsageError(fn: () => unknown, ...patterns: RegExp[]): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof UsageError, `expected a UsageError, got ${String(error)}`);
    for (const pattern of patterns) assert.match(error.message, pattern);
    return true;
  });
}

describe('commaList', () => {
  it('splits one value on commas', () => {
    assert.deepEqual(commaList('email,profile'), ['email', 'profile']);
  });

  it('accumulates repeated values after the previous ones', () => {
    assert.deepEqual(commaList('groups', commaList('email,profile')), ['email', 'profile', 'groups']);
  });

  it('drops empty items', () => {
    assert.deepEqual(commaList('a,,b,'), ['a', 'b']);
    assert.deepEqual(commaList(''), []);
  });

  it('does not modify the previous array', () => {
    const previous = ['a'];
    commaList('b', previous);
    assert.deepEqual(previous, ['a']);
  });
});

describe('repeated', () => {
  it('accumulates values without splitting on commas', () => {
    assert.deepEqual(repeated('b,c', repeated('a')), ['a', 'b,c']);
  });
});

describe('keyValueMap', () => {
  const parse = keyValueMap('oidc-request-header');

  it('reads one k=v pair', () => {
    assert.deepEqual(parse('X-Tenant=blue'), { 'X-Tenant': 'blue' });
  });

  it('accepts several pairs separated by commas in one value', () => {
    assert.deepEqual(parse('a=1,b=2'), { a: '1', b: '2' });
  });

  it('merges repeated values into one map, later values winning', () => {
    assert.deepEqual(parse('b=3,c=4', parse('a=1,b=2')), { a: '1', b: '3', c: '4' });
  });

  it('keeps "=" inside values', () => {
    assert.deepEqual(parse('k=a=b'), { k: 'a=b' });
  });

  it('accepts an empty value', () => {
    assert.deepEqual(parse('k='), { k: '' });
  });

  it('rejects a pair without "=" with a UsageError naming the flag', () => {
    assertUsageError(() => parse('novalue'), /--oidc-request-header/, /novalue/);
    assertUsageError(() => parse('a=1,oops'), /--oidc-request-header/, /oops/);
  });

  it('rejects an empty key', () => {
    assertUsageError(() => parse('=v'), /--oidc-request-header/);
  });

  it('does not modify the previous map', () => {
    const previous = { a: '1' };
    parse('b=2', previous);
    assert.deepEqual(previous, { a: '1' });
  });
});

describe('booleanValue', () => {
  const parse = booleanValue('skip-open-browser');

  it('accepts true, false, 1 and 0', () => {
    assert.equal(parse('true'), true);
    assert.equal(parse('1'), true);
    assert.equal(parse('false'), false);
    assert.equal(parse('0'), false);
  });

  it('takes a bare flag (commander passes true) as true', () => {
    assert.equal(parse(true), true);
  });

  // Go's pflag reads booleans with strconv.ParseBool, which accepts exactly these spellings.
  it('accepts every spelling of strconv.ParseBool', () => {
    for (const value of ['1', 't', 'T', 'TRUE', 'true', 'True']) assert.equal(parse(value), true, value);
    for (const value of ['0', 'f', 'F', 'FALSE', 'false', 'False']) assert.equal(parse(value), false, value);
  });

  it('rejects anything else with a UsageError naming the flag', () => {
    for (const value of ['yes', 'no', '', '2', 'tRuE']) {
      assertUsageError(() => parse(value), /--skip-open-browser/);
    }
  });
});

describe('wholeNumber', () => {
  const parse = wholeNumber('authentication-timeout-sec');

  it('reads a non-negative whole number', () => {
    assert.equal(parse('0'), 0);
    assert.equal(parse('180'), 180);
  });

  it('rejects negative, fractional and non-numeric values naming the flag', () => {
    for (const value of ['-1', '1.5', 'abc', '', '10s']) {
      assertUsageError(() => parse(value), /--authentication-timeout-sec/);
    }
  });
});

describe('oneOf', () => {
  const parse = oneOf('grant-type', ['auto', 'authcode', 'password'] as const);

  it('returns a listed choice', () => {
    assert.equal(parse('authcode'), 'authcode');
  });

  it('rejects another value, listing the choices and naming the flag', () => {
    assertUsageError(() => parse('implicit'), /--grant-type/, /auto, authcode, password/, /implicit/);
  });

  it('is case-sensitive', () => {
    assertUsageError(() => parse('AUTO'), /--grant-type/);
  });
});
