/** Which access tokens are JWTs to verify, and which are opaque, handed over as they are. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isCompactJws } from '../../../src/provider/token-verifier.ts';
import { unsignedJwt } from '../../support/unsigned-jwt.ts';

describe('isCompactJws', () => {
  it('takes a compact JWS with a header naming its alg for a JWT', () => {
    assert.equal(isCompactJws(unsignedJwt({ sub: 'alice' })), true);
  });

  it("takes anything else for opaque: Google's two parts, random text, three parts without a JOSE header", () => {
    for (const token of [
      'ya29.a0AfH6SMBx-opaque_Value',
      'pRx4ZG7mQ2b9',
      'a.b.c',
      `${Buffer.from('{"typ":"JWT"}').toString('base64url')}.e30.`,
    ]) {
      assert.equal(isCompactJws(token), false, token);
    }
  });
});
