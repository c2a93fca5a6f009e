/**
 * The HTTP client of every request to the provider (discovery, JWKS, token,
 * device authorization). It is undici 7 rather than Node 20's fetch, which
 * ignores HTTPS_PROXY and takes no CA per request: it trusts the CA flags,
 * honours --insecure-skip-tls-verify, goes through the proxy of the
 * environment, adds --oidc-request-header, and bounds every request with a
 * connect and a response timeout. Every body is read whole and bounded
 * (response-body.ts).
 */
import type { CustomFetch } from 'openid-client';
import { testTimeoutOverride } from '../core/durations.ts';
import type { ProviderOptions } from '../core/options.ts';
import type { Logger } from '../io/logger.ts';
import { Agent, type Dispatcher, fetch, Headers, ProxyAgent } from '../io/transport.ts';
import { type RequestRoute, TransportFailure, UnusableResponse } from './errors.ts';
import { type ProxyServer, proxyFor, readProxyEnvironment } from './proxy-environment.ts';
import { bufferedResponse } from './response-body.ts';
import { loadProviderTls, type ProviderTls } from './tls.ts';

/** A provider (or proxy) that has not accepted the connection and finished the TLS handshake by then is down or unreachable. */
const CONNECT_TIMEOUT_MS = 10_000;
/** Providers answer in well under a second; this leaves room for a slow directory behind the token endpoint, not for a hang. */
const RESPONSE_TIMEOUT_MS = 30_000;
/**
 * The whole request's deadline (openid-client's and jose's) comes this long
 * after the connect and response timeouts, so those, which say what stalled,
 * fire first (undici's timers run up to a second late).
 */
const DEADLINE_MARGIN_MS = 5_000;
/** Test-only: milliseconds replacing both timeouts (core/durations.ts). */
const TEST_TIMEOUT_VARIABLE = 'KUBELOGIN_TEST_PROVIDER_TIMEOUT_MS';

/** The client of one provider. */
export interface ProviderHttp {
  /** The fetch for openid-client's customFetch and jose's JWKS fetch. */
  fetch: CustomFetch;
  /** Milliseconds one whole request may take, for openid-client and jose to abort at. */
  deadlineMs: number;
}

/** The connect and response timeouts, or the test override. */
function timeouts(env: NodeJS.ProcessEnv): { connectTimeoutMs: number; responseTimeoutMs: number } {
  const override = testTimeoutOverride(env, TEST_TIMEOUT_VARIABLE);
  return {
    connectTimeoutMs: override ?? CONNECT_TIMEOUT_MS,
    responseTimeoutMs: override ?? RESPONSE_TIMEOUT_MS,
  };
}

/** The credential after an authorization scheme in a header value (`Bearer <credential>`). */
const SCHEME_CREDENTIAL = /^[A-Za-z][\w.+-]*\s+(\S+)$/;

/**
 * Registers the values of --oidc-request-header with the redactor, and the
 * credential of a value that names a scheme: headers carry API keys and
 * tokens, which a provider or proxy may echo in an error.
 */
function redactRequestHeaders(headers: Readonly<Record<string, string>>, logger: Logger): void {
  for (const value of Object.values(headers)) logger.redactor.add(value, SCHEME_CREDENTIAL.exec(value)?.[1]);
}

/** The dispatcher through `proxy`: https origins through a CONNECT tunnel, http ones forwarded, as Go's net/http does. */
function proxyAgent(proxy: ProxyServer, tls: ProviderTls, route: Omit<RequestRoute, 'proxy'>): Dispatcher {
  // The CA flags and skip-verify apply to an https proxy too, as Go's transport applies its TLS config to both.
  const connection = { ...tls, timeout: route.connectTimeoutMs };
  return new ProxyAgent({
    uri: proxy.url.href,
    proxyTunnel: false,
    proxyTls: connection,
    requestTls: connection,
    headersTimeout: route.responseTimeoutMs,
    bodyTimeout: route.responseTimeoutMs,
  });
}

/**
 * Prepares the client of the provider: reads the CA flags and the proxy
 * variables of `env` (each failure a one-line error naming the flag or
 * variable) and warns when verification is off.
 */
export async function createProviderHttp(
  options: ProviderOptions,
  logger: Logger,
  env: NodeJS.ProcessEnv,
): Promise<ProviderHttp> {
  redactRequestHeaders(options.requestHeaders, logger);
  const tls = await loadProviderTls(options, env, logger);
  const proxies = readProxyEnvironment(env);
  const limits = timeouts(env);
  if (options.insecureSkipTLSVerify) {
    logger.warn(
      "--insecure-skip-tls-verify: the provider's TLS certificate is not verified; anyone on the network path can impersonate it",
    );
  }
  const direct = new Agent({
    connect: { ...tls, timeout: limits.connectTimeoutMs },
    headersTimeout: limits.responseTimeoutMs,
    bodyTimeout: limits.responseTimeoutMs,
  });
  const viaProxy = new Map<ProxyServer, Dispatcher>();
  for (const proxy of [proxies.http, proxies.https]) if (proxy) viaProxy.set(proxy, proxyAgent(proxy, tls, limits));

  const providerFetch: CustomFetch = async (url, init) => {
    const proxy = proxyFor(proxies, new URL(url));
    const headers = new Headers(init.headers);
    for (const [name, value] of Object.entries(options.requestHeaders)) headers.set(name, value);
    const route: RequestRoute = { ...limits, proxy: proxy && { label: proxy.label, variable: proxy.variable } };
    logger.trace(`${init.method} ${url}${proxy ? ` through the proxy ${proxy.label}` : ''}`);
    let response: Awaited<ReturnType<typeof fetch>>;
    try {
      response = await fetch(url, {
        method: init.method,
        headers,
        body: init.body,
        redirect: init.redirect,
        signal: init.signal,
        dispatcher: proxy ? viaProxy.get(proxy) : direct,
      });
    } catch (error) {
      if (!(error instanceof TypeError)) throw error;
      throw new TransportFailure(route, error);
    }
    logger.trace(`${response.status} ${url}`);
    let buffered: Awaited<ReturnType<typeof fetch>>;
    try {
      buffered = await bufferedResponse(response, new URL(url).host);
    } catch (error) {
      // A body that stalls or breaks off fails as the request would have.
      if (!(error instanceof TypeError) || error instanceof UnusableResponse) throw error;
      throw new TransportFailure(route, error);
    }
    // undici's Response is a WHATWG Response like the global one; openid-client and jose check it by shape.
    return buffered as unknown as Response;
  };
  return { fetch: providerFetch, deadlineMs: limits.connectTimeoutMs + limits.responseTimeoutMs + DEADLINE_MARGIN_MS };
}
