/**
 * The HTTP client library of every request kubelogin sends (to the provider
 * and to the API server), and the words for its failures.
 *
 * The runtime seam: undici is imported as 'undici/index.js', the package's
 * own file, not as 'undici'. Node resolves both to the same module; the
 * standalone executable's compiler (Bun) replaces the bare 'undici' with a
 * built-in stand-in whose fetch ignores the dispatcher, which would silently
 * drop CAs, skip-verify, proxies and timeouts. With the real package, TLS
 * trust, proxies and timeouts are undici's in both runtimes. Import undici
 * from here only.
 */
export { Agent, type Dispatcher, fetch, Headers, ProxyAgent, Response } from 'undici/index.js';

/**
 * TLS verification failures that trusting the right CA fixes, with their
 * words. The words are OpenSSL 3's (Node's), keyed by the error code, because
 * the standalone executable's BoringSSL words the same failure differently
 * ("self signed certificate"): one message whichever runtime runs us.
 */
const UNTRUSTED_CERTIFICATE_REASONS: Readonly<Record<string, string>> = {
  SELF_SIGNED_CERT_IN_CHAIN: 'self-signed certificate in certificate chain',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed certificate',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'unable to verify the first certificate',
  UNABLE_TO_GET_ISSUER_CERT: 'unable to get issuer certificate',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'unable to get local issuer certificate',
  CERT_UNTRUSTED: 'certificate not trusted',
  CERT_SIGNATURE_FAILURE: 'certificate signature failure',
};

/** The words for a TLS failure that trusting the right CA fixes, or undefined for any other error code. */
export function untrustedCertificateReason(code: string | undefined): string | undefined {
  return code === undefined ? undefined : UNTRUSTED_CERTIFICATE_REASONS[code];
}

/** The innermost `code` in an error's cause chain, and the innermost message. */
export function innermostCause(error: unknown): { code: string | undefined; message: string } {
  let code: string | undefined;
  let message = error instanceof Error ? error.message : String(error);
  for (let current: unknown = error; current instanceof Error; current = current.cause) {
    const candidate = (current as { code?: unknown }).code;
    if (typeof candidate === 'string') code = candidate;
    message = current.message;
  }
  return { code, message };
}
