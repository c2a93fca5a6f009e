/** Form-urlencoding of the client credentials, compared with what Go's url.QueryEscape gives. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formUrlEncode } from '../../../src/provider/client-auth.ts';

describe('formUrlEncode', () => {
  it('leaves letters, digits and -_.~ alone', () => {
    assert.equal(formUrlEncode('AZaz09-_.~'), 'AZaz09-_.~');
  });

  it("escapes !*'() and the rest, and writes a space as +", () => {
    assert.equal(formUrlEncode("a b!*'()"), 'a+b%21%2A%27%28%29');
    assert.equal(formUrlEncode('%+:/?#&='), '%25%2B%3A%2F%3F%23%26%3D');
  });

  it('percent-encodes each byte of UTF-8', () => {
    assert.equal(formUrlEncode('é€'), '%C3%A9%E2%82%AC');
  });
});
