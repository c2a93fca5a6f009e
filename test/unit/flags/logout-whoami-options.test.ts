import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UsageError } from '../../../src/core/errors.ts';
import type { PathEnvironment } from '../../../src/core/paths.ts';
import { WHOAMI_FLAGS } from '../../../src/flags/command-flags.ts';
import { parserFor } from '../../../src/flags/flag-specs.ts';
import { toLogoutOptions } from '../../../src/flags/logout-options.ts';
import { toWhoamiOptions } from '../../../src/flags/whoami-options.ts';

const ENV: PathEnvironment = { env: { HOME: '/home/alice' }, platform: 'linux' };
const ignore = (): void => undefined;

describe('toLogoutOptions', () => {
  it('with get-token flags selects their entry, in the same cache as get-token', () => {
    const options = toLogoutOptions(
      { oidcIssuerUrl: 'https://issuer.example', oidcClientId: 'kubernetes' },
      ENV,
      ignore,
    );
    assert.equal(options.target?.provider.issuerUrl, 'https://issuer.example');
    assert.deepEqual(options.cache, { storage: 'disk', dir: '/home/alice/.kube/cache/oidc-login' });
    assert.equal(options.endSession, false);
  });

  it('with --all takes the cache and the transport flags, and no issuer', () => {
    const options = toLogoutOptions(
      { all: true, tokenCacheStorage: 'keyring', certificateAuthority: ['~/ca.pem'] },
      ENV,
      ignore,
    );
    assert.equal(options.target, undefined);
    assert.deepEqual(options.cache, { storage: 'keyring', dir: '/home/alice/.kube/cache/oidc-login' });
    assert.deepEqual(options.transport.certificateAuthorities, ['/home/alice/ca.pem']);
    assert.equal(options.transport.credentialsFor, undefined);
  });

  it('with --all and --oidc-issuer-url, the credentials given are for that issuer and client alone', () => {
    const options = toLogoutOptions(
      { all: true, oidcIssuerUrl: 'https://issuer.example', oidcClientId: 'k', oidcClientSecret: 's' },
      ENV,
      ignore,
    );
    assert.equal(options.target, undefined);
    assert.equal(options.transport.credentialsFor?.issuerUrl, 'https://issuer.example');
    assert.equal(options.transport.credentialsFor?.clientId, 'k');
    assert.equal(options.transport.credentialsFor?.clientSecret, 's');
  });

  it("refuses a client's credentials with --all but without the issuer they are for, and no issuer without --all", () => {
    for (const [flags, name] of [
      [{ oidcClientId: 'k', oidcClientSecret: 's' }, 'oidc-client-secret'],
      [{ oidcClientAssertionKey: '/key.pem' }, 'oidc-client-assertion-key'],
      [{ oidcRequestHeader: { 'X-Key': 'v' } }, 'oidc-request-header'],
    ] as const) {
      assert.throws(
        () => toLogoutOptions({ all: true, ...flags }, ENV, ignore),
        (error: unknown) =>
          error instanceof UsageError &&
          error.message ===
            `--${name} with --all goes only to the provider it is for: give its --oidc-issuer-url and --oidc-client-id too`,
      );
    }
    assert.throws(
      () => toLogoutOptions({}, ENV, ignore),
      (error: unknown) =>
        error instanceof UsageError &&
        error.message === '--oidc-issuer-url is required' &&
        /--all/.test(error.hint ?? ''),
    );
  });
});

describe('toWhoamiOptions', () => {
  it('defaults to text output and no login, and expands ~ in --kubeconfig', () => {
    const options = toWhoamiOptions({ kubeconfig: '~/kc' }, ENV, () => undefined);
    assert.equal(options.kubeconfig, '/home/alice/kc');
    assert.equal(options.output, 'text');
    assert.equal(options.login, false);
  });

  it('refuses an unknown output format when parsing it, naming the flag', () => {
    const output = WHOAMI_FLAGS.find((spec) => spec.name === 'output');
    assert.ok(output);
    assert.equal(parserFor(output)('json', undefined), 'json');
    assert.throws(
      () => parserFor(output)('yaml', undefined),
      (error: unknown) =>
        error instanceof UsageError && /^--output must be one of text, json, got "yaml"$/.test(error.message),
    );
  });
});
