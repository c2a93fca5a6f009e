/**
 * TLS to the provider: a test provider served over HTTPS with a CA generated
 * here, trusted by --certificate-authority, --certificate-authority-data or
 * NODE_EXTRA_CA_CERTS; the flags replacing the system roots; and
 * --insecure-skip-tls-verify against a self-signed leaf. Every run uses the
 * password grant, so discovery, the token request and the JWKS all go over TLS
 * with no browser in between.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type CliFixture, startCliFixture } from '../../support/cli-fixture.ts';
import { assertLoggedIn, assertOneLineError } from '../../support/cli-outcome.ts';
import { createSelfSignedCertificate } from '../../support/provider/self-signed-certificate.ts';
import { createCaSignedCertificate } from '../../support/provider/test-ca.ts';
import { passwordOf } from '../../support/provider/test-provider.ts';
import { runCli } from '../../support/run-cli.ts';

/** The header every request to the provider must carry. */
const TEST_HEADER = { name: 'x-kubelogin-test', value: 'sent-by-kubelogin' };

const base64 = (text: string) => Buffer.from(text).toString('base64');

describe('TLS to the provider', () => {
  let fixture: CliFixture;
  let caFile: string;
  let otherCaFile: string;
  let ca: string;
  let otherCa: string;
  /** The fixture's environment without the machine's NODE_EXTRA_CA_CERTS, so only what a test gives is trusted. */
  let env: NodeJS.ProcessEnv;

  before(async () => {
    const pki = await createCaSignedCertificate();
    ca = pki.ca;
    otherCa = (await createCaSignedCertificate()).ca;
    fixture = await startCliFixture({ tls: pki.server });
    caFile = join(fixture.home.home, 'ca.pem');
    otherCaFile = join(fixture.home.home, 'other-ca.pem');
    await writeFile(caFile, ca);
    await writeFile(otherCaFile, otherCa);
    env = { ...fixture.env, NODE_EXTRA_CA_CERTS: undefined };
  });
  after(() => fixture.close());

  /** get-token with the password grant and no cache, plus `extra`. */
  const login = (extra: string[], runEnv: NodeJS.ProcessEnv = env) =>
    runCli(
      [
        ...fixture.args,
        '--grant-type=password',
        '--username=alice',
        `--password=${passwordOf('alice')}`,
        '--token-cache-storage=none',
        ...extra,
      ],
      { env: runEnv },
    );

  it('refuses the provider when nothing trusts its CA, naming the problem and the flag', async () => {
    assertOneLineError(
      await login([]),
      /^error: cannot verify the TLS certificate of the OIDC provider at 127\.0\.0\.1:\d+ \(OIDC discovery\): unable to verify the first certificate; trust its CA with --certificate-authority$/,
    );
  });

  it('trusts --certificate-authority for discovery, the token request and the JWKS', async () => {
    const before = fixture.provider.requests.length;
    const result = await login([
      `--certificate-authority=${caFile}`,
      `--oidc-request-header=${TEST_HEADER.name}=${TEST_HEADER.value}`,
    ]);
    assertLoggedIn(result);
    assert.equal(result.stderr, '');
    const requests = fixture.provider.requests.slice(before);
    const paths = requests.map((request) => request.url.split('?')[0]);
    for (const path of ['/.well-known/openid-configuration', '/jwks', '/token'])
      assert.ok(paths.includes(path), `${path} in ${paths.join(', ')}`);
    for (const request of requests)
      assert.equal(request.headers[TEST_HEADER.name], TEST_HEADER.value, `${request.method} ${request.url}`);
  });

  it('has setup tell the API server to trust the same CA', async () => {
    const args = fixture.args.filter((arg) => arg !== 'get-token' && !arg.startsWith('--token-cache-dir='));
    const result = await runCli(
      [
        'setup',
        ...args,
        '--grant-type=password',
        '--username=alice',
        `--password=${passwordOf('alice')}`,
        `--certificate-authority=${caFile}`,
      ],
      { env },
    );
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, new RegExp(`^--oidc-ca-file=${caFile.replaceAll('/', '\\/')}$`, 'm'));
    const firstLine = ca.trim().split('\n')[1] as string;
    assert.match(result.stdout, /certificateAuthority: \|/);
    assert.ok(result.stdout.includes(firstLine), 'the CA is in the AuthenticationConfiguration');
  });

  it('expands ~ in --certificate-authority', async () => {
    assertLoggedIn(await login(['--certificate-authority=~/ca.pem']));
  });

  it('trusts --certificate-authority-data', async () => {
    assertLoggedIn(await login([`--certificate-authority-data=${base64(ca)}`]));
  });

  it('trusts every CA of repeated flags', async () => {
    assertLoggedIn(await login([`--certificate-authority=${otherCaFile}`, `--certificate-authority=${caFile}`]));
    assertLoggedIn(
      await login([`--certificate-authority-data=${base64(otherCa)}`, `--certificate-authority-data=${base64(ca)}`]),
    );
  });

  it('trusts NODE_EXTRA_CA_CERTS when no CA flag is given', async () => {
    assertLoggedIn(await login([], { ...env, NODE_EXTRA_CA_CERTS: caFile }));
  });

  it('lets the CA flags replace the other roots, NODE_EXTRA_CA_CERTS included', async () => {
    assertOneLineError(
      await login([`--certificate-authority=${otherCaFile}`], { ...env, NODE_EXTRA_CA_CERTS: caFile }),
      /cannot verify the TLS certificate of the OIDC provider at 127\.0\.0\.1:\d+ \(OIDC discovery\): unable to verify the first certificate/,
    );
  });
});

describe('--insecure-skip-tls-verify', () => {
  let fixture: CliFixture;
  before(async () => {
    fixture = await startCliFixture({ tls: await createSelfSignedCertificate() });
  });
  after(() => fixture.close());

  const login = (extra: string[]) =>
    runCli(
      [
        ...fixture.args,
        '--grant-type=password',
        '--username=alice',
        `--password=${passwordOf('alice')}`,
        '--token-cache-storage=none',
        ...extra,
      ],
      {
        env: { ...fixture.env, NODE_EXTRA_CA_CERTS: undefined },
      },
    );

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
