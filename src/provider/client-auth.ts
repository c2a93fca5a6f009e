/**
 * How the client authenticates at the token endpoint: HTTP Basic with the ID
 * and secret form-urlencoded (RFC 6749 section 2.3.1), the form body, or
 * nothing for a public client.
 */
import * as client from 'openid-client';
import type { ProviderOptions } from '../core/options.ts';

/** Characters encodeURIComponent leaves alone that form-urlencoding (Go's url.QueryEscape) escapes. */
const ESCAPED_BY_FORM_ENCODING = /[!'()*]/g;
/** A space, as encodeURIComponent writes it; form-urlencoding writes `+`. */
const ENCODED_SPACE = /%20/g;

/**
 * `value` as application/x-www-form-urlencoded encodes it, like Go's
 * url.QueryEscape: letters, digits and `-_.~` stay, a space becomes `+`,
 * every other byte of its UTF-8 is percent-encoded.
 */
export function formUrlEncode(value: string): string {
  return encodeURIComponent(value)
    .replace(ESCAPED_BY_FORM_ENCODING, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(ENCODED_SPACE, '+');
}

/**
 * client_secret_basic as RFC 6749 section 2.3.1 and the Go kubelogin send it.
 * openid-client's own also escapes `-_.!~*'()`, which providers that do not
 * percent-decode the credentials refuse as invalid_client.
 */
function clientSecretBasic(clientId: string, clientSecret: string): client.ClientAuth {
  const credentials = Buffer.from(`${formUrlEncode(clientId)}:${formUrlEncode(clientSecret)}`).toString('base64');
  return (_server, _client, _body, headers) => {
    headers.set('authorization', `Basic ${credentials}`);
  };
}

/** The client authentication of `options`: HTTP Basic unless the provider lists only others, the form body then, none without a secret. */
export function clientAuthentication(options: ProviderOptions, metadata: client.ServerMetadata): client.ClientAuth {
  if (options.clientSecret === undefined) return client.None();
  const supported = metadata.token_endpoint_auth_methods_supported;
  // client_secret_basic is the default of RFC 8414 when the provider lists nothing.
  if (supported === undefined || supported.includes('client_secret_basic')) return clientSecretBasic(options.clientId, options.clientSecret);
  return client.ClientSecretPost(options.clientSecret);
}
