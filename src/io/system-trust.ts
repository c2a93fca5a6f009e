/**
 * The system's TLS trust, as Go (and so kubectl and the Go kubelogin) reads
 * it on Linux: SSL_CERT_FILE names a PEM bundle and SSL_CERT_DIR a list of
 * directories whose every file may hold PEM certificates. Here they are added
 * to the runtime's own roots (Node's or Bun's bundle, with
 * NODE_EXTRA_CA_CERTS) rather than replacing them, so that setting them
 * never takes a public CA away. Unset, the runtime's defaults apply as they
 * are. Read on the slow path only, when a connection is prepared.
 */
import { X509Certificate } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { rootCertificates } from 'node:tls';
import { describeFsError, readRegularFile } from './files.ts';
import type { Logger } from './logger.ts';

/** One PEM certificate block. */
export const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g;
/** A CA bundle holds a few hundred certificates, well under a MiB; a bigger file is not read whole. */
const MAX_BUNDLE_BYTES = 4 * 1024 * 1024;
/** The variables, as Go names them. */
const CERT_FILE_VARIABLE = 'SSL_CERT_FILE';
const CERT_DIR_VARIABLE = 'SSL_CERT_DIR';
/** Node's variable of extra CAs, which an explicit CA list would otherwise drop. */
const EXTRA_CA_VARIABLE = 'NODE_EXTRA_CA_CERTS';

/** A PEM certificate block and where it was read, for the note when it is passed over. */
interface FoundCertificate {
  pem: string;
  variable: string;
  path: string;
}

/** The PEM certificate blocks of a file; a file that cannot be read is passed over (said at -v1). */
function certificatesOf(path: string, variable: string, logger: Logger): FoundCertificate[] {
  let text: string;
  try {
    text = readRegularFile(path, MAX_BUNDLE_BYTES).text;
  } catch (error) {
    logger.debug(`${variable}: passed over ${path}: ${describeFsError(error)}`);
    return [];
  }
  return (text.match(PEM_CERTIFICATE) ?? []).map((pem) => ({ pem, variable, path }));
}

/** A PEM block as one line: bundles wrap and end lines differently. */
function withoutWhiteSpace(pem: string): string {
  return pem.replace(/\s+/g, '');
}

/**
 * The certificates of `found` not among `known`, each once, as Go's AppendCertsFromPEM takes them:
 * one that does not parse is passed over (said at -v1). Only these are parsed: a system's bundle
 * repeats the runtime's roots, and SSL_CERT_DIR often holds the bundle beside a link to each of
 * them, so parsing every block cost a tenth of a second per connection.
 */
function validCertificates(found: readonly FoundCertificate[], known: readonly string[], logger: Logger): string[] {
  const seen = new Set(known.map(withoutWhiteSpace));
  const valid: string[] = [];
  for (const { pem, variable, path } of found) {
    const key = withoutWhiteSpace(pem);
    if (seen.has(key)) continue;
    seen.add(key);
    try {
      new X509Certificate(pem);
      valid.push(pem);
    } catch {
      logger.debug(`${variable}: passed over a certificate of ${path} that is not valid`);
    }
  }
  return valid;
}

/** The files of a directory of SSL_CERT_DIR, in order. */
function filesOf(directory: string, logger: Logger): string[] {
  try {
    return readdirSync(directory)
      .sort()
      .map((name) => join(directory, name));
  } catch (error) {
    logger.debug(`${CERT_DIR_VARIABLE}: passed over ${directory}: ${describeFsError(error)}`);
    return [];
  }
}

/**
 * The CAs to trust when no CA is configured for a connection: undefined (the
 * runtime's defaults) unless SSL_CERT_FILE or SSL_CERT_DIR is set, else the
 * runtime's roots, NODE_EXTRA_CA_CERTS and theirs. What cannot be read is
 * passed over (said at -v1), as Go does.
 */
export function systemTrust(env: NodeJS.ProcessEnv, logger: Logger): string[] | undefined {
  const file = env[CERT_FILE_VARIABLE];
  const directories = (env[CERT_DIR_VARIABLE] ?? '').split(delimiter).filter((directory) => directory !== '');
  if (!file && directories.length === 0) return undefined;
  const extra = env[EXTRA_CA_VARIABLE];
  const found = [
    ...(extra ? certificatesOf(extra, EXTRA_CA_VARIABLE, logger) : []),
    ...(file ? certificatesOf(file, CERT_FILE_VARIABLE, logger) : []),
    ...directories.flatMap((directory) =>
      filesOf(directory, logger).flatMap((path) => certificatesOf(path, CERT_DIR_VARIABLE, logger)),
    ),
  ];
  return [...rootCertificates, ...validCertificates(found, rootCertificates, logger)];
}
