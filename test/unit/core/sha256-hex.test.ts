import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { sha256Hex } from '../../../src/core/sha256-hex.ts';

/** node:crypto's digest of the text's UTF-8 bytes (lone surrogates become U+FFFD, as TextEncoder has them). */
function reference(text: string): string {
  return createHash('sha256').update(Buffer.from(text, 'utf8')).digest('hex');
}

describe('sha256Hex', () => {
  it('gives the FIPS 180-4 example digests', () => {
    assert.equal(sha256Hex('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    assert.equal(sha256Hex(''), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    assert.equal(
      sha256Hex('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'),
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
  });

  it("gives node:crypto's digest at every length around the block and padding boundaries", () => {
    for (let length = 0; length <= 300; length++) {
      const text = 'x'.repeat(length);
      assert.equal(sha256Hex(text), reference(text), `length ${length}`);
    }
  });

  it("gives node:crypto's digest of texts beyond ASCII, lone surrogates and a large text", () => {
    for (const text of ['Zoë 名前 🔑', '\ud800', 'a\udc00b', '€'.repeat(1000), 'y'.repeat(1_000_003)]) {
      assert.equal(sha256Hex(text), reference(text));
    }
  });

  it("gives node:crypto's digest of random texts", () => {
    for (let round = 0; round < 200; round++) {
      const length = Math.floor(Math.random() * 2000);
      const text = String.fromCharCode(...Array.from({ length }, () => Math.floor(Math.random() * 0x10000)));
      assert.equal(sha256Hex(text), reference(text), JSON.stringify(text));
    }
  });
});
