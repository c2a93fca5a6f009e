/**
 * Per-cluster settings from the cluster's exec extension (spec.cluster.config): they fill in what
 * the exec arguments leave out, and every mistake is one error naming the cluster and the key.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '../../../src/core/errors.ts';
import type { ExecCluster } from '../../../src/core/exec-credential.ts';
import { withClusterSettings } from '../../../src/flags/cluster-settings.ts';
import type { RawGetTokenFlags } from '../../../src/flags/login-options.ts';

const SERVER = 'https://prod.example:6443';

/** The cluster kubectl names, with `config` as its exec extension. */
function cluster(config: unknown): ExecCluster {
  return { server: SERVER, config };
}

function assertConfigError(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    assert.match(error.message, pattern);
    assert.ok(!error.message.includes('\n'), 'one line');
    return true;
  });
}

describe('withClusterSettings', () => {
  it('returns the flags as they are without a cluster or without an extension', () => {
    const flags: RawGetTokenFlags = { oidcIssuerUrl: 'https://issuer.example' };
    assert.equal(withClusterSettings(flags, undefined), flags);
    assert.equal(withClusterSettings(flags, cluster(undefined)), flags);
  });

  it('fills in what the arguments leave out, each kind of flag from its JSON type', () => {
    const merged = withClusterSettings(
      { oidcExtraScope: ['email'] },
      cluster({
        'oidc-issuer-url': 'https://issuer.example',
        'oidc-client-id': 'prod',
        'grant-type': 'device-code',
        'skip-open-browser': true,
        'authentication-timeout-sec': 60,
        'certificate-authority-data': 'QUJD',
        'listen-address': ['127.0.0.1:8000', '127.0.0.1:18000'],
        'oidc-auth-request-extra-params': { prompt: 'select_account', max_age: 0, 'x-list': 'a,b' },
      }),
    );
    assert.deepEqual(merged, {
      oidcExtraScope: ['email'],
      oidcIssuerUrl: 'https://issuer.example',
      oidcClientId: 'prod',
      grantType: 'device-code',
      skipOpenBrowser: true,
      authenticationTimeoutSec: 60,
      certificateAuthorityData: ['QUJD'],
      listenAddress: ['127.0.0.1:8000', '127.0.0.1:18000'],
      oidcAuthRequestExtraParams: { prompt: 'select_account', max_age: '0', 'x-list': 'a,b' },
    });
  });

  it('splits a list given as one string on commas, as the flag does', () => {
    assert.deepEqual(withClusterSettings({}, cluster({ 'oidc-extra-scope': 'email,groups' })).oidcExtraScope, [
      'email',
      'groups',
    ]);
  });

  it('accepts a key the arguments give with the same value', () => {
    const merged = withClusterSettings(
      { oidcClientId: 'prod', oidcExtraScope: ['email', 'groups'] },
      cluster({ 'oidc-client-id': 'prod', 'oidc-extra-scope': ['email', 'groups'] }),
    );
    assert.equal(merged.oidcClientId, 'prod');
  });

  it('refuses a key the arguments give with another value, naming the server and the flag but no value', () => {
    assertConfigError(
      () =>
        withClusterSettings({ oidcClientSecret: 'secret-in-args' }, cluster({ 'oidc-client-secret': 'other-secret' })),
      /^the cluster https:\/\/prod\.example:6443 sets oidc-client-secret in its client\.authentication\.k8s\.io\/exec extension, and the exec arguments give --oidc-client-secret another value$/,
    );
    assertConfigError(
      () => withClusterSettings({ skipOpenBrowser: true }, cluster({ 'skip-open-browser': false })),
      /sets skip-open-browser/,
    );
  });

  it('refuses an extension that is not a mapping', () => {
    for (const [config, what] of [
      [['oidc-issuer-url'], 'a list'],
      ['oidc-issuer-url=https://x', 'a string'],
      [3, 'a number'],
    ] as const) {
      assertConfigError(
        () => withClusterSettings({}, cluster(config)),
        new RegExp(
          `^the client\\.authentication\\.k8s\\.io/exec extension of the cluster https://prod\\.example:6443 is ${what}, not a mapping of get-token's flags$`,
        ),
      );
    }
  });

  it('refuses an unknown key, a dashed flag name, and the hidden flags of old arguments', () => {
    for (const key of ['oidc-issuer', '--oidc-issuer-url', 'oidcIssuerUrl', 'listen-port', 'oidc-use-pkce']) {
      assertConfigError(
        () => withClusterSettings({}, cluster({ [key]: 'x' })),
        new RegExp(`extension of the cluster https://prod\\.example:6443 has the unknown key "${key}"$`),
      );
    }
  });

  it('refuses a value of the wrong type, naming the key and what it takes, without the value', () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ 'oidc-client-id': 42 }, /has oidc-client-id a number; it takes a string$/],
      [{ 'oidc-client-id': null }, /has oidc-client-id null; it takes a string$/],
      [{ 'oidc-client-secret': ['s3cret'] }, /has oidc-client-secret a list; it takes a string$/],
      [{ 'skip-open-browser': 'yes' }, /has skip-open-browser a string; it takes true or false$/],
      [{ 'authentication-timeout-sec': 1.5 }, /has authentication-timeout-sec a number; it takes a whole number$/],
      [{ 'oidc-extra-scope': ['email', 3] }, /has oidc-extra-scope a list; it takes a string or a list of strings$/],
      [{ 'oidc-request-header': 'X-A=b' }, /has oidc-request-header a string; it takes a mapping of keys to strings$/],
      [{ 'oidc-request-header': { 'X-A': { b: 1 } } }, /has oidc-request-header a mapping; it takes a mapping/],
    ];
    for (const [config, pattern] of cases) assertConfigError(() => withClusterSettings({}, cluster(config)), pattern);
  });

  it("refuses a value the flag's parser refuses, naming the extension and the flag", () => {
    assertConfigError(
      () => withClusterSettings({}, cluster({ 'grant-type': 'magic' })),
      /^the client\.authentication\.k8s\.io\/exec extension of the cluster https:\/\/prod\.example:6443: --grant-type must be one of /,
    );
    assertConfigError(
      () => withClusterSettings({}, cluster({ 'authentication-timeout-sec': -1 })),
      /: --authentication-timeout-sec takes a whole number, got "-1"$/,
    );
  });
});
