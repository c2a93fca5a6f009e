/**
 * Asking the API server who a token is: a SelfSubjectReview
 * (`authentication.k8s.io/v1`, Kubernetes 1.28+), sent with undici to the
 * context's cluster as kubectl would send it: over https only, at the
 * server URL's path, with its CA (else the system's trust, SSL_CERT_FILE and
 * SSL_CERT_DIR included), `tls-server-name`, skip-verify, and `proxy-url`
 * (else the proxy of the environment); no redirect followed, the answer
 * bounded in size and the whole request in time.
 */
import { readFileSync } from 'node:fs';
import { testTimeoutOverride } from '../core/durations.ts';
import { ConfigError, NetworkError, TimeoutError } from '../core/errors.ts';
import { readBoundedBody } from '../io/bounded-body.ts';
import { describeFsError } from '../io/files.ts';
import type { Logger } from '../io/logger.ts';
import { systemTrust } from '../io/system-trust.ts';
import {
  Agent,
  type Dispatcher,
  fetch,
  innermostCause,
  ProxyAgent,
  untrustedCertificateReason,
} from '../io/transport.ts';
import type { ClusterConnection } from '../kubeconfig/kubeconfig-context.ts';

/** The path of SelfSubjectReview, GA in Kubernetes 1.28, below the server URL's own path. */
const REVIEW_PATH = '/apis/authentication.k8s.io/v1/selfsubjectreviews';
/** An API server that has not accepted the connection by then is down or unreachable. */
const CONNECT_TIMEOUT_MS = 10_000;
/** A SelfSubjectReview is answered from memory; this leaves room for a slow network, not for a hang. */
const RESPONSE_TIMEOUT_MS = 30_000;
/**
 * The whole request's deadline comes this long after the connect and
 * response timeouts, which say what stalled, so they fire first; it ends a
 * body that trickles in, which restarts the response timeout at every byte.
 */
const DEADLINE_MARGIN_MS = 5_000;
/** Test-only: milliseconds replacing the connect and response timeouts (core/durations.ts). */
const TEST_TIMEOUT_VARIABLE = 'KUBELOGIN_TEST_CLUSTER_TIMEOUT_MS';
/** A review is a few hundred bytes; a bigger answer is not one, and is not read whole. */
const MAX_ANSWER_BYTES = 1024 * 1024;
/** Statuses that redirect. */
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** The user the API server mapped the token to. */
export interface UserInfo {
  username?: string;
  uid?: string;
  groups?: string[];
  extra?: Record<string, string[]>;
}

/** The API server's answer: who the token is, or that it was rejected (with the status's message). */
export type ReviewAnswer = { kind: 'user'; userInfo: UserInfo } | { kind: 'rejected'; status: number; message: string };

/** Where a request went, for messages: the server and the context naming it. */
export interface ReviewTarget {
  cluster: ClusterConnection;
  context: string;
  file: string;
}

/** A proxy of the environment, and the variable that named it. */
export interface EnvironmentProxy {
  url: URL;
  variable: string;
}

/**
 * What a review takes from the world: the environment (the system's trust,
 * the test timeouts), where to log, and the proxy of the environment for a
 * URL (HTTPS_PROXY and NO_PROXY, by the rules the provider's connection
 * follows), used when the cluster has no proxy-url.
 */
export interface ReviewWorld {
  env: NodeJS.ProcessEnv;
  logger: Logger;
  environmentProxy(url: URL): EnvironmentProxy | undefined;
}

/** `the API server <url> (context <c> in <file>)`, for messages. */
function describeServer(target: ReviewTarget): string {
  return `the API server ${target.cluster.server} (context ${target.context} in ${target.file})`;
}

/**
 * The URL of the review: the path of SelfSubjectReview below the server
 * URL's path (a Rancher server is `https://rancher/k8s/clusters/<id>`). A
 * server that is not a URL, or is plain http, is a ConfigError: as kubectl,
 * kubelogin sends no credential over http.
 */
export function reviewUrl(target: ReviewTarget): URL {
  const { cluster, context, file } = target;
  const where = `the server ${cluster.server} of the cluster ${cluster.name} (context ${context} in ${file})`;
  let url: URL;
  try {
    url = new URL(cluster.server);
  } catch (cause) {
    throw new ConfigError(`${where} is not a URL`, { cause });
  }
  if (url.protocol !== 'https:') {
    throw new ConfigError(`${where} is not https: kubelogin sends no token over it, as kubectl sends none`, {
      hint: "set the cluster's server to the API server's https URL",
    });
  }
  url.pathname = `${url.pathname.replace(/\/+$/, '')}${REVIEW_PATH}`;
  url.search = '';
  url.hash = '';
  return url;
}

/** The CA bundle to trust for the cluster, read from its file when it names one. */
function clusterCa({ cluster, context, file }: ReviewTarget): string | undefined {
  const ca = cluster.certificateAuthority;
  if (ca === undefined) return undefined;
  if (ca.pem !== undefined) return ca.pem;
  try {
    return readFileSync(ca.file as string, 'utf8');
  } catch (cause) {
    throw new ConfigError(
      `cannot read the certificate-authority ${ca.file} of the cluster ${cluster.name} (context ${context} in ${file}): ${describeFsError(cause)}`,
      { cause },
    );
  }
}

/** The proxy of a request: the cluster's proxy-url, else the environment's (none for loopback or NO_PROXY). */
function proxyOf(target: ReviewTarget, url: URL, world: ReviewWorld): string | undefined {
  const configured = target.cluster.proxyUrl;
  if (configured !== undefined) return configured;
  const fromEnvironment = world.environmentProxy(url);
  if (fromEnvironment === undefined) return undefined;
  world.logger.debug(
    `sending the SelfSubjectReview through the proxy ${fromEnvironment.url.host} (${fromEnvironment.variable})`,
  );
  return fromEnvironment.url.href;
}

/** The connect and response timeouts, or the test override. */
function timeouts(env: NodeJS.ProcessEnv): { connectMs: number; responseMs: number } {
  const override = testTimeoutOverride(env, TEST_TIMEOUT_VARIABLE);
  return { connectMs: override ?? CONNECT_TIMEOUT_MS, responseMs: override ?? RESPONSE_TIMEOUT_MS };
}

/**
 * The dispatcher for the cluster: its CA (else the system's trust),
 * `tls-server-name` and skip-verify, through `proxy` when there is one.
 */
function dispatcherFor(
  target: ReviewTarget,
  proxy: string | undefined,
  limits: { connectMs: number; responseMs: number },
  world: ReviewWorld,
): Dispatcher {
  const ca = clusterCa(target) ?? systemTrust(world.env, world.logger);
  const { tlsServerName } = target.cluster;
  const tls = {
    ...(ca === undefined ? {} : { ca }),
    ...(tlsServerName === undefined ? {} : { servername: tlsServerName }),
    rejectUnauthorized: !target.cluster.insecureSkipTlsVerify,
    timeout: limits.connectMs,
  };
  const responseTimeouts = { headersTimeout: limits.responseMs, bodyTimeout: limits.responseMs };
  if (proxy === undefined) return new Agent({ connect: tls, ...responseTimeouts });
  const { servername: _forTheCluster, ...proxyTls } = tls as typeof tls & { servername?: string };
  return new ProxyAgent({ uri: proxy, requestTls: tls, proxyTls, ...responseTimeouts });
}

/** True for the whole request's deadline. */
function isDeadline(error: unknown): boolean {
  for (let current: unknown = error; current instanceof Error; current = current.cause) {
    if (current.name === 'TimeoutError') return true;
  }
  return false;
}

/** A failure to talk to the API server, in words naming the server, the context and the file. */
function transportError(error: unknown, target: ReviewTarget, deadlineMs: number): Error {
  const { code, message } = innermostCause(error);
  const where = describeServer(target);
  if (isDeadline(error)) {
    return new TimeoutError(`${where} did not finish its answer within ${deadlineMs / 1000}s`, {
      hint: 'check the server URL and your network',
      cause: error,
    });
  }
  const untrusted = untrustedCertificateReason(code);
  if (untrusted !== undefined) {
    const source =
      target.cluster.certificateAuthority === undefined
        ? 'the system CAs'
        : `the certificate-authority${target.cluster.certificateAuthority.file ? ` ${target.cluster.certificateAuthority.file}` : '-data'} of the cluster ${target.cluster.name}`;
    return new NetworkError(
      `cannot verify the TLS certificate of ${where}: ${untrusted}; ${source} does not trust it`,
      {
        hint: "set the cluster's certificate-authority-data to the CA that signed the API server's certificate",
        cause: error,
      },
    );
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return new NetworkError(`the TLS certificate of ${where} is not issued for that host: ${message}`, {
      cause: error,
    });
  }
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    return new TimeoutError(`${where} did not answer in time`, {
      hint: 'check the server URL and your network',
      cause: error,
    });
  }
  const reason = code === 'ECONNREFUSED' ? 'connection refused' : code === 'ENOTFOUND' ? 'host not found' : message;
  return new NetworkError(`cannot reach ${where}: ${reason}`, {
    hint: "check the cluster's server URL and your network",
    cause: error,
  });
}

/**
 * Sends a SelfSubjectReview with `token` to `url` (from reviewUrl) and
 * returns what the API server says. A redirect is reported, not followed:
 * another server's answer is not the cluster's.
 */
export async function reviewSelf(
  target: ReviewTarget,
  url: URL,
  token: string,
  world: ReviewWorld,
): Promise<ReviewAnswer> {
  const limits = timeouts(world.env);
  const deadlineMs = limits.connectMs + limits.responseMs + DEADLINE_MARGIN_MS;
  const dispatcher = dispatcherFor(target, proxyOf(target, url, world), limits, world);
  const where = describeServer(target);
  let response: Awaited<ReturnType<typeof fetch>>;
  let body: Uint8Array;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' }),
      redirect: 'manual',
      signal: AbortSignal.timeout(deadlineMs),
      dispatcher,
    });
    body = await readBoundedBody(
      response,
      MAX_ANSWER_BYTES,
      () =>
        new NetworkError(
          `the answer of ${where} to a SelfSubjectReview is larger than ${MAX_ANSWER_BYTES} bytes: not a review`,
        ),
    );
  } catch (error) {
    if (error instanceof NetworkError) throw error;
    throw transportError(error, target, deadlineMs);
  } finally {
    void dispatcher.close().catch(() => undefined);
  }
  if (REDIRECT_STATUSES.has(response.status)) {
    const location = response.headers.get('location');
    throw new NetworkError(
      `${where} answered the SelfSubjectReview with a redirect (HTTP ${response.status}${location ? ` to ${location}` : ''}), which kubelogin does not follow: another server's answer is not the cluster's`,
      { hint: "set the cluster's server to the API server's own URL" },
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(body).toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (response.ok) {
    const userInfo = (parsed as { status?: { userInfo?: UserInfo } } | undefined)?.status?.userInfo;
    if (userInfo === undefined)
      throw new NetworkError(
        `the API server ${target.cluster.server} (context ${target.context}) answered a SelfSubjectReview without a user (HTTP ${response.status})`,
      );
    return { kind: 'user', userInfo };
  }
  const message = (parsed as { message?: unknown } | undefined)?.message;
  if (response.status === 404) {
    throw new NetworkError(
      `the API server ${target.cluster.server} (context ${target.context}) does not serve SelfSubjectReview (HTTP 404)`,
      { hint: 'it needs Kubernetes 1.28 or later' },
    );
  }
  return {
    kind: 'rejected',
    status: response.status,
    message: typeof message === 'string' ? message : `HTTP ${response.status}`,
  };
}
