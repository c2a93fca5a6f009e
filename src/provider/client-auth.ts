/**
 * How the client authenticates at the token endpoint: HTTP Basic with the ID
 * and secret form-urlencoded (RFC 6749 section 2.3.1), the form body, a
 * private key (private_key_jwt, RFC 7523), or nothing for a public client.
 * openid-client applies it to every request that authenticates the client
 * (code exchange, refresh, device, password, client credentials, revocation).
 */
import * as client from 'openid-client';
import type { ClientAssertionKey, ProviderOptions } from '../core/options.ts';
import type { Redactor } from '../io/redact.ts';
import { loadClientAssertionKey } from './client-assertion-key.ts';

/**
 * Seconds a client assertion is valid: it is signed just before each request
 * and sent at once, so a minute covers clock skew without making a stolen
 * assertion useful for long (providers refuse a reused jti anyway).
 */
const CLIENT_ASSERTION_LIFETIME_SECONDS = 60;

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
 * percent-decode the credentials refuse as invalid_client. The credentials in
 * base64 are a secret as much as the secret, should a provider echo them.
 */
function clientSecretBasic(clientId: string, clientSecret: string, redactor: Redactor): client.ClientAuth {
  const credentials = Buffer.from(`${formUrlEncode(clientId)}:${formUrlEncode(clientSecret)}`).toString('base64');
  redactor.add(credentials);
  return (_server, _client, _body, headers) => {
    headers.set('authorization', `Basic ${credentials}`);
  };
}

/**
 * private_key_jwt: a fresh assertion per request, `iss` = `sub` = client ID,
 * `aud` = the issuer (RFC 7523 section 3, and openid-client's default) or the
 * audiences given, a random `jti` and a short `exp`. Never a token endpoint
 * from the discovery document: a hostile issuer's could name another
 * provider's, which would then accept the assertion as meant for it.
 */
async function privateKeyJwt(key: ClientAssertionKey, metadata: client.ServerMetadata): Promise<client.ClientAuth> {
  const loaded = await loadClientAssertionKey(key);
  const [first, ...more] = key.audiences;
  const audience = first === undefined ? metadata.issuer : more.length === 0 ? first : key.audiences;
  return client.PrivateKeyJwt(
    { key: loaded.key, kid: loaded.kid },
    {
      [client.modifyAssertion]: (_header, payload) => {
        payload.aud = audience;
        payload.exp = (payload.iat as number) + CLIENT_ASSERTION_LIFETIME_SECONDS;
      },
    },
  );
}

/**
 * The client authentication of `options`: the private key when given; HTTP
 * Basic unless the provider lists only others, the form body then; none
 * without a secret. The secret, and each form it is sent in, is registered
 * with `redactor`: a provider may echo what it received in an error.
 */
export async function clientAuthentication(
  options: ProviderOptions,
  metadata: client.ServerMetadata,
  redactor: Redactor,
): Promise<client.ClientAuth> {
  if (options.clientAssertionKey !== undefined) return privateKeyJwt(options.clientAssertionKey, metadata);
  const secret = options.clientSecret;
  if (secret === undefined) return client.None();
  // As HTTP Basic encodes it, and as the form body does (URLSearchParams).
  redactor.add(secret, formUrlEncode(secret), new URLSearchParams({ secret }).toString().slice('secret='.length));
  const supported = metadata.token_endpoint_auth_methods_supported;
  // client_secret_basic is the default of RFC 8414 when the provider lists nothing.
  if (supported === undefined || supported.includes('client_secret_basic'))
    return clientSecretBasic(options.clientId, secret, redactor);
  return client.ClientSecretPost(secret);
}
