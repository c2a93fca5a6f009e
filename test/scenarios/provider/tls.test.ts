/**
 * TLS to the provider: a test provider served over HTTPS with a CA generated
 * here, trusted by --certificate-authority or --certificate-authority-data;
 * several CAs at once; and --insecure-skip-tls-verify against a self-signed
 * leaf. Every run uses the password grant, so discovery, the token request and
 * the JWKS all go over TLS with no browser in between. (NODE_EXTRA_CA_CERTS,
 * which Node reads at process start, is in test/subprocess/process-trust.test.ts.)
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { assertLoggedIn, assertOneLineError } from '../../support/cli-outcome.ts';
import { PASSWORD_LOGIN_FLAGS } from '../../support/get-token-args.ts';
import { createSelfSignedCertificate } from '../../support/provider/self-signed-certificate.ts';
import { createCaSignedCertificate } from '../../support/provider/test-ca.ts';
import { passwordOf } from '../../support/provider/test-provider.ts';
import { type World, worldForAll } from '../../support/world.ts';

/** The header every request to the provider must carry. */
const TEST_HEADER = { name: 'x-kubelogin-test', value: 'sent-by-kubelogin' };
/** The provider's CA and another one, as files in the world's HOME. */
const CA_FILE = 'ca.pem';
const OTHER_CA_FILE = 'other-ca.pem';

const base64 = (text: string) => Buffer.from(text).toString('base64');

const pki = await createCaSignedCertificate();
const { ca } = pki;
const otherCa = (await createCaSignedCertificate()).ca;
const selfSigned = await createSelfSignedCertificate();

/** get-token in `world` with the password grant and no cache, plus `extra`. */
const passwordLogin = (world: World, extra: string[]) => world.getToken([...PASSWORD_LOGIN_FLAGS, ...extra]);

describe('TLS to the provider', () => {
  const world = worldForAll({ provider: { tls: pki.server }, homeFiles: { [CA_FILE]: ca, [OTHER_CA_FILE]: otherCa } });
  const login = (extra: string[]) => passwordLogin(world(), extra);
  const homeFile = (name: string) => join(world().home.home, name);

  it('refuses the provider when nothing trusts its CA, naming the problem and the flag', async () => {
    assertOneLineError(
      await login([]),
      /^error: cannot verify the TLS certificate of the OIDC provider at 127\.0\.0\.1:\d+ \(OIDC discovery\): unable to verify the first certificate; trust its CA with --certificate-authority$/,
    );
  });

  it('trusts --certificate-authority for discovery, the token request and the JWKS', async () => {
    const { provider } = world();
    const before = provider.requests.length;
    const result = await login([
      `--certificate-authority=${homeFile(CA_FILE)}`,
      `--oidc-request-header=${TEST_HEADER.name}=${TEST_HEADER.value}`,
    ]);
    assertLoggedIn(result);
    assert.equal(result.stderr, '');
    const requests = provider.requests.slice(before);
    const paths = requests.map((request) => request.url.split('?')[0]);
    for (const path of ['/.well-known/openid-configuration', '/jwks', '/token'])
      assert.ok(paths.includes(path), `${path} in ${paths.join(', ')}`);
    for (const request of requests)
      assert.equal(request.headers[TEST_HEADER.name], TEST_HEADER.value, `${request.method} ${request.url}`);
  });

  it('has setup tell the API server to trust the same CA', async () => {
    const caFile = homeFile(CA_FILE);
    const args = world().args.filter((arg) => arg !== 'get-token' && !arg.startsWith('--token-cache-dir='));
    const result = await world().run([
      'setup',
      ...args,
      '--grant-type=password',
      '--username=alice',
      `--password=${passwordOf('alice')}`,
      `--certificate-authority=${caFile}`,
    ]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, new RegExp(`^--oidc-ca-file=${caFile.replaceAll('/', '\\/')}$`, 'm'));
    const firstLine = ca.trim().split('\n')[1] as string;
    assert.match(result.stdout, /certificateAuthority: \|/);
    assert.ok(result.stdout.includes(firstLine), 'the CA is in the AuthenticationConfiguration');
  });

  it('expands ~ in --certificate-authority', async () => {
    assertLoggedIn(await login([`--certificate-authority=~/${CA_FILE}`]));
  });

  it('trusts --certificate-authority-data', async () => {
    assertLoggedIn(await login([`--certificate-authority-data=${base64(ca)}`]));
  });

  it('trusts every CA of repeated flags', async () => {
    assertLoggedIn(
      await login([
        `--certificate-authority=${homeFile(OTHER_CA_FILE)}`,
        `--certificate-authority=${homeFile(CA_FILE)}`,
      ]),
    );
    assertLoggedIn(
      await login([`--certificate-authority-data=${base64(otherCa)}`, `--certificate-authority-data=${base64(ca)}`]),
    );
  });

  it('trusts only the CA flags: another CA does not verify the provider', async () => {
    assertOneLineError(
      await login([`--certificate-authority=${homeFile(OTHER_CA_FILE)}`]),
      /cannot verify the TLS certificate of the OIDC provider at 127\.0\.0\.1:\d+ \(OIDC discovery\): unable to verify the first certificate/,
    );
  });
});

describe('--insecure-skip-tls-verify', () => {
  const world = worldForAll({ provider: { tls: selfSigned } });
  const login = (extra: string[]) => passwordLogin(world(), extra);

  it('is needed for a provider with a self-signed certificate', async () => {
    assertOneLineError(
      await login([]),
      /cannot verify the TLS certificate of the OIDC provider at 127\.0\.0\.1:\d+ \(OIDC discovery\): self-signed certificate; trust its CA with --certificate-authority/,
    );
  });

  it('logs in without verifying, and warns on stderr', async () => {
    const result = await login(['--insecure-skip-tls-verify']);
    assertLoggedIn(result);
    assert.match(
      result.stderr,
      /^warning: --insecure-skip-tls-verify: the provider's TLS certificate is not verified/m,
    );
  });
});
