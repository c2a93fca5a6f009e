/**
 * Turns what openid-client, jose and fetch throw into one-line errors a user
 * can act on: the host, and whether it was the network, an HTTP status, an
 * OAuth error or a token that failed verification.
 */
import { ClientError, ResponseBodyError, WWWAuthenticateChallengeError } from 'openid-client';
import { AuthError, KubeloginError, NetworkError, TimeoutError } from '../core/errors.ts';

/** Words for the network error codes users meet. */
const NETWORK_REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found (DNS)',
  EAI_AGAIN: 'DNS lookup failed',
  ECONNRESET: 'connection reset',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  UND_ERR_HEADERS_TIMEOUT: 'no response in time',
  UND_ERR_SOCKET: 'connection closed',
};

/** The innermost `code` in an error's cause chain, and the innermost message. */
function innermostCause(error: unknown): { code: string | undefined; message: string } {
  let code: string | undefined;
  let message = error instanceof Error ? error.message : String(error);
  for (let current: unknown = error; current instanceof Error; current = current.cause) {
    const candidate = (current as { code?: unknown }).code;
    if (typeof candidate === 'string') code = candidate;
    message = current.message;
  }
  return { code, message };
}

/**
 * Maps an error from a request to the provider; `action` says what was being
 * done ("discovery", "the token request") and `host` where.
 */
export function describeProviderError(error: unknown, action: string, host: string): KubeloginError {
  if (error instanceof KubeloginError) return error;
  if (error instanceof ResponseBodyError) {
    const description = error.error_description ? `: ${error.error_description}` : '';
    return new AuthError(`${action} at ${host} failed: ${error.error}${description}`, {
      oauthError: error.error,
      cause: error,
    });
  }
  if (error instanceof WWWAuthenticateChallengeError) {
    // A 401 with the OAuth error in the WWW-Authenticate header (client authentication failed).
    const parameters = error.cause[0]?.parameters;
    const oauthError = parameters?.error ?? `HTTP ${error.status}`;
    const description = parameters?.error_description ? `: ${parameters.error_description}` : '';
    return new AuthError(`${action} at ${host} failed: ${oauthError}${description}`, { oauthError: parameters?.error, cause: error });
  }
  const { code, message } = innermostCause(error);
  if (error instanceof TypeError || (code && code in NETWORK_REASONS)) {
    return new NetworkError(`cannot reach the OIDC provider at ${host} (${action}): ${(code && NETWORK_REASONS[code]) ?? code ?? message}`, {
      hint: 'check --oidc-issuer-url and your network',
      cause: error,
    });
  }
  if ((error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) || code === 'OAUTH_TIMEOUT') {
    return new TimeoutError(`${action} at ${host} did not answer in time`, { cause: error });
  }
  if (error instanceof ClientError) {
    const status = (error.cause as { status?: unknown } | undefined)?.status;
    const detail = typeof status === 'number' ? `HTTP ${status}` : error.message;
    return new NetworkError(`${action} at ${host} failed: ${detail}`, { cause: error });
  }
  return new NetworkError(`${action} at ${host} failed: ${error instanceof Error ? error.message : String(error)}`, {
    cause: error,
  });
}
