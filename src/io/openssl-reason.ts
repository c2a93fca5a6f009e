/**
 * OpenSSL's error messages without their code prefix, for one-line errors:
 * `error:0480006C:PEM routines::no start line` becomes `no start line`.
 */

/** The `error:<code>:<library>:<function>:` prefix of an OpenSSL message. */
const OPENSSL_PREFIX = /^error:[0-9A-Fa-f]+:[^:]*:[^:]*:/;

/** The reason in an error from node:crypto or node:tls. */
export function opensslReason(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(OPENSSL_PREFIX, '');
}
