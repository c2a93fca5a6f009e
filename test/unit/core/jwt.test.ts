import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeJwtClaims } from '../../../src/core/jwt.ts';
import { unsignedJwt } from '../../support/unsigned-jwt.ts';

/** A part of a malformed token, encoded as a JWT part is. */
function b64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

/** A token with a signature part and `payload` as its raw payload text. */
function jwtWithPayload(payload: string): string {
  return unsignedJwt(payload, { signature: 'signature' });
}

describe('decodeJwtClaims', () => {
  it('decodes the payload of a valid token', () => {
    const claims = decodeJwtClaims(
      jwtWithPayload(JSON.stringify({ iss: 'https://issuer', exp: 2000, iat: 1000, name: 'Zoë' })),
    );
    assert.deepEqual(claims, { iss: 'https://issuer', exp: 2000, iat: 1000, name: 'Zoë' });
  });

  it('accepts an empty signature part (an unsigned token)', () => {
    const token = unsignedJwt({ exp: 5 });
    assert.ok(token.endsWith('.'), token);
    assert.deepEqual(decodeJwtClaims(token), { exp: 5 });
  });

  it('returns undefined unless there are exactly three parts', () => {
    const payload = b64url('{"exp":5}');
    assert.equal(decodeJwtClaims(''), undefined);
    assert.equal(decodeJwtClaims(payload), undefined);
    assert.equal(decodeJwtClaims(`header.${payload}`), undefined);
    assert.equal(decodeJwtClaims(`header.${payload}.sig.extra`), undefined);
    assert.equal(decodeJwtClaims(`a.${payload}.b.c.d`), undefined);
  });

  it('returns undefined when the payload is not base64url JSON', () => {
    assert.equal(decodeJwtClaims('header.!!!not-base64!!!.sig'), undefined);
    assert.equal(decodeJwtClaims(`header.${b64url('not json')}.sig`), undefined);
    assert.equal(decodeJwtClaims(`header.${b64url('{"exp":')}.sig`), undefined);
  });

  it('returns undefined when the payload is JSON but not an object', () => {
    assert.equal(decodeJwtClaims(jwtWithPayload('[1,2]')), undefined);
    assert.equal(decodeJwtClaims(jwtWithPayload('"text"')), undefined);
    assert.equal(decodeJwtClaims(jwtWithPayload('42')), undefined);
    assert.equal(decodeJwtClaims(jwtWithPayload('null')), undefined);
  });
});
