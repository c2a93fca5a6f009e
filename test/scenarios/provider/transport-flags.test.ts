/**
 * Bad input to the TLS and loopback flags: each a one-line error naming the
 * flag (and file), exit 1, nothing on stdout. The CA flags are checked before
 * any request reaches the provider, the loopback files before the browser
 * opens. (Bad proxy variables are in proxy.test.ts.)
 */
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { assertOneLineError } from '../../support/cli-outcome.ts';
import { createSelfSignedCertificate } from '../../support/provider/self-signed-certificate.ts';
import { worldForAll } from '../../support/world.ts';

const base64 = (text: string) => Buffer.from(text).toString('base64');

const certificate = await createSelfSignedCertificate();

describe('bad TLS and loopback input', () => {
  const world = worldForAll();
  /** Writes `content` to a file in the temporary home and returns its path. */
  const file = async (name: string, content: string) => {
    const path = join(world().home.home, name);
    await writeFile(path, content);
    return path;
  };

  /** Asserts the error and that the provider saw no request and no browser was opened. */
  async function assertRejectedEarly(extra: string[], pattern: RegExp): Promise<void> {
    const fixture = world();
    const requests = fixture.provider.requests.length;
    assertOneLineError(await fixture.getToken(extra), pattern);
    assert.equal(fixture.provider.requests.length, requests, 'no request reached the provider');
    assert.equal(await fixture.browserRuns(), 0, 'no browser was opened');
  }

  it('a missing or unreadable CA file', async () => {
    const missing = join(world().home.home, 'missing.pem');
    await assertRejectedEarly(
      [`--certificate-authority=${missing}`],
      /^error: --certificate-authority \S+\/missing\.pem: cannot read it \(no such file\)$/,
    );
    const directory = join(world().home.home, 'a-directory');
    await mkdir(directory);
    await assertRejectedEarly(
      [`--certificate-authority=${directory}`],
      /^error: --certificate-authority \S+\/a-directory: cannot read it \(it is a directory\)$/,
    );
  });

  it('a CA file with no certificate, or a broken one', async () => {
    const key = await file('key-only.pem', certificate.key);
    await assertRejectedEarly(
      [`--certificate-authority=${key}`],
      /^error: --certificate-authority \S+\/key-only\.pem holds no PEM certificate$/,
    );
    const broken = await file(
      'broken.pem',
      '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n',
    );
    await assertRejectedEarly(
      [`--certificate-authority=${broken}`],
      /^error: --certificate-authority \S+\/broken\.pem: certificate 1 is not valid: /,
    );
  });

  it('CA data that is not base64, or holds no certificate', async () => {
    await assertRejectedEarly(
      ['--certificate-authority-data=not base64!'],
      /^error: --certificate-authority-data is not valid base64$/,
    );
    await assertRejectedEarly(
      [`--certificate-authority-data=${base64('hello')}`],
      /^error: --certificate-authority-data holds no PEM certificate$/,
    );
    await assertRejectedEarly(
      [`--certificate-authority-data=${base64(certificate.cert)}`, '--certificate-authority-data=%%%'],
      /^error: --certificate-authority-data \(value 2\) is not valid base64$/,
    );
  });

  it('only one of the loopback certificate and key', async () => {
    const cert = await file('loopback.pem', certificate.cert);
    const key = await file('loopback-key.pem', certificate.key);
    await assertRejectedEarly([`--local-server-cert=${cert}`], /^error: --local-server-cert needs --local-server-key$/);
    await assertRejectedEarly([`--local-server-key=${key}`], /^error: --local-server-key needs --local-server-cert$/);
  });

  it('a loopback certificate or key that cannot be read or used', async () => {
    const cert = await file('loopback.pem', certificate.cert);
    const key = await file('loopback-key.pem', certificate.key);
    const otherKey = await file('other-key.pem', (await createSelfSignedCertificate()).key);
    const missing = join(world().home.home, 'missing.pem');
    const cases: Array<[string[], RegExp]> = [
      [
        [`--local-server-cert=${missing}`, `--local-server-key=${key}`],
        /^error: --local-server-cert \S+\/missing\.pem: cannot read it \(no such file\)$/,
      ],
      [
        [`--local-server-cert=${cert}`, `--local-server-key=${missing}`],
        /^error: --local-server-key \S+\/missing\.pem: cannot read it \(no such file\)$/,
      ],
      [
        [`--local-server-cert=${key}`, `--local-server-key=${key}`],
        /^error: --local-server-cert \S+\/loopback-key\.pem is not a PEM certificate: /,
      ],
      [
        [`--local-server-cert=${cert}`, `--local-server-key=${cert}`],
        /^error: --local-server-key \S+\/loopback\.pem is not a PEM private key: /,
      ],
      [
        [`--local-server-cert=${cert}`, `--local-server-key=${otherKey}`],
        /^error: --local-server-key \S+\/other-key\.pem is not the key of --local-server-cert \S+\/loopback\.pem: /,
      ],
    ];
    for (const [extra, pattern] of cases) {
      assertOneLineError(await world().getToken(extra), pattern);
      assert.equal(await world().browserRuns(), 0, 'no browser was opened');
    }
  });

  it('a request header that HTTP cannot carry', async () => {
    await assertRejectedEarly(
      ['--oidc-request-header=bad name=value'],
      /^error: --oidc-request-header has an invalid header name "bad name"$/,
    );
  });
});
