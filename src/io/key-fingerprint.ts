/**
 * The fingerprint of a key file for the token cache key: which key the client
 * authenticates with is part of what selects a token, its content never is.
 */
// Parsing the key needs node:crypto, which takes ~7 ms to load, so the hit
// hashes the file as read with the SHA-256 the cache key already uses.

import { readFileSync } from 'node:fs';
import { ConfigError } from '../core/errors.ts';
import { sha256Hex } from '../core/sha256-hex.ts';
import { describeFsError } from './files.ts';

/**
 * Lowercase hex SHA-256 of the file's bytes, with whitespace at the ends
 * dropped (an editor's final newline makes no other key). A new key in the
 * same file is a new cache entry; the digest of a private key reveals nothing
 * of it. An unreadable file is a ConfigError naming the flag and the file.
 */
export function keyFileFingerprint(flag: string, path: string): string {
  let content: Buffer;
  try {
    content = readFileSync(path);
  } catch (error) {
    throw new ConfigError(`--${flag} ${path}: cannot read it (${describeFsError(error)})`, { cause: error });
  }
  return sha256Hex(content.toString('utf8').trim());
}
