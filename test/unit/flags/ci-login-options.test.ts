/**
 * The flags of the CI grants and of the client assertion key: what each grant
 * requires, the GitHub issuer default, and the key's place in the cache key.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { cacheKeyInput, computeCacheKey, credentialCacheKey } from '../../../src/core/cache-key.ts';
import { ConfigError, UsageError } from '../../../src/core/errors.ts';
import type { PathEnvironment } from '../../../src/core/paths.ts';
import { GITHUB_ACTIONS_ISSUER } from '../../../src/flags/flag-specs.ts';
import { type RawGetTokenFlags, toGetTokenOptions } from '../../../src/flags/login-options.ts';

const ENV: PathEnvironment = { env: { HOME: '/home/tester' }, platform: 'linux' };
const convert = (raw: RawGetTokenFlags) => toGetTokenOptions(raw, ENV, () => undefined);
const REQUIRED = { oidcIssuerUrl: 'https://issuer.example.com', oidcClientId: 'kubernetes' };

function assertThrows(fn: () => unknown, type: typeof UsageError | typeof ConfigError, pattern: RegExp): void {
  assert.throws(fn, (error: unknown) => error instanceof type && pattern.test((error as Error).message));
}

describe('CI grant flags', () => {
  it('defaults the issuer of github-actions to GitHub and still needs the client ID, the audience', () => {
    assert.equal(
      convert({ grantType: 'github-actions', oidcClientId: 'kubernetes' }).provider.issuerUrl,
      GITHUB_ACTIONS_ISSUER,
    );
    assert.equal(
      convert({
        grantType: 'github-actions',
        oidcClientId: 'k',
        oidcIssuerUrl: 'https://ghes.example.com/_services/token',
      }).provider.issuerUrl,
      'https://ghes.example.com/_services/token',
    );
    assertThrows(
      () => convert({ grantType: 'github-actions' }),
      UsageError,
      /^--oidc-client-id is required \(the audience the token must have\)$/,
    );
  });

  it('needs neither issuer nor client ID for token-file, and --token-file with ~ expanded', () => {
    const options = convert({ grantType: 'token-file', tokenFile: '~/token' });
    assert.deepEqual(options.grant, { type: 'token-file', tokenFile: '/home/tester/token' });
    assert.equal(options.provider.issuerUrl, '');
    assertThrows(
      () => convert({ grantType: 'token-file' }),
      UsageError,
      /^--grant-type=token-file needs --token-file$/,
    );
    assertThrows(
      () => convert({ ...REQUIRED, tokenFile: '/t' }),
      UsageError,
      /^--token-file needs --grant-type=token-file$/,
    );
    assertThrows(
      () => convert({ grantType: 'token-file', tokenFile: '/t', oidcIssuerUrl: 'https://issuer.example.com' }),
      UsageError,
      /^--oidc-client-id is required/,
    );
  });

  it('still requires issuer and client ID for the other grants', () => {
    assertThrows(() => convert({ oidcClientId: 'kubernetes' }), UsageError, /^--oidc-issuer-url is required$/);
    assertThrows(
      () => convert({ oidcIssuerUrl: 'https://issuer.example.com' }),
      UsageError,
      /^--oidc-client-id is required$/,
    );
  });
});

describe('client assertion key flags', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubelogin-key-'));
  const keyA = join(dir, 'a.pem');
  const keyB = join(dir, 'b.pem');
  writeFileSync(keyA, '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n');
  writeFileSync(keyB, '-----BEGIN PRIVATE KEY-----\nBBBB\n-----END PRIVATE KEY-----\n');
  const keyOf = (raw: RawGetTokenFlags) => computeCacheKey(cacheKeyInput(convert({ ...REQUIRED, ...raw })));

  it('excludes a client secret, and kid and alg need the key', () => {
    assertThrows(
      () => convert({ ...REQUIRED, oidcClientAssertionKey: keyA, oidcClientSecret: 's' }),
      UsageError,
      /exclude each other/,
    );
    assertThrows(
      () => convert({ ...REQUIRED, oidcClientAssertionKid: 'k' }),
      UsageError,
      /^--oidc-client-assertion-kid needs --oidc-client-assertion-key$/,
    );
    assertThrows(
      () => convert({ ...REQUIRED, oidcClientAssertionAlg: 'ES256' }),
      UsageError,
      /^--oidc-client-assertion-alg needs --oidc-client-assertion-key$/,
    );
    assertThrows(
      () => convert({ ...REQUIRED, oidcClientAssertionKey: join(dir, 'absent.pem') }),
      ConfigError,
      /^--oidc-client-assertion-key \S+absent\.pem: cannot read it \(no such file\)$/,
    );
  });

  it("keys the cache by the key file's fingerprint, never its content or path, and leaves keys without one as they were", () => {
    const input = cacheKeyInput(convert({ ...REQUIRED, oidcClientAssertionKey: keyA }));
    assert.match(input.clientAssertionKey ?? '', /^[0-9a-f]{64}$/);
    assert.ok(!JSON.stringify(input).includes('AAAA') && !JSON.stringify(input).includes(keyA));
    assert.notEqual(keyOf({ oidcClientAssertionKey: keyA }), keyOf({ oidcClientAssertionKey: keyB }));
    assert.notEqual(keyOf({ oidcClientAssertionKey: keyA }), keyOf({}));
    assert.equal(
      keyOf({ oidcClientAssertionKey: keyA, oidcClientAssertionKid: 'k1' }),
      keyOf({ oidcClientAssertionKey: keyA }),
      'the kid selects no other token',
    );
    assert.equal(
      'clientAssertionKey' in cacheKeyInput(convert(REQUIRED)) && cacheKeyInput(convert(REQUIRED)).clientAssertionKey,
      undefined,
    );
  });
});

describe('--exchange-audience', () => {
  const keys = (audience?: string) =>
    credentialCacheKey(convert({ ...REQUIRED, ...(audience === undefined ? {} : { exchangeAudience: audience }) }));

  it('keeps the login under its own key and caches each audience apart', () => {
    const plain = keys();
    const a = keys('cluster-a');
    const b = keys('cluster-b');
    assert.equal(plain.key, plain.loginKey);
    assert.equal(a.loginKey, plain.key, 'every audience shares the login');
    assert.equal(b.loginKey, plain.key);
    assert.notEqual(a.key, plain.key);
    assert.notEqual(a.key, b.key);
  });

  it('goes only with grants that log in at the provider', () => {
    assertThrows(
      () => convert({ grantType: 'github-actions', oidcClientId: 'k', exchangeAudience: 'a' }),
      UsageError,
      /^--exchange-audience does not go with --grant-type=github-actions$/,
    );
    assertThrows(
      () => convert({ grantType: 'token-file', tokenFile: '/t', exchangeAudience: 'a' }),
      UsageError,
      /^--exchange-audience does not go with --grant-type=token-file$/,
    );
    assertThrows(() => convert({ ...REQUIRED, exchangeAudience: '' }), UsageError, /must not be empty/);
  });
});
