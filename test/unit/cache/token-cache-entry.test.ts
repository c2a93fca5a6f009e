/** What `clean` takes for a cache entry: a JSON object of an entry's fields (the tokens and kubelogin's own) holding their types, and nothing else. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isTokenCacheEntry } from '../../../src/cache/token-store.ts';

describe('isTokenCacheEntry', () => {
  it('accepts entries as kubelogin and the Go kubelogin write them, and an empty object', () => {
    for (const content of [
      '{"id_token":"a.b.c","refresh_token":"r"}',
      '{"access_token":"t"}',
      '{"id_token":"a.b.c","late_arrival_exp":1900000000}',
      '{"id_token":""}',
      '{"id_token":"a.b.c","refresh_token":"r","scope":"openid email","refresh_without_scope":true}',
      '{}',
    ]) {
      assert.equal(isTokenCacheEntry(content), true, content);
    }
  });

  it('refuses anything else: not JSON, not an object, other fields, values that are not strings', () => {
    for (const content of [
      '',
      'binary \u0000 data',
      '[]',
      'null',
      '"id_token"',
      '{"name":"mine"}',
      '{"id_token":"a","note":"x"}',
      '{"id_token":1}',
      '{"refresh_token":null}',
      '{"refresh_token":"r","refresh_without_scope":"true"}',
      '{"id_token":"a","late_arrival_exp":"1900000000"}',
    ]) {
      assert.equal(isTokenCacheEntry(content), false, content);
    }
  });
});
