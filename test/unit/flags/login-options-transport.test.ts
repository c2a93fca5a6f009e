import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UsageError } from '../../../src/core/errors.ts';
import type { PathEnvironment } from '../../../src/core/paths.ts';
import { type RawLoginFlags, toLoginOptions } from '../../../src/flags/login-options.ts';

const ENV: PathEnvironment = { env: { HOME: '/home/tester' }, platform: 'linux' };
const REQUIRED: RawLoginFlags = { oidcIssuerUrl: 'https://issuer.example.com', oidcClientId: 'kubernetes' };

const convert = (raw: RawLoginFlags) => toLoginOptions({ ...REQUIRED, ...raw }, ENV, () => undefined);

function assertUsageError(raw: RawLoginFlags, message: string): void {
  assert.throws(
    () => convert(raw),
    (error: unknown) => error instanceof UsageError && error.message === message,
  );
}

describe('toLoginOptions: the loopback certificate and key', () => {
  it('takes both, with ~ expanded, or neither', () => {
    assert.deepEqual(
      convert({ localServerCert: '~/tls/cert.pem', localServerKey: '/etc/key.pem' }).browser.localServerTls,
      {
        certFile: '/home/tester/tls/cert.pem',
        keyFile: '/etc/key.pem',
      },
    );
    assert.equal(convert({}).browser.localServerTls, undefined);
  });

  it('names the missing flag when only one is given', () => {
    assertUsageError({ localServerCert: 'cert.pem' }, '--local-server-cert needs --local-server-key');
    assertUsageError({ localServerKey: 'key.pem' }, '--local-server-key needs --local-server-cert');
  });
});

describe('toLoginOptions: request headers', () => {
  it('keeps valid headers as given', () => {
    assert.deepEqual(
      convert({ oidcRequestHeader: { Origin: 'https://spa.example', 'X-Trace': 'a b' } }).provider.requestHeaders,
      {
        Origin: 'https://spa.example',
        'X-Trace': 'a b',
      },
    );
  });

  it('rejects a name or value that HTTP cannot carry', () => {
    assertUsageError(
      { oidcRequestHeader: { 'bad name': 'x' } },
      '--oidc-request-header has an invalid header name "bad name"',
    );
    assertUsageError(
      { oidcRequestHeader: { Origin: 'a\r\nInjected: 1' } },
      '--oidc-request-header Origin has a line break or NUL in its value',
    );
  });
});
