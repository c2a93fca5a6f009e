/**
 * SHA-256 of a text's UTF-8 bytes, in lowercase hex: the cache key and a key
 * file's fingerprint. The one place that hashes, so that the standalone
 * executable can swap in its runtime's native SHA-256 with the same result
 * (scripts/release/compile.mjs): run by the interpreter, this pure-JS hash
 * gets compiled by the JIT on every hit there.
 */
// node:crypto takes ~7 ms to load in Node, paid on every kubectl command; this pure-JS SHA-256 costs well under 1 ms.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

/** Lowercase hex SHA-256 of `text` encoded as UTF-8. */
export function sha256Hex(text: string): string {
  return bytesToHex(sha256(utf8ToBytes(text)));
}
