/**
 * Asking the API server who a token is: a SelfSubjectReview
 * (`authentication.k8s.io/v1`, Kubernetes 1.28+), sent with undici to the
 * context's cluster with its CA (else the system's trust, SSL_CERT_FILE and
 * SSL_CERT_DIR included, as kubectl), skip-verify and proxy-url settings.
 */
import { readFileSync } from 'node:fs';
import { ConfigError, NetworkError, TimeoutError } from '../core/errors.ts';
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

/** The path of SelfSubjectReview, GA in Kubernetes 1.28. */
const REVIEW_PATH = '/apis/authentication.k8s.io/v1/selfsubjectreviews';
/** An API server that has not accepted the connection by then is down or unreachable. */
const CONNECT_TIMEOUT_MS = 10_000;
/** A SelfSubjectReview is answered from memory; this leaves room for a slow network, not for a hang. */
const RESPONSE_TIMEOUT_MS = 30_000;
/** A review is a few hundred bytes; a bigger answer is not one. */
const MAX_ANSWER_BYTES = 1024 * 1024;

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

/** What a review takes from the world: the environment (the system's trust) and where to log. */
export interface ReviewWorld {
  env: NodeJS.ProcessEnv;
  logger: Logger;
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

/** The dispatcher for the cluster: its CA (else the system's trust) or skip-verify, through its proxy-url when it has one. */
function dispatcherFor(target: ReviewTarget, world: ReviewWorld): Dispatcher {
  const ca = clusterCa(target) ?? systemTrust(world.env, world.logger);
  const tls = {
    ...(ca === undefined ? {} : { ca }),
    rejectUnauthorized: !target.cluster.insecureSkipTlsVerify,
    timeout: CONNECT_TIMEOUT_MS,
  };
  const timeouts = { headersTimeout: RESPONSE_TIMEOUT_MS, bodyTimeout: RESPONSE_TIMEOUT_MS };
  const proxy = target.cluster.proxyUrl;
  return proxy === undefined
    ? new Agent({ connect: tls, ...timeouts })
    : new ProxyAgent({ uri: proxy, requestTls: tls, proxyTls: tls, ...timeouts });
}

/** A failure to talk to the API server, in words naming the server, the context and the file. */
function transportError(error: unknown, target: ReviewTarget): Error {
  const { code, message } = innermostCause(error);
  const where = `the API server ${target.cluster.server} (context ${target.context} in ${target.file})`;
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

/** Sends a SelfSubjectReview with `token` and returns what the API server says. */
export async function reviewSelf(target: ReviewTarget, token: string, world: ReviewWorld): Promise<ReviewAnswer> {
  let url: URL;
  try {
    url = new URL(REVIEW_PATH, target.cluster.server.replace(/\/*$/, '/'));
  } catch (cause) {
    throw new ConfigError(
      `the server ${target.cluster.server} of the cluster ${target.cluster.name} (context ${target.context} in ${target.file}) is not a URL`,
      { cause },
    );
  }
  const dispatcher = dispatcherFor(target, world);
  let response: Awaited<ReturnType<typeof fetch>>;
  let text: string;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' }),
      dispatcher,
    });
    text = await response.text();
  } catch (error) {
    throw transportError(error, target);
  } finally {
    void dispatcher.close().catch(() => undefined);
  }
  if (text.length > MAX_ANSWER_BYTES)
    throw new NetworkError(
      `the answer of the API server ${target.cluster.server} to a SelfSubjectReview is too big to be one`,
    );
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (response.ok) {
    const userInfo = (body as { status?: { userInfo?: UserInfo } } | undefined)?.status?.userInfo;
    if (userInfo === undefined)
      throw new NetworkError(
        `the API server ${target.cluster.server} (context ${target.context}) answered a SelfSubjectReview without a user (HTTP ${response.status})`,
      );
    return { kind: 'user', userInfo };
  }
  const message = (body as { message?: unknown } | undefined)?.message;
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
