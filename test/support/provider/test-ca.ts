/** A throwaway CA and a server certificate it signs, for HTTPS test servers, made with the openssl CLI. */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { SelfSignedCertificate } from './self-signed-certificate.ts';

/** A CA and the server certificate it issued. */
export interface CaSignedCertificate {
  /** PEM certificate of the CA: what a client must trust. */
  ca: string;
  /** Key and certificate (the leaf only, so an untrusting client says "unable to verify the first certificate"). */
  server: SelfSignedCertificate;
}

/** A P-256 key takes milliseconds to make, unlike RSA. */
const KEY_ARGS = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
/** Days of validity: tests run for minutes. */
const VALIDITY_DAYS = '2';
/** Bytes of the random serial number, so no two test certificates share one. */
const SERIAL_BYTES = 8;

const run = promisify(execFile);

/** Creates a CA and a server certificate for 127.0.0.1, localhost and `dnsNames`. */
export async function createCaSignedCertificate(dnsNames: readonly string[] = []): Promise<CaSignedCertificate> {
  const dir = await mkdtemp(join(tmpdir(), 'kubelogin-ca-'));
  const path = (name: string) => join(dir, name);
  try {
    await run('openssl', [
      'req',
      '-x509',
      ...KEY_ARGS,
      '-days',
      VALIDITY_DAYS,
      '-subj',
      '/CN=kubelogin test CA',
      '-keyout',
      path('ca.key'),
      '-out',
      path('ca.pem'),
    ]);
    await run('openssl', [
      'req',
      '-new',
      ...KEY_ARGS,
      '-subj',
      '/CN=127.0.0.1',
      '-keyout',
      path('server.key'),
      '-out',
      path('server.csr'),
    ]);
    const names = ['IP:127.0.0.1', 'DNS:localhost', ...dnsNames.map((name) => `DNS:${name}`)].join(',');
    await writeFile(
      path('server.ext'),
      `subjectAltName=${names}\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n`,
    );
    await run('openssl', [
      'x509',
      '-req',
      '-in',
      path('server.csr'),
      '-CA',
      path('ca.pem'),
      '-CAkey',
      path('ca.key'),
      '-set_serial',
      `0x${randomBytes(SERIAL_BYTES).toString('hex')}`,
      '-days',
      VALIDITY_DAYS,
      '-extfile',
      path('server.ext'),
      '-out',
      path('server.pem'),
    ]);
    const [ca, key, cert] = await Promise.all([
      readFile(path('ca.pem'), 'utf8'),
      readFile(path('server.key'), 'utf8'),
      readFile(path('server.pem'), 'utf8'),
    ]);
    return { ca, server: { key, cert } };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
