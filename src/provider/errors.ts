/**
 * Turns what openid-client, jose and fetch throw into one-line errors a user
 * can act on: the host, and whether it was DNS, a refused connection, TLS (with
 * the flag that fixes it), a proxy, a timeout, an HTTP status, an OAuth error
 * or a token that failed verification.
 */
import { ClientError, ResponseBodyError, WWWAuthenticateChallengeError } from 'openid-client';
import { AuthError, KubeloginError, NetworkError, TimeoutError } from '../core/errors.ts';
import { innermostCause, untrustedCertificateReason } from '../io/transport.ts';

/** How a request to the provider went out: the facts its failure is explained with. */
export interface RequestRoute {
  /** The proxy it went through, if any. */
  proxy: { label: string; variable: string } | undefined;
  connectTimeoutMs: number;
  responseTimeoutMs: number;
}

/**
 * A request that failed below HTTP, with its route. A TypeError, as fetch
 * rejects, so openid-client and jose pass it on untouched.
 */
export class TransportFailure extends TypeError {
  constructor(
    readonly route: RequestRoute,
    cause: unknown,
  ) {
    super('fetch failed', { cause });
  }
}

/**
 * A response the provider's client refused to hand on: its body too large, or
 * a success that is not JSON.
 * A TypeError, as fetch rejects, so openid-client and jose pass it on untouched.
 */
export class UnusableResponse extends TypeError {
  constructor(
    /** The host that sent it. */
    readonly host: string,
    /** What is wrong with it, in words. */
    readonly reason: string,
    readonly options: { hint?: string } = {},
  ) {
    super(reason);
  }
}

/** Who a request went to, for messages: its name, how to trust its CA, and where its URL is set. */
export interface Party {
  name: string;
  trust: string;
  url: string;
}

/** The provider: what the CA flags and --oidc-issuer-url are for. */
export const OIDC_PROVIDER: Party = {
  name: 'the OIDC provider',
  trust: 'trust its CA with --certificate-authority',
  url: '--oidc-issuer-url',
};

/** Words for the connection error codes users meet. */
const NETWORK_REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found (DNS)',
  EAI_AGAIN: 'DNS lookup failed',
  ECONNRESET: 'connection reset',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_SOCKET: 'connection closed',
  ERR_SSL_WRONG_VERSION_NUMBER: 'the TLS handshake failed: is it plain HTTP on that port?',
};

/** Codes of the connections a proxy itself refused or could not be found for. */
const PROXY_CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
]);

/** undici's answer when a proxy refuses to open the tunnel, e.g. `Proxy response (403) !== 200 when HTTP Tunneling`. */
const PROXY_TUNNEL_REFUSED = /^Proxy response \((\d+)\)/;
/** The status of a proxy that wants credentials. */
const PROXY_AUTHENTICATION_REQUIRED = 407;

/** The first error in the cause chain that `test` accepts. */
function findInChain<T>(error: unknown, test: (candidate: unknown) => candidate is T): T | undefined {
  for (let current: unknown = error; current instanceof Error; current = current.cause) {
    if (test(current)) return current;
  }
  return undefined;
}

/** Seconds, for messages: `10s`, `0.5s`. */
function seconds(ms: number): string {
  return `${ms / 1000}s`;
}

/** Explains a request that failed below HTTP: TLS, timeouts, the proxy, then the connection. */
function describeTransportFailure(
  failure: TransportFailure,
  action: string,
  host: string,
  party: Party,
): KubeloginError {
  const { route } = failure;
  const { code, message } = innermostCause(failure.cause);
  const proxy = route.proxy;
  const via = proxy ? ` through the proxy ${proxy.label} (${proxy.variable})` : '';
  const untrusted = untrustedCertificateReason(code);
  if (untrusted) {
    return new NetworkError(
      `cannot verify the TLS certificate of ${party.name} at ${host} (${action}): ${untrusted}; ${party.trust}`,
      { cause: failure },
    );
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return new NetworkError(
      `the TLS certificate of ${party.name} at ${host} is not issued for that host (${action}): ${message}`,
      {
        hint: `use the host name the certificate names in ${party.url}`,
        cause: failure,
      },
    );
  }
  if (code === 'UND_ERR_CONNECT_TIMEOUT') {
    return new TimeoutError(
      `${party.name} at ${host} did not accept a connection within ${seconds(route.connectTimeoutMs)}${via} (${action})`,
      {
        hint: `check ${party.url}, your network and the proxy settings`,
        cause: failure,
      },
    );
  }
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    return new TimeoutError(
      `${party.name} at ${host} did not answer within ${seconds(route.responseTimeoutMs)} (${action})`,
      { cause: failure },
    );
  }
  if (proxy) {
    const status = PROXY_TUNNEL_REFUSED.exec(message)?.[1];
    if (status !== undefined) {
      const needsCredentials = Number(status) === PROXY_AUTHENTICATION_REQUIRED;
      return new NetworkError(
        `the proxy ${proxy.label} (${proxy.variable}) refused the connection to ${host} with HTTP ${status} (${action})`,
        {
          hint: needsCredentials
            ? `put the proxy credentials in ${proxy.variable} (http://user:password@host:port)`
            : `check ${proxy.variable} and NO_PROXY`,
          cause: failure,
        },
      );
    }
    if (code && PROXY_CONNECTION_CODES.has(code)) {
      return new NetworkError(
        `cannot reach the proxy ${proxy.label} from ${proxy.variable} (${action} at ${host}): ${NETWORK_REASONS[code]}`,
        {
          hint: `check ${proxy.variable}, or list ${host.replace(/:\d+$/, '')} in NO_PROXY to connect directly`,
          cause: failure,
        },
      );
    }
  }
  return new NetworkError(
    `cannot reach ${party.name} at ${host}${via} (${action}): ${(code && NETWORK_REASONS[code]) ?? message}`,
    {
      hint: `check ${party.url} and your network`,
      cause: failure,
    },
  );
}

/** True for the timeouts of a whole request (openid-client's and jose's deadlines). */
function isDeadline(error: unknown): boolean {
  return (
    findInChain(error, (candidate): candidate is Error => {
      const { name, code } = candidate as Error & { code?: unknown };
      return (
        name === 'TimeoutError' || name === 'AbortError' || code === 'OAUTH_TIMEOUT' || code === 'ERR_JWKS_TIMEOUT'
      );
    }) !== undefined
  );
}

/**
 * Maps an error from a request to the provider (or to `party`, another
 * service reached through a client of http.ts); `action` says what was being
 * done ("OIDC discovery", "the token request") and `host` where.
 */
export function describeProviderError(
  error: unknown,
  action: string,
  host: string,
  party: Party = OIDC_PROVIDER,
): KubeloginError {
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
    return new AuthError(`${action} at ${host} failed: ${oauthError}${description}`, {
      oauthError: parameters?.error,
      cause: error,
    });
  }
  const unusable = findInChain(
    error,
    (candidate): candidate is UnusableResponse => candidate instanceof UnusableResponse,
  );
  if (unusable)
    return new NetworkError(`${action} at ${unusable.host} failed: ${unusable.reason}`, {
      hint: unusable.options.hint,
      cause: error,
    });
  const transport = findInChain(
    error,
    (candidate): candidate is TransportFailure => candidate instanceof TransportFailure,
  );
  if (transport) return describeTransportFailure(transport, action, host, party);
  if (isDeadline(error)) {
    return new TimeoutError(`${action} at ${host} did not answer in time`, { cause: error });
  }
  if (error instanceof ClientError) {
    const status = (error.cause as { status?: unknown } | undefined)?.status;
    // openid-client's own words for a malformed answer say nothing; the check that failed does.
    const invalid =
      error.code === 'OAUTH_INVALID_RESPONSE' && error.cause instanceof Error
        ? `the answer is invalid: ${error.cause.message}`
        : undefined;
    const detail = typeof status === 'number' ? `HTTP ${status}` : (invalid ?? error.message);
    return new NetworkError(`${action} at ${host} failed: ${detail}`, { cause: error });
  }
  const { message } = innermostCause(error);
  return new NetworkError(`${action} at ${host} failed: ${message}`, { cause: error });
}
