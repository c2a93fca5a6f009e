/**
 * Clients of the test provider that may use its RFC 8693 token exchange grant.
 */
import type { ClientMetadata } from 'oidc-provider';
import { CLIENT_SCOPE } from './test-clients.ts';
import { TOKEN_EXCHANGE_GRANT } from './token-exchange-grant.ts';

/** A public native client (any loopback port) that logs users in and may also exchange their tokens. */
export function exchangingNativeClient(clientId: string): ClientMetadata {
  return {
    client_id: clientId,
    application_type: 'native',
    token_endpoint_auth_method: 'none',
    redirect_uris: ['http://localhost', 'http://127.0.0.1'],
    grant_types: ['authorization_code', 'refresh_token', TOKEN_EXCHANGE_GRANT],
    response_types: ['code'],
    scope: CLIENT_SCOPE,
  };
}

/** A confidential client (HTTP Basic) that may only exchange tokens, as a CI job's client is. */
export function exchangeOnlyClient({ id, secret }: { id: string; secret: string }): ClientMetadata {
  return {
    client_id: id,
    client_secret: secret,
    token_endpoint_auth_method: 'client_secret_basic',
    grant_types: [TOKEN_EXCHANGE_GRANT],
    response_types: [],
    redirect_uris: [],
  };
}
