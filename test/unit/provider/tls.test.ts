import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ConfigError, UsageError } from '../../../src/core/errors.ts';
import type { ProviderOptions } from '../../../src/core/options.ts';
import { Logger } from '../../../src/io/logger.ts';
import { Redactor } from '../../../src/io/redact.ts';
import { loadProviderTls } from '../../../src/provider/tls.ts';
import { createSelfSignedCertificate } from '../../support/provider/self-signed-certificate.ts';
import { providerOptions } from '../../support/provider-options.ts';

const LOGGER = new Logger({ write: () => undefined }, 0, new Redactor());

const PROVIDER: ProviderOptions = providerOptions({
  issuerUrl: 'https://issuer.example.com',
  clientId: 'kubernetes',
});

describe('loadProviderTls', () => {
  let dir: string;
  let first: string;
  let second: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kubelogin-tls-'));
    [first, second] = [(await createSelfSignedCertificate()).cert, (await createSelfSignedCertificate()).cert];
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('leaves Node default roots (and NODE_EXTRA_CA_CERTS) alone without CA flags', async () => {
    assert.deepEqual(await loadProviderTls(PROVIDER, {}, LOGGER), { rejectUnauthorized: true });
    assert.deepEqual(await loadProviderTls({ ...PROVIDER, insecureSkipTLSVerify: true }, {}, LOGGER), {
      rejectUnauthorized: false,
    });
  });

  it('adds SSL_CERT_FILE to the default roots without CA flags, and lets the CA flags replace both', async () => {
    const file = join(dir, 'ssl-cert-file.pem');
    await writeFile(file, first);
    const env = { SSL_CERT_FILE: file };
    const system = await loadProviderTls(PROVIDER, env, LOGGER);
    assert.ok(system.ca?.includes(first.trim()), 'SSL_CERT_FILE is trusted');
    assert.ok((system.ca?.length ?? 0) > 100, 'the default roots stay');
    const flags = await loadProviderTls(
      { ...PROVIDER, certificateAuthorityData: [Buffer.from(second).toString('base64')] },
      env,
      LOGGER,
    );
    assert.deepEqual(
      flags.ca?.map((pem) => pem.trim()),
      [second.trim()],
    );
  });

  it('trusts exactly the certificates of every file and data value, in order', async () => {
    const bundle = join(dir, 'bundle.pem');
    await writeFile(bundle, `# a comment\n${first}\n${second}`);
    const data = Buffer.from(second).toString('base64');
    const tls = await loadProviderTls(
      {
        ...PROVIDER,
        certificateAuthorities: [bundle],
        certificateAuthorityData: [data],
      },
      {},
      LOGGER,
    );
    assert.deepEqual(
      tls.ca?.map((pem) => pem.trim()),
      [first, second, second].map((pem) => pem.trim()),
    );
    assert.equal(tls.rejectUnauthorized, true);
  });

  it('accepts base64 wrapped over lines, as Go does', async () => {
    const wrapped = (
      Buffer.from(first)
        .toString('base64')
        .match(/.{1,64}/g) ?? []
    ).join('\n');
    const tls = await loadProviderTls({ ...PROVIDER, certificateAuthorityData: [wrapped] }, {}, LOGGER);
    assert.equal(tls.ca?.length, 1);
  });

  it('names the flag, and which value, that is at fault', async () => {
    await assert.rejects(
      loadProviderTls({ ...PROVIDER, certificateAuthorityData: ['YQ'] }, {}, LOGGER),
      (error: unknown) =>
        error instanceof UsageError && error.message === '--certificate-authority-data is not valid base64',
    );
    const valid = Buffer.from(first).toString('base64');
    await assert.rejects(
      loadProviderTls(
        {
          ...PROVIDER,
          certificateAuthorityData: [valid, Buffer.from('no certificate').toString('base64')],
        },
        {},
        LOGGER,
      ),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.message === '--certificate-authority-data (value 2) holds no PEM certificate',
    );
  });
});
