/**
 * The words of failed token checks, from the errors openid-client and jose
 * really throw: openid-client's grant request against a stand-in fetch, and
 * jose's jwtVerify against a local key set.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { createLocalJWKSet, exportJWK, generateKeyPair, type JWTPayload, jwtVerify, SignJWT } from 'jose';
import * as client from 'openid-client';
import { type CheckContext, failedIdTokenCheck, failedJoseCheck } from '../../../src/provider/token-checks.ts';

const ISSUER = 'https://sso.example';
const CLIENT_ID = 'kubernetes';
const NOW_S = Math.floor(Date.now() / 1000);
const CLAIMS = { iss: ISSUER, aud: CLIENT_ID, sub: 'alice', iat: NOW_S, exp: NOW_S + 300 };

let privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
let keySet: ReturnType<typeof createLocalJWKSet>;
before(async () => {
  const pair = await generateKeyPair('RS256');
  privateKey = pair.privateKey;
  keySet = createLocalJWKSet({ keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256' }] });
});

const sign = (claims: JWTPayload | Record<string, unknown>, kid = 'k1') =>
  new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid }).sign(privateKey);

/** What failedIdTokenCheck makes of openid-client's processing of a token response holding `idToken`. */
async function idTokenCheck(idToken: string) {
  const config = new client.Configuration(
    { issuer: ISSUER, token_endpoint: `${ISSUER}/token` },
    CLIENT_ID,
    undefined,
    client.None(),
  );
  config[client.customFetch] = async () =>
    new Response(JSON.stringify({ access_token: 'opaque', token_type: 'Bearer', id_token: idToken }), {
      headers: { 'content-type': 'application/json' },
    });
  const error = await client.genericGrantRequest(config, 'password', { username: 'alice', password: 'x' }).then(
    () => assert.fail('the response was accepted'),
    (failure: unknown) => failure,
  );
  return failedIdTokenCheck(error);
}

/** What failedJoseCheck makes of jose's verification of `token`. */
async function joseCheck(token: string, context: Partial<CheckContext> = {}) {
  const error = await jwtVerify(token, keySet, { issuer: ISSUER, audience: CLIENT_ID, requiredClaims: ['exp'] }).then(
    () => assert.fail('the token was accepted'),
    (failure: unknown) => failure,
  );
  return failedJoseCheck(error, { issuer: ISSUER, audience: CLIENT_ID, nowMs: NOW_S * 1000, header: {}, ...context });
}

describe('failedIdTokenCheck', () => {
  it('names the authorized party when the token names several audiences', async () => {
    assert.deepEqual(await idTokenCheck(await sign({ ...CLAIMS, aud: [CLIENT_ID, 'other'], azp: 'other' })), {
      reason: 'its azp (authorized party) is "other" but the client is "kubernetes"',
      hint: 'check --oidc-client-id',
    });
    assert.equal(
      (await idTokenCheck(await sign({ ...CLAIMS, aud: [CLIENT_ID, 'other'] })))?.reason,
      'its aud (audience) "kubernetes", "other" names other clients too, and it has no azp (authorized party)',
    );
  });

  it('says when it is not valid yet', async () => {
    const check = await idTokenCheck(await sign({ ...CLAIMS, nbf: 4_102_444_800 }));
    assert.match(
      check?.reason ?? '',
      /^it is not valid before 2100-01-01T00:00:00Z \(this machine's clock says \d{4}-/,
    );
    assert.match(check?.hint ?? '', /clock/);
  });

  it('says when a claim has the wrong type, or the token is no JWT', async () => {
    assert.equal(
      (await idTokenCheck(await sign({ ...CLAIMS, sub: 42 })))?.reason,
      'its sub (subject) claim has the wrong type',
    );
    assert.equal((await idTokenCheck('not-a-jwt'))?.reason, 'it is not a well-formed JWT');
  });

  it('leaves errors that are not token checks to others', () => {
    assert.equal(failedIdTokenCheck(new TypeError('fetch failed')), undefined);
    const notAboutTokens = new client.ClientError('invalid response encountered', {
      cause: new Error('"response" body "access_token" property must be a string'),
    });
    Object.assign(notAboutTokens, { code: 'OAUTH_INVALID_RESPONSE' });
    assert.equal(failedIdTokenCheck(notAboutTokens), undefined);
  });
});

describe('failedJoseCheck', () => {
  it('says the signature does not match', async () => {
    const other = await generateKeyPair('RS256');
    const forged = await new SignJWT(CLAIMS).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).sign(other.privateKey);
    assert.equal((await joseCheck(forged)).reason, "its signature does not match the provider's key");
  });

  it('names the kid and alg no key matches', async () => {
    assert.equal(
      (await joseCheck(await sign(CLAIMS, 'rotated'), { header: { kid: 'rotated', alg: 'RS256' } })).reason,
      'no key of the provider\'s JWKS matches its key ID (kid) "rotated" and signing algorithm (alg) "RS256"',
    );
  });

  it('names a missing claim and a wrong audience', async () => {
    const { exp: _exp, ...withoutExp } = CLAIMS;
    assert.equal((await joseCheck(await sign(withoutExp))).reason, 'it has no exp (expiration time) claim');
    assert.equal(
      (await joseCheck(await sign({ ...CLAIMS, aud: 'other' }))).reason,
      'its aud (audience) is "other" but the client is "kubernetes"',
    );
  });
});
