/**
 * The TLS trust of requests to the provider. The CAs of
 * `--certificate-authority` and `--certificate-authority-data` replace the
 * system roots, as in the Go kubelogin; without them the system's trust
 * applies: the runtime's roots, NODE_EXTRA_CA_CERTS included, and those of
 * SSL_CERT_FILE and SSL_CERT_DIR (io/system-trust.ts). Read on the slow path
 * only, so a cache hit never touches the CA files.
 */
import { X509Certificate } from 'node:crypto';
import { ConfigError, UsageError } from '../core/errors.ts';
import type { ProviderOptions } from '../core/options.ts';
import { readFlagFile } from '../io/files.ts';
import type { Logger } from '../io/logger.ts';
import { opensslReason } from '../io/openssl-reason.ts';
import { PEM_CERTIFICATE, systemTrust } from '../io/system-trust.ts';

/** TLS options of the connections to the provider, as node:tls takes them. */
export interface ProviderTls {
  /** The only CAs trusted; absent for the runtime's default roots. */
  ca?: string[];
  rejectUnauthorized: boolean;
}

/** Padded standard base64, as Go's base64.StdEncoding takes it (Buffer.from would accept anything). */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
/** Line breaks, which Go's base64 decoder skips (a value pasted from a wrapped file). */
const LINE_BREAKS = /[\r\n]/g;

/** The certificates of a PEM text, each checked; `source` names the flag (and file) in errors. */
function certificatesIn(pem: string, source: string): string[] {
  const blocks = pem.match(PEM_CERTIFICATE) ?? [];
  if (blocks.length === 0) {
    throw new ConfigError(`${source} holds no PEM certificate`, {
      hint: 'give the CA in PEM form (-----BEGIN CERTIFICATE-----)',
    });
  }
  blocks.forEach((block, index) => {
    try {
      new X509Certificate(block);
    } catch (error) {
      throw new ConfigError(`${source}: certificate ${index + 1} is not valid: ${opensslReason(error)}`, {
        cause: error,
      });
    }
  });
  return blocks;
}

/** The certificates of one `--certificate-authority` file. */
async function readCaFile(path: string): Promise<string[]> {
  return certificatesIn(await readFlagFile('certificate-authority', path), `--certificate-authority ${path}`);
}

/** The certificates of one `--certificate-authority-data` value; `position` says which one when there are several. */
function decodeCaData(data: string, position: string): string[] {
  const source = `--certificate-authority-data${position}`;
  const base64 = data.replace(LINE_BREAKS, '');
  if (!BASE64.test(base64))
    throw new UsageError(`${source} is not valid base64`, {
      hint: 'give the base64 of a PEM file, as in a kubeconfig',
    });
  return certificatesIn(Buffer.from(base64, 'base64').toString('utf8'), source);
}

/**
 * Reads and checks the CA flags (each failure is one line naming the flag and
 * file); without them, the system's trust of `env`.
 */
export async function loadProviderTls(
  options: ProviderOptions,
  env: NodeJS.ProcessEnv,
  logger: Logger,
): Promise<ProviderTls> {
  const { certificateAuthorities: files, certificateAuthorityData: data } = options;
  const rejectUnauthorized = !options.insecureSkipTLSVerify;
  if (files.length === 0 && data.length === 0) {
    const ca = systemTrust(env, logger);
    return ca === undefined ? { rejectUnauthorized } : { ca, rejectUnauthorized };
  }
  const fromFiles = await Promise.all(files.map(readCaFile));
  const fromData = data.map((value, index) => decodeCaData(value, data.length > 1 ? ` (value ${index + 1})` : ''));
  return { ca: [...fromFiles, ...fromData].flat(), rejectUnauthorized };
}
