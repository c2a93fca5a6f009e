/**
 * What get-token puts into the cache key: sets are sets, and the username
 * counts only for the password grant.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cacheKeyInput, computeCacheKey } from '../../../src/core/cache-key.ts';
import { toGetTokenOptions } from '../../../src/flags/login-options.ts';

const ENV: NodeJS.ProcessEnv = { HOME: '/home/tester' };

function keyOf(flags: Record<string, unknown>): string {
  const options = toGetTokenOptions(
    { oidcIssuerUrl: 'https://issuer.example.com', oidcClientId: 'kubernetes', ...flags },
    ENV,
    () => undefined,
  );
  return computeCacheKey(cacheKeyInput(options));
}

describe('cacheKeyInput', () => {
  it('ignores the order and repetition of scopes and CAs', () => {
    assert.equal(
      keyOf({ oidcExtraScope: ['email', 'profile'] }),
      keyOf({ oidcExtraScope: ['profile', 'email', 'profile'] }),
    );
    assert.equal(
      keyOf({ certificateAuthority: ['/a.pem', '/b.pem'] }),
      keyOf({ certificateAuthority: ['/b.pem', '/a.pem'] }),
    );
    assert.equal(
      keyOf({ certificateAuthorityData: ['QQ==', 'Qg=='] }),
      keyOf({ certificateAuthorityData: ['Qg==', 'QQ=='] }),
    );
  });

  it('still tells different scope sets apart', () => {
    assert.notEqual(keyOf({ oidcExtraScope: ['email'] }), keyOf({ oidcExtraScope: ['email', 'groups'] }));
  });

  it('keys by username only for the password grant', () => {
    assert.notEqual(
      keyOf({ grantType: 'password', username: 'alice' }),
      keyOf({ grantType: 'password', username: 'bob' }),
    );
    assert.notEqual(
      keyOf({ username: 'alice' }),
      keyOf({ username: 'bob' }),
      'auto with --username is the password grant',
    );
    assert.equal(
      keyOf({ grantType: 'authcode', username: 'alice' }),
      keyOf({ grantType: 'authcode', username: 'bob' }),
    );
  });
});
