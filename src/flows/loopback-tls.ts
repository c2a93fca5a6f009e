/**
 * The certificate and key of the HTTPS loopback server (`--local-server-cert`,
 * `--local-server-key`), read and checked before the server starts.
 */
import { createSecureContext } from 'node:tls';
import { ConfigError } from '../core/errors.ts';
import type { LocalServerTlsFiles } from '../core/options.ts';
import { readFlagFile } from '../io/files.ts';
import { opensslReason } from '../io/openssl-reason.ts';

/** PEM certificate (chain) and private key of the loopback server. */
export interface LoopbackTls {
  cert: string;
  key: string;
}

/** Builds a TLS context from `parts`, or throws a ConfigError saying `what` is wrong. */
function checkContext(parts: { cert?: string; key?: string }, what: string): void {
  try {
    createSecureContext(parts);
  } catch (error) {
    throw new ConfigError(`${what}: ${opensslReason(error)}`, { cause: error });
  }
}

/** Reads both files; each failure is one line naming the flag and the file. */
export async function loadLoopbackTls(files: LocalServerTlsFiles): Promise<LoopbackTls> {
  const cert = await readFlagFile('local-server-cert', files.certFile);
  const key = await readFlagFile('local-server-key', files.keyFile);
  checkContext({ cert }, `--local-server-cert ${files.certFile} is not a PEM certificate`);
  checkContext({ key }, `--local-server-key ${files.keyFile} is not a PEM private key`);
  checkContext(
    { cert, key },
    `--local-server-key ${files.keyFile} is not the key of --local-server-cert ${files.certFile}`,
  );
  return { cert, key };
}
