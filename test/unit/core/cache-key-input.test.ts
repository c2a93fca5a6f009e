/**
 * What get-token puts into the cache key: sets are sets, and the username
 * counts only for the password grant.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cacheKeyInput, computeCacheKey, credentialCacheKey } from '../../../src/core/cache-key.ts';
import type { PathEnvironment } from '../../../src/core/paths.ts';
import { toGetTokenOptions } from '../../../src/flags/login-options.ts';

const ENV: PathEnvironment = { env: { HOME: '/home/tester' }, platform: 'linux' };

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

  it('leaves the device authorization endpoint out: it decides where the person approves, not which token comes back', () => {
    assert.equal(
      keyOf({ grantType: 'device-code' }),
      keyOf({
        grantType: 'device-code',
        oidcDeviceAuthorizationEndpoint: 'https://issuer.example.com/oauth/authorize_device',
      }),
    );
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

describe('cacheKeyInput with --login-hint', () => {
  it('gives each hint its own key, apart from the key without one', () => {
    const admin = keyOf({ loginHint: 'admin@example.com' });
    const daily = keyOf({ loginHint: 'me@example.com' });
    assert.notEqual(admin, daily);
    assert.notEqual(admin, keyOf({}));
    assert.equal(admin, keyOf({ loginHint: 'admin@example.com' }));
  });

  it('keys the device code and keyboard logins by hint too', () => {
    for (const grantType of ['device-code', 'authcode-keyboard']) {
      assert.notEqual(
        keyOf({ grantType, loginHint: 'a@example.com' }),
        keyOf({ grantType, loginHint: 'b@example.com' }),
      );
    }
  });
});

describe('credentialCacheKey', () => {
  const REQUIRED = { oidcIssuerUrl: 'https://issuer.example.com', oidcClientId: 'kubernetes' };
  const LOGIN = '8c6549c38df5d6044670c7172a4ffe3e74d2c520742371bff1c180f5f53300eb';
  const ALICE = '4d10391e1e610b67c80b14c2b65d620262c6867e3073ba4aa7353ceb4d15a911';
  // A key that changes is a miss, so a new login, for everyone who updates: these stay as they are.
  const cases: [string, Record<string, unknown>, string][] = [
    ['the provider alone', REQUIRED, LOGIN],
    [
      'a secret, scopes, PKCE and a redirect URL',
      {
        ...REQUIRED,
        oidcClientSecret: 's',
        oidcExtraScope: ['email', 'groups'],
        oidcPkceMethod: 'S256',
        oidcRedirectUrl: 'http://localhost:8000/callback',
      },
      '826579018e845a3ffbce5082ce49d511a971f434cc5b3bbfaab6a861517bb002',
    ],
    ['the password grant of alice', { ...REQUIRED, grantType: 'password', username: 'alice', password: 'pw' }, ALICE],
    ['auto with --username alice', { ...REQUIRED, username: 'alice' }, ALICE],
    ['authcode with --username alice', { ...REQUIRED, grantType: 'authcode', username: 'alice' }, LOGIN],
    ['device-code', { ...REQUIRED, grantType: 'device-code' }, LOGIN],
    [
      'client-credentials',
      { ...REQUIRED, grantType: 'client-credentials', oidcClientSecret: 's' },
      '53368e307178de246b86ed20a0ee207e2c29a66abe85f5a91ff9c6b5247d9224',
    ],
    [
      'github-actions',
      { grantType: 'github-actions', oidcClientId: 'kubernetes' },
      '613c52f3b6a147cb5e027e65270c8f3b71968791492f5ac74eb991a70e49d9de',
    ],
    [
      "token-exchange of the job's GitHub Actions token",
      { ...REQUIRED, grantType: 'token-exchange', subjectTokenSource: 'github-actions' },
      '96e09d742df59ad33b6f38fa068cc02987370efea2bc8928c3d71fe8ed7c5eb9',
    ],
    [
      'token-exchange of a file',
      { ...REQUIRED, grantType: 'token-exchange', subjectTokenSource: 'file:~/subject', subjectTokenType: 'urn:x' },
      'a7e712f4106afe44e1c58bf1d236d64fa6924e476f2506e9cc0a878f7e95807a',
    ],
  ];

  for (const [name, flags, key] of cases) {
    it(`gives the same key as ever for ${name}`, () => {
      const options = toGetTokenOptions(flags, ENV, () => undefined);
      assert.deepEqual(credentialCacheKey(options), { key, loginKey: key });
    });
  }

  it('gives the same keys as ever for --exchange-audience: the login under its own key', () => {
    const options = toGetTokenOptions({ ...REQUIRED, exchangeAudience: 'cluster-a' }, ENV, () => undefined);
    assert.deepEqual(credentialCacheKey(options), {
      key: '74e4b0800b455127dbe2a8e973c73d4b9d6a803cb7aaf95e7742cafa9fe5c355',
      loginKey: LOGIN,
    });
  });
});
