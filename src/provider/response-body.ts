/**
 * The body of every response from the provider, read whole before openid-client
 * or jose see it: bounded in size, and a success must be JSON. Discovery
 * documents, JWKS, device authorizations and token responses are all JSON of a
 * few KiB.
 */
import { readBoundedBody } from '../io/bounded-body.ts';
import { Response } from '../io/transport.ts';
import { UnusableResponse } from './errors.ts';

/** Far above any discovery document, JWKS or token response; an endless or hostile body stops here instead of filling the memory. */
export const MAX_RESPONSE_BYTES = 1024 * 1024;
/** Statuses whose response has no body (a Response with one cannot be made). */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);
/** The limit in words, for messages. */
const LIMIT_TEXT = `${MAX_RESPONSE_BYTES / (1024 * 1024)} MiB`;

/** The whole body, failing once it passes the limit: the rest is not read, and the connection is dropped. */
function readCapped(response: Response, host: string): Promise<Uint8Array> {
  return readBoundedBody(
    response,
    MAX_RESPONSE_BYTES,
    () => new UnusableResponse(host, `the response is larger than the limit of ${LIMIT_TEXT}`),
  );
}

/** True when `bytes` parse as JSON. */
function isJson(bytes: Uint8Array): boolean {
  try {
    JSON.parse(Buffer.from(bytes).toString('utf8'));
    return true;
  } catch {
    return false;
  }
}

/**
 * Reads `response` whole and returns an equal one over the bytes read. Throws
 * an UnusableResponse naming `host` when the body passes MAX_RESPONSE_BYTES,
 * or when a success with a body is not JSON (typically a proxy's HTML login
 * page): its status and content type say what came instead. An empty success
 * is no such page: it is how a revocation endpoint answers (RFC 7009). Failures keep
 * their body, for openid-client to read the OAuth error in it.
 */
export async function bufferedResponse(response: Response, host: string): Promise<Response> {
  const body = await readCapped(response, host);
  const success = response.status >= 200 && response.status < 300;
  if (success && !NULL_BODY_STATUSES.has(response.status) && body.byteLength > 0 && !isJson(body)) {
    const type = response.headers.get('content-type') ?? 'none';
    throw new UnusableResponse(host, `the answer is not JSON (HTTP ${response.status}, content type ${type})`, {
      hint: "an HTML page here is usually a proxy's login or error page: check --oidc-issuer-url, HTTPS_PROXY and NO_PROXY",
    });
  }
  const init = { status: response.status, statusText: response.statusText, headers: response.headers };
  return new Response(NULL_BODY_STATUSES.has(response.status) ? null : body, init);
}
