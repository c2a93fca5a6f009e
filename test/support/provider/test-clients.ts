/** The clients registered on every test provider, as a kubelogin user would set them up. */
import type { ClientMetadata } from 'oidc-provider';

/** Client IDs and secrets registered on every test provider. */
export const TEST_CLIENTS = {
  /** Public native client: authorization code (any loopback port), refresh, device code, password. */
  native: 'kubernetes',
  exactWeb: 'exact-web',
  exactWebSecret: 'exact-web-secret',
  /** Confidential client (HTTP Basic): client credentials, password, refresh. */
  confidential: 'confidential',
  confidentialSecret: 'confidential-secret',
} as const;

/** Scopes the clients may ask for. */
export const CLIENT_SCOPE = 'openid email profile groups offline_access';
/** The device authorization grant type (RFC 8628). */
export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
/** The resource owner password credentials grant type, which the test provider adds. */
export const PASSWORD_GRANT = 'password';

/** The metadata of the test clients; `exact-web` exists only when its redirect URIs are given. */
export function testClients(exactRedirectUris: string[] | undefined, deviceFlow = true): ClientMetadata[] {
  const native: ClientMetadata = {
    client_id: TEST_CLIENTS.native,
    application_type: 'native',
    token_endpoint_auth_method: 'none',
    // A native client's loopback redirect URIs match with any port (RFC 8252 section 7.3).
    redirect_uris: ['http://localhost', 'http://127.0.0.1'],
    // Keycloak public clients with "direct access grants" on allow the password grant like this.
    grant_types: ['authorization_code', 'refresh_token', ...(deviceFlow ? [DEVICE_CODE_GRANT] : []), PASSWORD_GRANT],
    response_types: ['code'],
    scope: CLIENT_SCOPE,
  };
  const confidential: ClientMetadata = {
    client_id: TEST_CLIENTS.confidential,
    client_secret: TEST_CLIENTS.confidentialSecret,
    token_endpoint_auth_method: 'client_secret_basic',
    grant_types: ['client_credentials', PASSWORD_GRANT, 'refresh_token'],
    response_types: [],
    redirect_uris: [],
  };
  if (exactRedirectUris === undefined) return [native, confidential];
  const exactWeb: ClientMetadata = {
    client_id: TEST_CLIENTS.exactWeb,
    client_secret: TEST_CLIENTS.exactWebSecret,
    token_endpoint_auth_method: 'client_secret_basic',
    redirect_uris: exactRedirectUris,
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    scope: CLIENT_SCOPE,
  };
  return [native, exactWeb, confidential];
}
