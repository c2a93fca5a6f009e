import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { UsageError } from '../../../src/core/errors.ts';
import type { GetTokenOptions } from '../../../src/core/options.ts';
import type { PathEnvironment } from '../../../src/core/paths.ts';
import {
  type RawGetTokenFlags,
  type RawLoginFlags,
  toGetTokenOptions,
  toLoginOptions,
} from '../../../src/flags/login-options.ts';

/** A fake home directory, so that nothing depends on the real one. */
const HOME = '/home/tester';
const ENV: NodeJS.ProcessEnv = { HOME };
/** A Linux run with `env`. */
const onLinux = (env: NodeJS.ProcessEnv): PathEnvironment => ({ env, platform: 'linux' });

const REQUIRED: RawLoginFlags = { oidcIssuerUrl: 'https://issuer.example.com', oidcClientId: 'kubernetes' };

/** Converts flags, collecting the warnings. */
function convert(raw: RawLoginFlags) {
  const warnings: string[] = [];
  const options = toLoginOptions(raw, onLinux(ENV), (message) => warnings.push(message));
  return { options, warnings };
}

/** The cache directory of get-token options that keep a cache. */
function cacheDirOf(options: GetTokenOptions): string {
  assert.notEqual(options.cache.storage, 'none');
  return (options.cache as { dir: string }).dir;
}

function convertGetToken(raw: RawGetTokenFlags, env: NodeJS.ProcessEnv = ENV) {
  const warnings: string[] = [];
  const options = toGetTokenOptions(raw, onLinux(env), (message) => warnings.push(message));
  return { options, warnings };
}

function assertUsageError(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof UsageError, `expected a UsageError, got ${String(error)}`);
    assert.match(error.message, pattern);
    return true;
  });
}

describe('toLoginOptions: required flags and URLs', () => {
  it('requires --oidc-issuer-url', () => {
    assertUsageError(() => convert({ oidcClientId: 'kubernetes' }), /^--oidc-issuer-url is required$/);
    assertUsageError(() => convert({ oidcIssuerUrl: '', oidcClientId: 'kubernetes' }), /--oidc-issuer-url is required/);
  });

  it('requires --oidc-client-id', () => {
    assertUsageError(() => convert({ oidcIssuerUrl: 'https://issuer.example.com' }), /^--oidc-client-id is required$/);
  });

  it('rejects a malformed issuer URL, naming the flag', () => {
    assertUsageError(() => convert({ ...REQUIRED, oidcIssuerUrl: 'issuer.example.com' }), /--oidc-issuer-url/);
    assertUsageError(() => convert({ ...REQUIRED, oidcIssuerUrl: 'http://' }), /--oidc-issuer-url/);
  });

  it('rejects an issuer URL whose scheme is not http or https', () => {
    assertUsageError(
      () => convert({ ...REQUIRED, oidcIssuerUrl: 'ftp://issuer.example.com' }),
      /--oidc-issuer-url must be an http or https URL/,
    );
    assertUsageError(() => convert({ ...REQUIRED, oidcIssuerUrl: 'file:///etc/passwd' }), /--oidc-issuer-url/);
  });

  it('accepts http and https issuers as given', () => {
    assert.equal(
      convert({ ...REQUIRED, oidcIssuerUrl: 'http://127.0.0.1:5556/dex' }).options.provider.issuerUrl,
      'http://127.0.0.1:5556/dex',
    );
    assert.equal(convert(REQUIRED).options.provider.issuerUrl, 'https://issuer.example.com');
  });

  it('rejects a malformed redirect URL and open-url-after-authentication', () => {
    assertUsageError(() => convert({ ...REQUIRED, oidcRedirectUrl: 'localhost:8000' }), /--oidc-redirect-url/);
    assertUsageError(
      () => convert({ ...REQUIRED, openUrlAfterAuthentication: 'not a url' }),
      /--open-url-after-authentication/,
    );
  });

  it('accepts the out-of-band redirect URI of the keyboard flow, under either flag', () => {
    assert.equal(
      convert({ ...REQUIRED, oidcRedirectUrl: 'urn:ietf:wg:oauth:2.0:oob' }).options.browser.redirectUrl,
      'urn:ietf:wg:oauth:2.0:oob',
    );
    assert.equal(
      convert({ ...REQUIRED, oidcRedirectUrlAuthcodeKeyboard: 'urn:ietf:wg:oauth:2.0:oob' }).options.browser
        .redirectUrl,
      'urn:ietf:wg:oauth:2.0:oob',
    );
  });

  it('rejects a timeout of 0', () => {
    assertUsageError(() => convert({ ...REQUIRED, authenticationTimeoutSec: 0 }), /--authentication-timeout-sec/);
  });

  it('bounds the timeout by what a timer can wait (2^31-1 ms)', () => {
    assert.equal(
      convert({ ...REQUIRED, authenticationTimeoutSec: 2_147_483 }).options.browser.authenticationTimeoutMs,
      2_147_483_000,
    );
    assertUsageError(
      () => convert({ ...REQUIRED, authenticationTimeoutSec: 2_147_484 }),
      /^--authentication-timeout-sec must be between 1 and 2147483 seconds, got 2147484$/,
    );
  });
});

describe('toLoginOptions: defaults', () => {
  const { options, warnings } = convert(REQUIRED);

  it('listens on 127.0.0.1:8000 then 127.0.0.1:18000', () => {
    assert.deepEqual(options.browser.listenAddresses, ['127.0.0.1:8000', '127.0.0.1:18000']);
    convert(REQUIRED).options.browser.listenAddresses.pop();
    assert.deepEqual(
      convert(REQUIRED).options.browser.listenAddresses,
      ['127.0.0.1:8000', '127.0.0.1:18000'],
      "one run's options never change the default",
    );
  });

  it('waits 180 s for the browser login', () => {
    assert.equal(options.browser.authenticationTimeoutMs, 180_000);
  });

  it('uses PKCE auto and grant type auto', () => {
    assert.equal(options.provider.pkceMethod, 'auto');
    assert.deepEqual(options.grant, {
      type: 'auto',
      username: undefined,
      password: undefined,
      exchangeAudience: undefined,
    });
  });

  it('has a public client, no extra scopes, headers or params, and verifies TLS', () => {
    assert.equal(options.provider.clientSecret, undefined);
    assert.deepEqual(options.provider.extraScopes, []);
    assert.deepEqual(options.provider.requestHeaders, {});
    assert.deepEqual(options.provider.authRequestExtraParams, {});
    assert.deepEqual(options.provider.certificateAuthorities, []);
    assert.deepEqual(options.provider.certificateAuthorityData, []);
    assert.equal(options.provider.insecureSkipTLSVerify, false);
    assert.equal(options.provider.useAccessToken, false);
  });

  it('uses localhost in the redirect URL and opens the browser', () => {
    assert.equal(options.browser.redirectUrl, undefined);
    assert.equal(options.browser.redirectUrlHostname, 'localhost');
    assert.equal(options.browser.skipOpenBrowser, false);
    assert.equal(options.browser.browserCommand, undefined);
  });

  it('warns about nothing', () => {
    assert.deepEqual(warnings, []);
  });
});

describe('toLoginOptions: flags', () => {
  it('--oidc-use-pkce selects S256', () => {
    assert.equal(convert({ ...REQUIRED, oidcUsePkce: true }).options.provider.pkceMethod, 'S256');
    assert.equal(convert({ ...REQUIRED, oidcUsePkce: true, oidcPkceMethod: 'no' }).options.provider.pkceMethod, 'S256');
    assert.equal(convert({ ...REQUIRED, oidcUsePkce: false, oidcPkceMethod: 'no' }).options.provider.pkceMethod, 'no');
  });

  it('keeps the extra scopes in order', () => {
    assert.deepEqual(convert({ ...REQUIRED, oidcExtraScope: ['profile', 'email'] }).options.provider.extraScopes, [
      'profile',
      'email',
    ]);
  });

  it('treats an empty client secret as none', () => {
    assert.equal(convert({ ...REQUIRED, oidcClientSecret: '' }).options.provider.clientSecret, undefined);
    assert.equal(convert({ ...REQUIRED, oidcClientSecret: 's3cret' }).options.provider.clientSecret, 's3cret');
  });

  it('converts the timeout to milliseconds', () => {
    assert.equal(
      convert({ ...REQUIRED, authenticationTimeoutSec: 30 }).options.browser.authenticationTimeoutMs,
      30_000,
    );
  });

  it('maps the deprecated --listen-port to 127.0.0.1:PORT with a warning', () => {
    const { options, warnings } = convert({ ...REQUIRED, listenPort: [8000, 18000] });
    assert.deepEqual(options.browser.listenAddresses, ['127.0.0.1:8000', '127.0.0.1:18000']);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] ?? '', /--listen-port is deprecated/);
    assert.match(warnings[0] ?? '', /--listen-address/);
  });

  it('prefers --listen-address over --listen-port', () => {
    const { options } = convert({ ...REQUIRED, listenPort: [8000], listenAddress: ['127.0.0.1:0'] });
    assert.deepEqual(options.browser.listenAddresses, ['127.0.0.1:0']);
  });

  it('uses the deprecated --oidc-redirect-url-hostname as the redirect host name with a warning', () => {
    const { options, warnings } = convert({ ...REQUIRED, oidcRedirectUrlHostname: '127.0.0.1' });
    assert.equal(options.browser.redirectUrlHostname, '127.0.0.1');
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] ?? '', /--oidc-redirect-url-hostname is deprecated/);
  });

  it('uses the deprecated --oidc-redirect-url-authcode-keyboard as the redirect URL with a warning', () => {
    const { options, warnings } = convert({ ...REQUIRED, oidcRedirectUrlAuthcodeKeyboard: 'http://localhost:9999/cb' });
    assert.equal(options.browser.redirectUrl, 'http://localhost:9999/cb');
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] ?? '', /--oidc-redirect-url-authcode-keyboard is deprecated/);
  });

  it('accepts valid listen addresses', () => {
    const addresses = ['127.0.0.1:0', 'localhost:8000', '[::1]:65535'];
    assert.deepEqual(convert({ ...REQUIRED, listenAddress: addresses }).options.browser.listenAddresses, addresses);
  });

  it('rejects an invalid listen address, naming the flag', () => {
    for (const address of ['127.0.0.1', ':8000', '127.0.0.1:65536', '127.0.0.1:http', 'localhost:']) {
      assertUsageError(() => convert({ ...REQUIRED, listenAddress: [address] }), /--listen-address/);
    }
  });

  it('expands ~ in --certificate-authority', () => {
    const { options } = convert({
      ...REQUIRED,
      certificateAuthority: ['~/ca.pem', '/etc/ca.pem', 'relative/~/ca.pem'],
    });
    assert.deepEqual(options.provider.certificateAuthorities, [
      join(HOME, 'ca.pem'),
      '/etc/ca.pem',
      'relative/~/ca.pem',
    ]);
  });
});

describe('toGetTokenOptions', () => {
  it('defaults the cache dir to ~/.kube/cache/oidc-login without KUBECACHEDIR', () => {
    assert.equal(cacheDirOf(convertGetToken(REQUIRED).options), join(HOME, '.kube', 'cache', 'oidc-login'));
  });

  it('defaults the cache dir to $KUBECACHEDIR/oidc-login', () => {
    assert.equal(
      cacheDirOf(convertGetToken(REQUIRED, { HOME, KUBECACHEDIR: '/var/cache/kube' }).options),
      '/var/cache/kube/oidc-login',
    );
  });

  it('ignores an empty KUBECACHEDIR', () => {
    assert.equal(
      cacheDirOf(convertGetToken(REQUIRED, { HOME, KUBECACHEDIR: '' }).options),
      join(HOME, '.kube', 'cache', 'oidc-login'),
    );
  });

  it('expands ~ in --token-cache-dir, which wins over KUBECACHEDIR', () => {
    const { options } = convertGetToken(
      { ...REQUIRED, tokenCacheDir: '~/my-cache' },
      { HOME, KUBECACHEDIR: '/var/cache/kube' },
    );
    assert.equal(cacheDirOf(options), join(HOME, 'my-cache'));
    assert.equal(cacheDirOf(convertGetToken({ ...REQUIRED, tokenCacheDir: '~' }).options), HOME);
  });

  it('expands ~ in KUBECACHEDIR', () => {
    assert.equal(
      cacheDirOf(convertGetToken(REQUIRED, { HOME, KUBECACHEDIR: '~/kc' }).options),
      '/home/tester/kc/oidc-login',
    );
  });

  it('needs no home directory when --token-cache-dir is an absolute path', () => {
    assert.equal(cacheDirOf(convertGetToken({ ...REQUIRED, tokenCacheDir: '/srv/cache' }, {}).options), '/srv/cache');
  });

  it('defaults to disk storage without forced refresh', () => {
    const { options } = convertGetToken(REQUIRED);
    assert.equal(options.cache.storage, 'disk');
    assert.equal(options.forceRefresh, false);
  });

  it('keeps the cache flags and the login options', () => {
    const { options } = convertGetToken({
      ...REQUIRED,
      tokenCacheStorage: 'none',
      forceRefresh: true,
      grantType: 'device-code',
    });
    assert.deepEqual(options.cache, { storage: 'none' });
    assert.equal(options.forceRefresh, true);
    assert.deepEqual(options.grant, { type: 'device-code', exchangeAudience: undefined });
    assert.equal(options.provider.clientId, 'kubernetes');
  });

  it('still requires the issuer', () => {
    assertUsageError(() => convertGetToken({ oidcClientId: 'kubernetes' }), /--oidc-issuer-url is required/);
  });
});

describe('toLoginOptions: --login-hint', () => {
  it('takes the account for the logins that ask a person who they are', () => {
    for (const grantType of [undefined, 'authcode', 'authcode-keyboard', 'device-code'] as const) {
      const { options } = convert({ ...REQUIRED, ...(grantType ? { grantType } : {}), loginHint: 'me@example.com' });
      assert.equal(options.provider.loginHint, 'me@example.com');
    }
    assert.equal(convert(REQUIRED).options.provider.loginHint, undefined);
  });

  it('refuses an empty hint in one line naming the flag', () => {
    assertUsageError(() => convert({ ...REQUIRED, loginHint: '' }), /^--login-hint must not be empty$/);
  });

  it('refuses a second login_hint given as an extra parameter', () => {
    assertUsageError(
      () => convert({ ...REQUIRED, loginHint: 'a@example.com', oidcAuthRequestExtraParams: { login_hint: 'b' } }),
      /^--login-hint and --oidc-auth-request-extra-params login_hint=\.\.\. both set the login hint/,
    );
  });

  it('refuses the grants that never ask the person at the provider', () => {
    const cases: [RawLoginFlags, RegExp][] = [
      [{ grantType: 'password', username: 'u' }, /with the password grant/],
      [{ username: 'u' }, /with the password grant/],
      [{ grantType: 'client-credentials' }, /with --grant-type=client-credentials$/],
      [{ grantType: 'github-actions' }, /with --grant-type=github-actions$/],
      [{ grantType: 'token-file', tokenFile: '/t' }, /with --grant-type=token-file$/],
      [{ grantType: 'token-exchange', subjectTokenSource: 'github-actions' }, /with --grant-type=token-exchange$/],
    ];
    for (const [flags, pattern] of cases) {
      assertUsageError(() => convert({ ...REQUIRED, ...flags, loginHint: 'a@example.com' }), pattern);
    }
  });
});
