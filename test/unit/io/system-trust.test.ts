/**
 * The system's trust as Go reads it on Linux: SSL_CERT_FILE and every file of the SSL_CERT_DIR
 * directories added to the runtime's roots and NODE_EXTRA_CA_CERTS; what cannot be read, or holds
 * no valid certificate, is passed over.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { rootCertificates } from 'node:tls';
import { Logger } from '../../../src/io/logger.ts';
import { Redactor } from '../../../src/io/redact.ts';
import { systemTrust } from '../../../src/io/system-trust.ts';
import { createSelfSignedCertificate } from '../../support/provider/self-signed-certificate.ts';

describe('systemTrust', () => {
  let dir: string;
  let certificates: string[];
  const lines: string[] = [];
  const logger = new Logger({ write: (text: string) => lines.push(text) }, 1, new Redactor());
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kubelogin-trust-'));
    certificates = await Promise.all([1, 2, 3, 4].map(async () => (await createSelfSignedCertificate()).cert.trim()));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('is undefined without SSL_CERT_FILE and SSL_CERT_DIR: the runtime keeps its defaults', () => {
    assert.equal(systemTrust({ NODE_EXTRA_CA_CERTS: '/anywhere' }, logger), undefined);
    assert.equal(systemTrust({ SSL_CERT_FILE: '', SSL_CERT_DIR: '' }, logger), undefined);
  });

  it('adds the certificates of SSL_CERT_FILE, of any file in each SSL_CERT_DIR directory, and NODE_EXTRA_CA_CERTS to the roots', async () => {
    const [fromFile, fromDir1, fromDir2, extra] = certificates as [string, string, string, string];
    await writeFile(join(dir, 'bundle.pem'), `# comment\n${fromFile}\n`);
    await mkdir(join(dir, 'one'));
    await mkdir(join(dir, 'two'));
    // Any name, as Go reads a directory: not only OpenSSL's hashed names.
    await writeFile(join(dir, 'one', 'company-ca.crt'), fromDir1);
    await writeFile(join(dir, 'two', 'README'), 'no certificate here');
    await writeFile(join(dir, 'two', 'other.pem'), fromDir2);
    await writeFile(join(dir, 'extra.pem'), extra);
    const trust = systemTrust(
      {
        SSL_CERT_FILE: join(dir, 'bundle.pem'),
        SSL_CERT_DIR: `${join(dir, 'one')}:${join(dir, 'two')}`,
        NODE_EXTRA_CA_CERTS: join(dir, 'extra.pem'),
      },
      logger,
    );
    assert.ok(trust !== undefined);
    for (const root of rootCertificates) assert.ok(trust.includes(root), 'a root is missing');
    for (const certificate of [fromFile, fromDir1, fromDir2, extra]) assert.ok(trust.includes(certificate));
    assert.equal(trust.length, new Set(trust).size, 'each certificate once');
  });

  it('passes over a missing file, a missing directory and an invalid certificate, saying so at -v1', async () => {
    const invalid = '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----';
    await writeFile(join(dir, 'invalid.pem'), invalid);
    lines.length = 0;
    const trust = systemTrust({ SSL_CERT_FILE: join(dir, 'invalid.pem'), SSL_CERT_DIR: join(dir, 'nowhere') }, logger);
    assert.deepEqual(trust, [...rootCertificates]);
    assert.match(lines.join(''), /SSL_CERT_FILE: passed over a certificate of \S+invalid\.pem that is not valid/);
    assert.match(lines.join(''), /SSL_CERT_DIR: passed over \S+nowhere: no such file/);
  });
});
