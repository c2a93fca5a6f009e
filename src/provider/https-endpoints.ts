/**
 * The rule that an https issuer's endpoints are https too: the discovery
 * document, fetched over TLS, must not send the keys that verify its tokens,
 * the token request or the person's browser over plain http. An endpoint
 * given by a flag instead of discovery's follows the same rule.
 */
import type { ServerMetadata } from 'openid-client';
import { ConfigError } from '../core/errors.ts';

/** The endpoints of a discovery document that kubelogin fetches from, posts to or opens in a browser, or might. */
const ENDPOINTS = [
  'authorization_endpoint',
  'token_endpoint',
  'jwks_uri',
  'device_authorization_endpoint',
  'revocation_endpoint',
  'end_session_endpoint',
  'userinfo_endpoint',
  'introspection_endpoint',
  'pushed_authorization_request_endpoint',
] as const;

/** `value` as a URL, or undefined when it is not one. */
function parsedUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

/**
 * Throws a ConfigError naming the endpoint and its host when the discovery
 * document of an https issuer names an endpoint that is not https.
 */
export function requireHttpsEndpoints(issuer: URL, metadata: ServerMetadata): void {
  if (issuer.protocol !== 'https:') return;
  for (const name of ENDPOINTS) {
    const value = metadata[name];
    if (typeof value !== 'string') continue;
    const url = parsedUrl(value);
    if (url?.protocol === 'https:') continue;
    const what = url
      ? `its ${name} at ${url.host} over ${url.protocol.slice(0, -1)}`
      : `a malformed ${name} ${JSON.stringify(value)}`;
    throw new ConfigError(
      `the provider at ${issuer.host} names ${what}; every endpoint of an https issuer must be https`,
      {
        hint: "the provider's configuration of its public URL is wrong, or something on the way rewrites its discovery document",
      },
    );
  }
}

/**
 * Throws a ConfigError naming `flag` when it gives an endpoint that is not
 * https for an https issuer.
 */
export function requireHttpsOverride(issuer: URL, flag: string, endpoint: string): void {
  if (issuer.protocol !== 'https:') return;
  const url = new URL(endpoint);
  if (url.protocol === 'https:') return;
  throw new ConfigError(
    `${flag} names ${url.host} over ${url.protocol.slice(0, -1)}, but the issuer ${issuer.host} is https; every endpoint of an https issuer must be https`,
    { hint: `give the https URL of the endpoint in ${flag}` },
  );
}
