import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UsageError } from '../../../src/core/errors.ts';
import { proxyFor, readProxyEnvironment } from '../../../src/provider/proxy-environment.ts';

const PROXY = 'http://proxy.corp:3128';

/** The label of the proxy `url` goes through in `env`, or undefined for a direct connection. */
function route(env: NodeJS.ProcessEnv, url: string): string | undefined {
  const proxy = proxyFor(readProxyEnvironment(env), new URL(url));
  return proxy && `${proxy.variable} ${proxy.url.href}`;
}

function assertUsageError(env: NodeJS.ProcessEnv, pattern: RegExp): void {
  assert.throws(
    () => readProxyEnvironment(env),
    (error: unknown) => error instanceof UsageError && pattern.test(error.message),
  );
}

describe('readProxyEnvironment and proxyFor: which proxy', () => {
  it('sends https requests through HTTPS_PROXY and http ones through HTTP_PROXY, never the other', () => {
    assert.equal(route({ HTTPS_PROXY: PROXY }, 'https://issuer.example'), `HTTPS_PROXY ${PROXY}/`);
    assert.equal(route({ HTTPS_PROXY: PROXY }, 'http://issuer.example'), undefined);
    assert.equal(route({ HTTP_PROXY: PROXY }, 'http://issuer.example'), `HTTP_PROXY ${PROXY}/`);
    assert.equal(route({ HTTP_PROXY: PROXY }, 'https://issuer.example'), undefined);
  });

  it('takes the lowercase names, with the uppercase winning and empty values skipped, as Go does', () => {
    assert.equal(route({ https_proxy: PROXY }, 'https://issuer.example'), `https_proxy ${PROXY}/`);
    assert.equal(
      route({ HTTPS_PROXY: 'http://upper:1', https_proxy: 'http://lower:2' }, 'https://issuer.example'),
      'HTTPS_PROXY http://upper:1/',
    );
    assert.equal(
      route({ HTTPS_PROXY: '', https_proxy: 'http://lower:2' }, 'https://issuer.example'),
      'https_proxy http://lower:2/',
    );
  });

  it('reads a value without a scheme as an http proxy', () => {
    assert.equal(route({ HTTPS_PROXY: 'proxy.corp:3128' }, 'https://issuer.example'), `HTTPS_PROXY ${PROXY}/`);
    assert.equal(
      route({ HTTPS_PROXY: '10.0.0.1:3128' }, 'https://issuer.example'),
      'HTTPS_PROXY http://10.0.0.1:3128/',
    );
  });

  it('labels the proxy without its credentials', () => {
    const proxy = readProxyEnvironment({ HTTPS_PROXY: 'http://user:secret@proxy.corp:3128' }).https;
    assert.equal(proxy?.label, 'proxy.corp:3128');
  });

  it('never proxies localhost or loopback addresses', () => {
    const env = { HTTPS_PROXY: PROXY, HTTP_PROXY: PROXY };
    for (const url of ['https://localhost:8443', 'http://127.0.0.1:5556', 'https://127.1.2.3', 'https://[::1]:8443'])
      assert.equal(route(env, url), undefined, url);
  });

  it('rejects a malformed URL or another scheme, naming the variable and not the value', () => {
    assertUsageError({ HTTPS_PROXY: 'http://user:pw@[bad' }, /^HTTPS_PROXY is not a valid proxy URL$/);
    assertUsageError({ http_proxy: 'http://proxy:99999' }, /^http_proxy is not a valid proxy URL$/);
    assertUsageError(
      { HTTPS_PROXY: 'socks5://proxy:1080' },
      /^HTTPS_PROXY must be an http:\/\/ or https:\/\/ proxy URL, not socks5:\/\/$/,
    );
  });
});

describe('readProxyEnvironment and proxyFor: NO_PROXY, with Go rules', () => {
  /** True when `url` bypasses the proxy with this NO_PROXY. */
  const bypasses = (noProxy: string, url: string) =>
    route({ HTTPS_PROXY: PROXY, HTTP_PROXY: PROXY, NO_PROXY: noProxy }, url) === undefined;

  it('* bypasses everything', () => {
    assert.ok(bypasses('*', 'https://issuer.example'));
  });

  it('a domain matches itself and its subdomains; with a leading dot only subdomains; *. as a leading dot', () => {
    assert.ok(bypasses('corp.example', 'https://corp.example'));
    assert.ok(bypasses('corp.example', 'https://sso.corp.example'));
    assert.ok(!bypasses('corp.example', 'https://notcorp.example'));
    assert.ok(!bypasses('.corp.example', 'https://corp.example'));
    assert.ok(bypasses('.corp.example', 'https://sso.corp.example'));
    assert.ok(bypasses('*.corp.example', 'https://sso.corp.example'));
  });

  it('trims, ignores case and empty entries, and reads the lowercase name', () => {
    assert.ok(bypasses(' , other.example ,  SSO.Corp.Example ', 'https://sso.corp.example'));
    assert.equal(route({ HTTPS_PROXY: PROXY, no_proxy: 'sso.corp.example' }, 'https://sso.corp.example'), undefined);
  });

  it('an entry with a port matches that port only, the scheme default included', () => {
    assert.ok(bypasses('sso.corp.example:8443', 'https://sso.corp.example:8443'));
    assert.ok(!bypasses('sso.corp.example:8443', 'https://sso.corp.example'));
    assert.ok(bypasses('sso.corp.example:443', 'https://sso.corp.example'));
  });

  it('IP addresses, with or without a port, and CIDR blocks', () => {
    assert.ok(bypasses('10.1.2.3', 'https://10.1.2.3:8443'));
    assert.ok(!bypasses('10.1.2.3:443', 'https://10.1.2.3:8443'));
    assert.ok(bypasses('10.0.0.0/8', 'https://10.200.0.1'));
    assert.ok(!bypasses('10.0.0.0/8', 'https://11.0.0.1'));
    assert.ok(bypasses('fd00::/8', 'https://[fd00::1]'));
    assert.ok(bypasses('[fd00::1]:8443', 'https://[fd00:0::1]:8443'));
    assert.ok(!bypasses('10.0.0.0/8', 'https://10.example'));
  });
});
