/** The rule that every endpoint of an https issuer is https. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ServerMetadata } from 'openid-client';
import { ConfigError } from '../../../src/core/errors.ts';
import { requireHttpsEndpoints } from '../../../src/provider/https-endpoints.ts';

const ISSUER = new URL('https://sso.example');
const ENDPOINTS = [
  'authorization_endpoint',
  'token_endpoint',
  'jwks_uri',
  'device_authorization_endpoint',
  'revocation_endpoint',
  'end_session_endpoint',
];
const HTTPS_METADATA: ServerMetadata = Object.fromEntries([
  ['issuer', ISSUER.href],
  ...ENDPOINTS.map((name) => [name, `https://sso.example/${name}`]),
]) as ServerMetadata;

describe('requireHttpsEndpoints', () => {
  it('accepts an https issuer whose endpoints are all https', () => {
    requireHttpsEndpoints(ISSUER, HTTPS_METADATA);
  });

  for (const name of ENDPOINTS) {
    it(`refuses an http ${name}, naming it and its host`, () => {
      assert.throws(
        () => requireHttpsEndpoints(ISSUER, { ...HTTPS_METADATA, [name]: `http://keys.example:8080/${name}` }),
        (error: unknown) =>
          error instanceof ConfigError &&
          error.message ===
            `the provider at sso.example names its ${name} at keys.example:8080 over http; every endpoint of an https issuer must be https`,
      );
    });
  }

  it('refuses a malformed endpoint', () => {
    assert.throws(
      () => requireHttpsEndpoints(ISSUER, { ...HTTPS_METADATA, jwks_uri: 'not a url' }),
      /names a malformed jwks_uri "not a url"/,
    );
  });

  it('leaves an http issuer alone', () => {
    requireHttpsEndpoints(new URL('http://127.0.0.1:5556'), {
      issuer: 'http://127.0.0.1:5556',
      jwks_uri: 'http://127.0.0.1:5556/keys',
    });
  });
});
