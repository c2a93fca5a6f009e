/** A throwaway TLS certificate for test servers on 127.0.0.1, made with the openssl CLI. */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** PEM key and certificate; the certificate is its own CA, as kubeconfig's certificate-authority-data. */
export interface SelfSignedCertificate {
  key: string;
  cert: string;
}

/** Names the certificate is valid for by default: the servers listen on 127.0.0.1, clients may say localhost. */
const DEFAULT_NAMES = ['IP:127.0.0.1', 'DNS:localhost'];
/** A P-256 key takes milliseconds to make, unlike RSA. */
const KEY_ARGS = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1'];
/** Days of validity: tests run for minutes. */
const VALIDITY_DAYS = '2';

/** Creates a self-signed certificate for 127.0.0.1 and localhost, or for `names` (`DNS:x`, `IP:y`) alone. */
export async function createSelfSignedCertificate(
  names: readonly string[] = DEFAULT_NAMES,
): Promise<SelfSignedCertificate> {
  const dir = await mkdtemp(join(tmpdir(), 'kubelogin-cert-'));
  try {
    const keyPath = join(dir, 'key.pem');
    const certPath = join(dir, 'cert.pem');
    await promisify(execFile)('openssl', [
      'req',
      '-x509',
      ...KEY_ARGS,
      '-nodes',
      '-days',
      VALIDITY_DAYS,
      '-subj',
      `/CN=${(names[0] ?? '').replace(/^\w+:/, '')}`,
      '-addext',
      `subjectAltName=${names.join(',')}`,
      '-keyout',
      keyPath,
      '-out',
      certPath,
    ]);
    return { key: await readFile(keyPath, 'utf8'), cert: await readFile(certPath, 'utf8') };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
