/**
 * A provider session (src/provider/session.ts) as connectProvider makes it after discovery, whose
 * network is a function: it answers as a provider would, or fails as the provider's fetch
 * (src/provider/http.ts) does. Unit tests of the flows run the real flow code on it, with real
 * openid-client errors, and no server.
 */
import * as client from 'openid-client';
import type { ProviderOptions } from '../../src/core/options.ts';
import { Logger } from '../../src/io/logger.ts';
import { Redactor } from '../../src/io/redact.ts';
import { clientAuthentication } from '../../src/provider/client-auth.ts';
import { type RequestRoute, TransportFailure } from '../../src/provider/errors.ts';
import type { ProviderHttp } from '../../src/provider/http.ts';
import type { ProviderSession } from '../../src/provider/session.ts';
import { TokenVerifier } from '../../src/provider/token-verifier.ts';
import { providerOptions } from './provider-options.ts';

/** The provider's host, and its issuer. */
export const STAND_IN_HOST = 'sso.corp.example';
const ISSUER = `https://${STAND_IN_HOST}`;
const METADATA: client.ServerMetadata = {
  issuer: ISSUER,
  token_endpoint: `${ISSUER}/token`,
  jwks_uri: `${ISSUER}/jwks`,
  token_endpoint_auth_methods_supported: ['client_secret_basic'],
};
/** The client secret of the stand-in's client: no error may hold it. */
export const STAND_IN_CLIENT_SECRET = 'the-client-secret';
/** The provider options of the session, unless a test overrides some. */
const PROVIDER: ProviderOptions = providerOptions({
  issuerUrl: ISSUER,
  clientId: 'ci-client',
  clientSecret: STAND_IN_CLIENT_SECRET,
});
/** The connect and response timeouts of the provider's fetch. */
const ROUTE: RequestRoute = { proxy: undefined, connectTimeoutMs: 10_000, responseTimeoutMs: 30_000 };
/** The whole request's deadline, short so a test of it takes milliseconds. */
export const STAND_IN_DEADLINE_MS = 50;

/** The network of a session: the answer to each request, or the way it fails. */
export type Network = (url: URL, init: client.CustomFetchOptions) => Promise<Response>;

/** A JSON answer. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

/** A connection that failed with `code` (as Node or undici says it), as the provider's fetch throws it. */
export function failing(code: string): Promise<never> {
  const cause = new TypeError('fetch failed', { cause: Object.assign(new Error(code), { code }) });
  return Promise.reject(new TransportFailure(ROUTE, cause));
}

/** A request that never gets an answer: it fails when its deadline aborts it, as fetch does. */
export function stalling(init: client.CustomFetchOptions): Promise<never> {
  // The deadline's timer does not keep the process alive (AbortSignal.timeout); a real request's socket does.
  const socket = setInterval(() => undefined, STAND_IN_DEADLINE_MS);
  return new Promise((_resolve, reject) => {
    init.signal?.addEventListener('abort', () => {
      clearInterval(socket);
      reject(init.signal?.reason);
    });
  });
}

/** A session over `network`, with the stand-in's provider options and `options` on top; `stderr` receives its log. */
export async function sessionOver(
  network: Network,
  options: Partial<ProviderOptions> = {},
  stderr: { write(text: string): unknown } = { write: () => undefined },
): Promise<ProviderSession> {
  const provider = { ...PROVIDER, ...options };
  const fetch: client.CustomFetch = (url, init) => network(new URL(url), init);
  const http: ProviderHttp = { fetch, deadlineMs: STAND_IN_DEADLINE_MS };
  const logger = new Logger(stderr, 0, new Redactor());
  const config = new client.Configuration(
    METADATA,
    provider.clientId,
    undefined,
    await clientAuthentication(provider, METADATA, logger.redactor),
  );
  config[client.customFetch] = fetch;
  config.timeout = STAND_IN_DEADLINE_MS / 1000;
  const now = () => Date.now();
  return {
    config,
    metadata: METADATA,
    options: provider,
    verifier: new TokenVerifier(METADATA, provider.clientId, http, now),
    http,
    serviceHttp: http,
    host: STAND_IN_HOST,
    scopes: 'openid',
    logger,
    now,
  };
}
