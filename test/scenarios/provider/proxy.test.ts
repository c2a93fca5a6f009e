/**
 * Proxies from the environment. The HTTPS provider is named `provider.test`, a
 * name only the recording proxy resolves, so a login that works went through
 * the proxy; the CA flag and --oidc-request-header must work through its
 * tunnel. NO_PROXY and loopback issuers bypass it, HTTP_PROXY forwards http
 * issuers, and a malformed, refusing or closed proxy is a one-line error.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { assertLoggedIn, assertOneLineError } from '../../support/cli-outcome.ts';
import { PASSWORD_LOGIN_FLAGS } from '../../support/get-token-args.ts';
import { startRecordingProxy } from '../../support/provider/recording-proxy.ts';
import { createCaSignedCertificate } from '../../support/provider/test-ca.ts';
import { getFreePort } from '../../support/provider/test-provider.ts';
import { serverForAll } from '../../support/server-for-all.ts';
import { type World, worldForAll } from '../../support/world.ts';

/** A name that resolves nowhere but in the proxy (RFC 6761 reserves .test). */
const PROVIDER_HOST = 'provider.test';
/** The header every request to the provider must carry, through the tunnel too. */
const TEST_HEADER = { name: 'x-kubelogin-test', value: 'through-the-proxy' };
/** The proxy variables of the machine running the tests, unset so only what a test sets applies. */
const NO_PROXY_VARIABLES: NodeJS.ProcessEnv = Object.fromEntries(
  ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy'].map((name) => [name, undefined]),
);
/** The provider's CA, as a file in the world's HOME. */
const CA_FILE = 'ca.pem';
/** Where the recording proxies send `provider.test`. */
const PROXY_HOSTS = { [PROVIDER_HOST]: '127.0.0.1' };

/** get-token in `world` with the password grant and no cache, plus `extra`, with the proxy variables of `env`. */
function login(world: World, extra: string[], env: NodeJS.ProcessEnv) {
  const args = [...PASSWORD_LOGIN_FLAGS, ...extra];
  return world.getToken(args, { env: { ...NO_PROXY_VARIABLES, ...env } });
}

const pki = await createCaSignedCertificate([PROVIDER_HOST]);

describe('proxies from the environment', () => {
  const world = worldForAll({
    provider: { tls: pki.server, hostname: PROVIDER_HOST },
    homeFiles: { [CA_FILE]: pki.ca },
  });
  const proxy = serverForAll(() => startRecordingProxy({ hosts: PROXY_HOSTS }));
  const refusingProxy = serverForAll(() => startRecordingProxy({ refuseWith: 407 }));
  const caFlag = () => `--certificate-authority=${join(world().home.home, CA_FILE)}`;
  /** `provider.test:<port>`, as the proxy records the tunnel. */
  const target = () => new URL(world().provider.issuer).host;

  it('reaches the provider only through HTTPS_PROXY, with the CA flag and the request header', async () => {
    const { provider } = world();
    const requestsBefore = provider.requests.length;
    const result = await login(world(), [caFlag(), `--oidc-request-header=${TEST_HEADER.name}=${TEST_HEADER.value}`], {
      HTTPS_PROXY: proxy().url,
    });
    assertLoggedIn(result);
    assert.ok(proxy().targets.length > 0, 'the proxy opened tunnels');
    assert.deepEqual(new Set(proxy().targets), new Set([target()]));
    const requests = provider.requests.slice(requestsBefore);
    assert.ok(
      requests.some((request) => request.url === '/jwks'),
      'the JWKS came through the proxy',
    );
    for (const request of requests)
      assert.equal(request.headers[TEST_HEADER.name], TEST_HEADER.value, `${request.method} ${request.url}`);
  });

  it('reads the lowercase https_proxy too', async () => {
    const tunnels = proxy().targets.length;
    assertLoggedIn(await login(world(), [caFlag()], { https_proxy: proxy().url }));
    assert.ok(proxy().targets.length > tunnels);
  });

  it('connects directly to a host NO_PROXY lists', async () => {
    const tunnels = proxy().targets.length;
    const result = await login(world(), [caFlag()], {
      HTTPS_PROXY: proxy().url,
      NO_PROXY: `example.com,${PROVIDER_HOST}`,
    });
    assertOneLineError(
      result,
      /^error: cannot reach the OIDC provider at provider\.test:\d+ \(OIDC discovery\): host not found \(DNS\)$/,
    );
    assert.equal(proxy().targets.length, tunnels, 'the proxy saw nothing');
  });

  it('names a proxy that refuses connections', async () => {
    const closedPort = await getFreePort();
    const result = await login(world(), [caFlag()], { HTTPS_PROXY: `http://127.0.0.1:${closedPort}` });
    assertOneLineError(
      result,
      new RegExp(
        `^error: cannot reach the proxy 127\\.0\\.0\\.1:${closedPort} from HTTPS_PROXY \\(OIDC discovery at provider\\.test:\\d+\\): connection refused$`,
      ),
    );
  });

  it('says what to do when the proxy wants credentials', async () => {
    const result = await login(world(), [caFlag()], { HTTPS_PROXY: refusingProxy().url });
    assertOneLineError(
      result,
      /^error: the proxy 127\.0\.0\.1:\d+ \(HTTPS_PROXY\) refused the connection to provider\.test:\d+ with HTTP 407 \(OIDC discovery\)$/,
    );
    assert.match(result.stderr, /^hint: put the proxy credentials in HTTPS_PROXY/m);
  });

  it('names a malformed proxy URL by its variable, without showing it', async () => {
    const result = await login(world(), [caFlag()], { HTTPS_PROXY: 'http://user:secret-password@[bad' });
    assertOneLineError(result, /^error: HTTPS_PROXY is not a valid proxy URL$/);
    assert.ok(!result.stderr.includes('secret-password'));
    assertOneLineError(
      await login(world(), [caFlag()], { https_proxy: 'socks4://127.0.0.1:1080' }),
      /^error: https_proxy must be an http:\/\/ or https:\/\/ proxy URL, not socks4:\/\/$/,
    );
  });
});

describe('proxies that do not apply, and http issuers', () => {
  const loopbackWorld = worldForAll();
  const httpWorld = worldForAll({ provider: { hostname: PROVIDER_HOST } });
  const proxy = serverForAll(() => startRecordingProxy({ hosts: PROXY_HOSTS }));

  it('never sends a loopback issuer through a proxy, as Go does', async () => {
    assertLoggedIn(await login(loopbackWorld(), [], { HTTPS_PROXY: proxy().url, HTTP_PROXY: proxy().url }));
    assert.deepEqual(proxy().targets, []);
  });

  it('forwards requests to an http issuer through HTTP_PROXY, with the request header', async () => {
    const { provider } = httpWorld();
    const result = await login(httpWorld(), [`--oidc-request-header=${TEST_HEADER.name}=${TEST_HEADER.value}`], {
      HTTP_PROXY: proxy().url,
    });
    assertLoggedIn(result);
    assert.deepEqual(new Set(proxy().targets), new Set([new URL(provider.issuer).host]));
    for (const request of provider.requests) assert.equal(request.headers[TEST_HEADER.name], TEST_HEADER.value);
  });
});
