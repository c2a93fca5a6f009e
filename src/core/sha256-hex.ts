/**
 * SHA-256 of a text's UTF-8 bytes, in lowercase hex: the cache key, a key
 * file's fingerprint, and the digest of a keyring entry split into chunks.
 * @noble/hashes rather than node:crypto, which takes ~7 ms to load, paid on
 * every kubectl command.
 *
 * The one place that hashes, so that the standalone executable can put its
 * runtime's native SHA-256 in its place (scripts/release/compile.mjs), with
 * the same digests: test/unit/core/sha256-hex.test.ts checks this against
 * node:crypto, and test/release/native-sha256.test.ts the native one.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

/** Lowercase hex SHA-256 of `text` encoded as UTF-8 (a lone surrogate as U+FFFD, as TextEncoder has it). */
export function sha256Hex(text: string): string {
  return bytesToHex(sha256(utf8ToBytes(text)));
}
