/**
 * src/core/sha256-hex.ts in the standalone executable (compile.mjs puts it in
 * that module's place): the runtime's native SHA-256, which costs a cache hit
 * nothing beyond the call, where the pure-JS hash would run in the
 * interpreter and wake the JIT compilers. Same digest, so the executable and
 * the npm package share the token cache.
 */

/** Lowercase hex SHA-256 of `text` encoded as UTF-8. */
export function sha256Hex(/** @type {string} */ text) {
  return Bun.SHA256.hash(text, 'hex');
}
