/**
 * SHA-256 (FIPS 180-4) of a text's UTF-8 bytes, in lowercase hex: the cache
 * key and a key file's fingerprint. In plain JavaScript because node:crypto
 * takes ~7 ms to load, paid on every kubectl command; kept this small because
 * a hit runs it once on a few hundred bytes, in the interpreter, where a
 * general-purpose library's classes, views and lookup tables cost more than
 * the rounds themselves (one hash of 400 bytes in a fresh Node: 2.3 ms with
 * @noble/hashes, 0.5 ms with this).
 *
 * The one place that hashes, so that the standalone executable can put its
 * runtime's native SHA-256 in its place (scripts/release/compile.mjs), with
 * the same digests: test/unit/core/sha256-hex.test.ts checks this against
 * node:crypto, and test/release/native-sha256.test.ts the native one.
 */

/** Round constants: the first 32 bits of the fractional parts of the cube roots of the first 64 primes. */
const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);
/** The initial hash value: the first 32 bits of the fractional parts of the square roots of the first 8 primes. */
const INITIAL_HASH = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
/** Bytes in a block. */
const BLOCK_BYTES = 64;
/** Bytes the padding needs at least: the 0x80 marker and the 64-bit message length. */
const PADDING_BYTES = 9;

/**
 * Lowercase hex SHA-256 of `text` encoded as UTF-8. The rotations are written
 * out (`(x >>> n) | (x << (32 - n))`): a function call for each makes the
 * interpreter's work per round, and so V8's urge to compile, several times larger.
 */
export function sha256Hex(text: string): string {
  const message = Buffer.from(text, 'utf8');
  const length = message.length;
  const padded = new Uint8Array(Math.ceil((length + PADDING_BYTES) / BLOCK_BYTES) * BLOCK_BYTES);
  padded.set(message);
  padded[length] = 0x80;
  // The length in bits, big-endian in the last 8 bytes; 2^53 bits is more than any text holds.
  const bits = length * 8;
  const end = padded.length;
  for (let i = 1, value = bits; i <= 8; i++, value = Math.floor(value / 256)) padded[end - i] = value % 256;

  const hash = Int32Array.from(INITIAL_HASH);
  const w = new Int32Array(64);
  for (let block = 0; block < end; block += BLOCK_BYTES) {
    for (let i = 0; i < 16; i++) {
      const j = block + i * 4;
      w[i] =
        ((padded[j] as number) << 24) |
        ((padded[j + 1] as number) << 16) |
        ((padded[j + 2] as number) << 8) |
        (padded[j + 3] as number);
    }
    for (let i = 16; i < 64; i++) {
      const w15 = w[i - 15] as number;
      const w2 = w[i - 2] as number;
      const s0 = ((w15 >>> 7) | (w15 << 25)) ^ ((w15 >>> 18) | (w15 << 14)) ^ (w15 >>> 3);
      const s1 = ((w2 >>> 17) | (w2 << 15)) ^ ((w2 >>> 19) | (w2 << 13)) ^ (w2 >>> 10);
      w[i] = ((w[i - 16] as number) + s0 + (w[i - 7] as number) + s1) | 0;
    }
    let a = hash[0] as number;
    let b = hash[1] as number;
    let c = hash[2] as number;
    let d = hash[3] as number;
    let e = hash[4] as number;
    let f = hash[5] as number;
    let g = hash[6] as number;
    let h = hash[7] as number;
    for (let i = 0; i < 64; i++) {
      const s1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const t1 = (h + s1 + ((e & f) ^ (~e & g)) + (K[i] as number) + (w[i] as number)) | 0;
      const s0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const t2 = (s0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      h = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    hash[0] = (hash[0] as number) + a;
    hash[1] = (hash[1] as number) + b;
    hash[2] = (hash[2] as number) + c;
    hash[3] = (hash[3] as number) + d;
    hash[4] = (hash[4] as number) + e;
    hash[5] = (hash[5] as number) + f;
    hash[6] = (hash[6] as number) + g;
    hash[7] = (hash[7] as number) + h;
  }
  let hex = '';
  for (const word of hash) hex += (word >>> 0).toString(16).padStart(8, '0');
  return hex;
}
