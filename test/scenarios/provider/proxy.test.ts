/**
 * Proxies from the environment. The HTTPS provider is named `provider.test`, a
 * name only the recording proxy resolves, so a login that works went through
 * the proxy; the CA flag and --oidc-request-header must work through its
 * tunnel. NO_PROXY and loopback issuers bypass it, HTTP_PROXY forwards http
 * issuers, and a malformed, refusing or closed proxy is a one-line error.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type CliFixture, startCliFixture } from '../../support/cli-fixture.ts';
import { assertLoggedIn, assertOneLineError } from '../../support/cli-outcome.ts';
import { type RecordingProxy, startRecordingProxy } from '../../support/provider/recording-proxy.ts';
import { createCaSignedCertificate } from '../../support/provider/test-ca.ts';
import { getFreePort, passwordOf } from '../../support/provider/test-provider.ts';
import { runCli } from '../../support/run-cli.ts';

/** A name that resolves nowhere but in the proxy (RFC 6761 reserves .test). */
const PROVIDER_HOST = 'provider.test';
/** The header every request to the provider must carry, through the tunnel too. */
const TEST_HEADER = { name: 'x-kubelogin-test', value: 'through-the-proxy' };
/** Proxy variables of the machine running the tests, removed so only what a test sets applies. */
const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy'];

/** get-token for `fixture` with the password grant and no cache, plus `extra`, in `env`. */
function login(fixture: CliFixture, extra: string[], env: NodeJS.ProcessEnv) {
  const args = [
    ...fixture.args,
    '--grant-type=password',
    '--username=alice',
    `--password=${passwordOf('alice')}`,
    '--token-cache-storage=none',
    ...extra,
  ];
  const clean: NodeJS.ProcessEnv = { ...fixture.env, NODE_EXTRA_CA_CERTS: undefined };
  for (const name of PROXY_VARIABLES) delete clean[name];
  return runCli(args, { env: { ...clean, ...env } });
}

describe('proxies from the environment', () => {
  let fixture: CliFixture;
  let proxy: RecordingProxy;
  let caFlag: string;
  /** `provider.test:<port>`, as the proxy records the tunnel. */
  let target: string;

  before(async () => {
    const pki = await createCaSignedCertificate([PROVIDER_HOST]);
    fixture = await startCliFixture({ tls: pki.server, hostname: PROVIDER_HOST });
    proxy = await startRecordingProxy({ hosts: { [PROVIDER_HOST]: '127.0.0.1' } });
    const caFile = join(fixture.home.home, 'ca.pem');
    await writeFile(caFile, pki.ca);
    caFlag = `--certificate-authority=${caFile}`;
    target = new URL(fixture.provider.issuer).host;
  });
  after(async () => {
    await proxy.close();
    await fixture.close();
  });

  it('reaches the provider only through HTTPS_PROXY, with the CA flag and the request header', async () => {
    const requestsBefore = fixture.provider.requests.length;
    const result = await login(fixture, [caFlag, `--oidc-request-header=${TEST_HEADER.name}=${TEST_HEADER.value}`], {
      HTTPS_PROXY: proxy.url,
    });
    assertLoggedIn(result);
    assert.ok(proxy.targets.length > 0, 'the proxy opened tunnels');
    assert.deepEqual(new Set(proxy.targets), new Set([target]));
    const requests = fixture.provider.requests.slice(requestsBefore);
    assert.ok(
      requests.some((request) => request.url === '/jwks'),
      'the JWKS came through the proxy',
    );
    for (const request of requests)
      assert.equal(request.headers[TEST_HEADER.name], TEST_HEADER.value, `${request.method} ${request.url}`);
  });

  it('reads the lowercase https_proxy too', async () => {
    const tunnels = proxy.targets.length;
    assertLoggedIn(await login(fixture, [caFlag], { https_proxy: proxy.url }));
    assert.ok(proxy.targets.length > tunnels);
  });

  it('connects directly to a host NO_PROXY lists', async () => {
    const tunnels = proxy.targets.length;
    const result = await login(fixture, [caFlag], { HTTPS_PROXY: proxy.url, NO_PROXY: `example.com,${PROVIDER_HOST}` });
    assertOneLineError(
      result,
      /^error: cannot reach the OIDC provider at provider\.test:\d+ \(OIDC discovery\): host not found \(DNS\)$/,
    );
    assert.equal(proxy.targets.length, tunnels, 'the proxy saw nothing');
  });

  it('names a proxy that refuses connections', async () => {
    const closedPort = await getFreePort();
    const result = await login(fixture, [caFlag], { HTTPS_PROXY: `http://127.0.0.1:${closedPort}` });
    assertOneLineError(
      result,
      new RegExp(
        `^error: cannot reach the proxy 127\\.0\\.0\\.1:${closedPort} from HTTPS_PROXY \\(OIDC discovery at provider\\.test:\\d+\\): connection refused$`,
      ),
    );
  });

  it('says what to do when the proxy wants credentials', async () => {
    const refusing = await startRecordingProxy({ refuseWith: 407 });
    try {
      const result = await login(fixture, [caFlag], { HTTPS_PROXY: refusing.url });
      assertOneLineError(
        result,
        /^error: the proxy 127\.0\.0\.1:\d+ \(HTTPS_PROXY\) refused the connection to provider\.test:\d+ with HTTP 407 \(OIDC discovery\)$/,
      );
      assert.match(result.stderr, /^hint: put the proxy credentials in HTTPS_PROXY/m);
    } finally {
      await refusing.close();
    }
  });

  it('names a malformed proxy URL by its variable, without showing it', async () => {
    const result = await login(fixture, [caFlag], { HTTPS_PROXY: 'http://user:secret-password@[bad' });
    assertOneLineError(result, /^error: HTTPS_PROXY is not a valid proxy URL$/);
    assert.ok(!result.stderr.includes('secret-password'));
    assertOneLineError(
      await login(fixture, [caFlag], { https_proxy: 'socks4://127.0.0.1:1080' }),
      /^error: https_proxy must be an http:\/\/ or https:\/\/ proxy URL, not socks4:\/\/$/,
    );
  });
});

describe('proxies that do not apply, and http issuers', () => {
  let loopbackFixture: CliFixture;
  let httpFixture: CliFixture;
  let proxy: RecordingProxy;
  before(async () => {
    loopbackFixture = await startCliFixture();
    httpFixture = await startCliFixture({ hostname: PROVIDER_HOST });
    proxy = await startRecordingProxy({ hosts: { [PROVIDER_HOST]: '127.0.0.1' } });
  });
  after(async () => {
    await proxy.close();
    await httpFixture.close();
    await loopbackFixture.close();
  });

  it('never sends a loopback issuer through a proxy, as Go does', async () => {
    assertLoggedIn(await login(loopbackFixture, [], { HTTPS_PROXY: proxy.url, HTTP_PROXY: proxy.url }));
    assert.deepEqual(proxy.targets, []);
  });

  it('forwards requests to an http issuer through HTTP_PROXY, with the request header', async () => {
    const result = await login(httpFixture, [`--oidc-request-header=${TEST_HEADER.name}=${TEST_HEADER.value}`], {
      HTTP_PROXY: proxy.url,
    });
    assertLoggedIn(result);
    assert.deepEqual(new Set(proxy.targets), new Set([new URL(httpFixture.provider.issuer).host]));
    for (const request of httpFixture.provider.requests)
      assert.equal(request.headers[TEST_HEADER.name], TEST_HEADER.value);
  });
});
