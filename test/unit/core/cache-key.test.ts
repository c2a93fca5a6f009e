import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type CacheKeyInput, canonicalJson, computeCacheKey } from '../../../src/core/cache-key.ts';

/** A complete input; each test changes one field of it. */
function baseInput(): CacheKeyInput {
  return {
    issuer: 'https://issuer.example.com',
    clientId: 'kubernetes',
    clientSecret: 'client-secret',
    scopes: ['email', 'profile'],
    redirectUrl: 'http://localhost:8000',
    pkceMethod: 'auto',
    useAccessToken: false,
    requestHeaders: { 'X-Tenant': 'blue', 'X-Trace': 'on' },
    authRequestExtraParams: { prompt: 'consent', audience: 'api' },
    certificateAuthorities: ['/etc/ca.pem'],
    certificateAuthorityData: ['LS0tLS1CRUdJTg=='],
    insecureSkipTLSVerify: false,
    username: 'alice',
  };
}

describe('canonicalJson', () => {
  it('sorts object keys at the top level', () => {
    assert.equal(canonicalJson({ b: 1, a: 2, c: 3 }), '{"a":2,"b":1,"c":3}');
  });

  it('sorts object keys at every nesting level, including objects inside arrays', () => {
    const value = { z: { y: 1, x: { d: 1, c: 2 } }, a: [{ b: 1, a: 2 }] };
    assert.equal(canonicalJson(value), '{"a":[{"a":2,"b":1}],"z":{"x":{"c":2,"d":1},"y":1}}');
  });

  it('drops properties whose value is undefined', () => {
    assert.equal(canonicalJson({ a: undefined, b: 'x', c: { d: undefined } }), '{"b":"x","c":{}}');
  });

  it('keeps array order and encodes scalars as JSON', () => {
    assert.equal(canonicalJson(['b', 'a', 1, true, null]), '["b","a",1,true,null]');
    assert.equal(canonicalJson('quote"d'), '"quote\\"d"');
  });

  it('gives the same text for objects built in different insertion orders', () => {
    const first: Record<string, string> = {};
    first['one'] = '1';
    first['two'] = '2';
    const second: Record<string, string> = {};
    second['two'] = '2';
    second['one'] = '1';
    assert.equal(canonicalJson(first), canonicalJson(second));
  });
});

describe('computeCacheKey', () => {
  it('is 64 lowercase hex characters (a SHA-256)', () => {
    assert.match(computeCacheKey(baseInput()), /^[0-9a-f]{64}$/);
  });

  it('is stable across calls', () => {
    assert.equal(computeCacheKey(baseInput()), computeCacheKey(baseInput()));
  });

  it('does not depend on the insertion order of request headers or extra params', () => {
    const reordered = baseInput();
    reordered.requestHeaders = { 'X-Trace': 'on', 'X-Tenant': 'blue' };
    reordered.authRequestExtraParams = { audience: 'api', prompt: 'consent' };
    assert.deepEqual(Object.keys(reordered.requestHeaders), ['X-Trace', 'X-Tenant']);
    assert.equal(computeCacheKey(reordered), computeCacheKey(baseInput()));
  });

  it('does not depend on the order of the fields of the input object', () => {
    const input = baseInput();
    const reversed = Object.fromEntries(Object.entries(input).reverse()) as unknown as CacheKeyInput;
    assert.equal(computeCacheKey(reversed), computeCacheKey(input));
  });

  it('treats an absent optional value like undefined', () => {
    const withUndefined = { ...baseInput(), username: undefined };
    const { username: _omitted, ...withoutUsername } = baseInput();
    assert.equal(computeCacheKey(withUndefined), computeCacheKey(withoutUsername));
  });

  // Scopes are sent in the order given (contract: "the extras in order, then openid"),
  // so a different order is a different request and gets its own entry.
  const variations: Array<[string, (input: CacheKeyInput) => void]> = [
    ['issuer', (i) => (i.issuer = 'https://other.example.com')],
    ['client id', (i) => (i.clientId = 'other-client')],
    ['client secret', (i) => (i.clientSecret = 'other-secret')],
    ['client secret absent', (i) => (i.clientSecret = undefined)],
    ['scopes', (i) => (i.scopes = ['email'])],
    ['scope order', (i) => (i.scopes = ['profile', 'email'])],
    ['redirect URL', (i) => (i.redirectUrl = 'http://localhost:18000')],
    ['redirect URL absent', (i) => (i.redirectUrl = undefined)],
    ['PKCE method', (i) => (i.pkceMethod = 'S256')],
    ['use-access-token', (i) => (i.useAccessToken = true)],
    ['a request header value', (i) => (i.requestHeaders = { 'X-Tenant': 'red', 'X-Trace': 'on' })],
    ['an extra request header', (i) => (i.requestHeaders = { ...i.requestHeaders, 'X-More': '1' })],
    ['an extra param value', (i) => (i.authRequestExtraParams = { prompt: 'login', audience: 'api' })],
    ['extra params emptied', (i) => (i.authRequestExtraParams = {})],
    ['CA files', (i) => (i.certificateAuthorities = ['/etc/other-ca.pem'])],
    ['CA data', (i) => (i.certificateAuthorityData = ['b3RoZXI='])],
    ['skip-verify', (i) => (i.insecureSkipTLSVerify = true)],
    ['username', (i) => (i.username = 'bob')],
    ['username absent', (i) => (i.username = undefined)],
  ];

  for (const [name, change] of variations) {
    it(`differs when the ${name} differs`, () => {
      const changed = baseInput();
      change(changed);
      assert.notEqual(computeCacheKey(changed), computeCacheKey(baseInput()));
    });
  }

  it('gives every single-field variation its own key', () => {
    const keys = variations.map(([, change]) => {
      const changed = baseInput();
      change(changed);
      return computeCacheKey(changed);
    });
    assert.equal(new Set([...keys, computeCacheKey(baseInput())]).size, variations.length + 1);
  });

  it('does not mix up a header and an extra param with the same name and value', () => {
    const asHeader = { ...baseInput(), requestHeaders: { k: 'v' }, authRequestExtraParams: {} };
    const asParam = { ...baseInput(), requestHeaders: {}, authRequestExtraParams: { k: 'v' } };
    assert.notEqual(computeCacheKey(asHeader), computeCacheKey(asParam));
  });
});
