/**
 * describeProviderError on failures below HTTP, given as undici reports them
 * (a TypeError whose cause carries Node's or undici's code and message).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NetworkError, TimeoutError } from '../../../src/core/errors.ts';
import { describeProviderError, type RequestRoute, TransportFailure } from '../../../src/provider/errors.ts';

const HOST = 'sso.corp.example';
const DIRECT: RequestRoute = { proxy: undefined, connectTimeoutMs: 10_000, responseTimeoutMs: 30_000 };
const PROXIED: RequestRoute = { ...DIRECT, proxy: { label: 'proxy.corp:3128', variable: 'HTTPS_PROXY' } };

/** A fetch failure as undici throws it, with `code` and `message` on its cause, wrapped as the provider's fetch does. */
function failure(route: RequestRoute, code: string, message: string): TransportFailure {
  const cause = Object.assign(new Error(message), { code });
  return new TransportFailure(route, new TypeError('fetch failed', { cause }));
}

function explain(error: unknown) {
  return describeProviderError(error, 'OIDC discovery', HOST);
}

describe('describeProviderError: failures below HTTP', () => {
  it('names the certificate problem and the CA flag', () => {
    const error = explain(failure(DIRECT, 'SELF_SIGNED_CERT_IN_CHAIN', 'self-signed certificate in certificate chain'));
    assert.ok(error instanceof NetworkError);
    assert.equal(
      error.message,
      `cannot verify the TLS certificate of the OIDC provider at ${HOST} (OIDC discovery): self-signed certificate in certificate chain; trust its CA with --certificate-authority`,
    );
  });

  it('says when the certificate is for another host', () => {
    const error = explain(
      failure(
        DIRECT,
        'ERR_TLS_CERT_ALTNAME_INVALID',
        "Hostname/IP does not match certificate's altnames: Host: sso.corp.example. is not in the cert's altnames: DNS:other.example",
      ),
    );
    assert.match(
      error.message,
      /^the TLS certificate of the OIDC provider at sso\.corp\.example is not issued for that host \(OIDC discovery\): Hostname\/IP does not match/,
    );
    assert.match(error.hint ?? '', /--oidc-issuer-url/);
  });

  it('words DNS failures and refused connections', () => {
    assert.equal(
      explain(failure(DIRECT, 'ENOTFOUND', 'getaddrinfo ENOTFOUND sso.corp.example')).message,
      `cannot reach the OIDC provider at ${HOST} (OIDC discovery): host not found (DNS)`,
    );
    assert.equal(
      explain(failure(DIRECT, 'ECONNREFUSED', 'connect ECONNREFUSED 10.0.0.1:443')).message,
      `cannot reach the OIDC provider at ${HOST} (OIDC discovery): connection refused`,
    );
  });

  it('says which timeout passed, with its length', () => {
    const connect = explain(failure(DIRECT, 'UND_ERR_CONNECT_TIMEOUT', 'Connect Timeout Error'));
    assert.ok(connect instanceof TimeoutError);
    assert.equal(
      connect.message,
      `the OIDC provider at ${HOST} did not accept a connection within 10s (OIDC discovery)`,
    );
    const response = explain(failure(DIRECT, 'UND_ERR_HEADERS_TIMEOUT', 'Headers Timeout Error'));
    assert.equal(response.message, `the OIDC provider at ${HOST} did not answer within 30s (OIDC discovery)`);
    const deadline = explain(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
    assert.ok(deadline instanceof TimeoutError);
    assert.equal(deadline.message, `OIDC discovery at ${HOST} did not answer in time`);
  });

  it('blames the proxy for connections to it, and for refusing the tunnel', () => {
    assert.equal(
      explain(failure(PROXIED, 'ECONNREFUSED', 'connect ECONNREFUSED 10.0.0.9:3128')).message,
      `cannot reach the proxy proxy.corp:3128 from HTTPS_PROXY (OIDC discovery at ${HOST}): connection refused`,
    );
    const refused = explain(failure(PROXIED, 'UND_ERR_ABORTED', 'Proxy response (403) !== 200 when HTTP Tunneling'));
    assert.equal(
      refused.message,
      `the proxy proxy.corp:3128 (HTTPS_PROXY) refused the connection to ${HOST} with HTTP 403 (OIDC discovery)`,
    );
    assert.equal(refused.hint, 'check HTTPS_PROXY and NO_PROXY');
    assert.match(
      explain(failure(PROXIED, 'UND_ERR_CONNECT_TIMEOUT', 'Connect Timeout Error')).message,
      /within 10s through the proxy proxy\.corp:3128 \(HTTPS_PROXY\)/,
    );
  });
});
