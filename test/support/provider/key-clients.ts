/**
 * Clients that authenticate with a private key (private_key_jwt, RFC 7523):
 * their key pairs, the PEM files the CLI is given, and their registration
 * (the public key in `jwks`), as a Keycloak or Okta admin would set them up.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { ClientMetadata } from 'oidc-provider';
import { CLIENT_SCOPE, DEVICE_CODE_GRANT } from './test-clients.ts';

/** The key clients, by key type. */
export const KEY_CLIENTS = { rsa: 'key-client-rsa', ec: 'key-client-ec' } as const;
/** The `kid` registered with each client's public key and sent with --oidc-client-assertion-kid. */
export const KEY_CLIENT_KID = 'ci-key-1';

/** The names of a client's key files, relative to the directory they are written in. */
export interface KeyClientFiles {
  /** PKCS#8 PEM of the private key (RSA) or SEC1 (EC): both forms the CLI takes. */
  privateKeyFile: string;
  /** PEM of the public key: what the CLI must refuse as an assertion key. */
  publicKeyFile: string;
}

/** Both key clients: their metadata for the provider and their key files. */
export interface KeyClients {
  metadata: ClientMetadata[];
  /** The content of every key file, by name. */
  files: Record<string, string>;
  rsa: KeyClientFiles;
  ec: KeyClientFiles;
}

/** The registration of a key client: every grant the CLI authenticates the client on. */
function keyClientMetadata(clientId: string, publicKey: KeyObject, alg: string): ClientMetadata {
  return {
    client_id: clientId,
    application_type: 'native',
    token_endpoint_auth_method: 'private_key_jwt',
    token_endpoint_auth_signing_alg: alg,
    jwks: { keys: [{ ...publicKey.export({ format: 'jwk' }), kid: KEY_CLIENT_KID, alg, use: 'sig' }] },
    redirect_uris: ['http://localhost', 'http://127.0.0.1'],
    grant_types: ['authorization_code', 'refresh_token', 'client_credentials', DEVICE_CODE_GRANT],
    response_types: ['code'],
    scope: CLIENT_SCOPE,
  } as ClientMetadata;
}

/** Makes an RSA and a P-256 key client; their key files are for the caller to write (e.g. in a test world's HOME). */
export function makeKeyClients(): KeyClients {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const files: Record<string, string> = {};
  const keyFiles = (
    name: string,
    pair: { privateKey: KeyObject; publicKey: KeyObject },
    type: 'pkcs8' | 'sec1',
  ): KeyClientFiles => {
    const privateKeyFile = `${name}-private.pem`;
    const publicKeyFile = `${name}-public.pem`;
    files[privateKeyFile] = pair.privateKey.export({ type, format: 'pem' }) as string;
    files[publicKeyFile] = pair.publicKey.export({ type: 'spki', format: 'pem' }) as string;
    return { privateKeyFile, publicKeyFile };
  };
  return {
    metadata: [
      keyClientMetadata(KEY_CLIENTS.rsa, rsa.publicKey, 'RS256'),
      keyClientMetadata(KEY_CLIENTS.ec, ec.publicKey, 'ES256'),
    ],
    rsa: keyFiles('rsa', rsa, 'pkcs8'),
    ec: keyFiles('ec', ec, 'sec1'),
    files,
  };
}
