/**
 * The standalone executable hashes with its runtime's native SHA-256
 * (scripts/release/native-sha256-hex.mjs, compiled in the place of src/core/sha256-hex.ts): both
 * give the same digest of any text, so that the executable and the npm package find each other's
 * token cache entries whatever the flags hold.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

/** The repository's root. */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Texts of every kind a cache key or a key file can hold, lone surrogates and a large one included. */
const TEXTS = [
  '',
  'abc',
  '{"issuer":"https://example.com","scopes":["email"]}',
  'Zoë 名前 🔑',
  '\ud800',
  'a\udc00b',
  'x'.repeat(100_000),
];
/** Runs in the compiler's runtime: prints the digests of both modules for each text. */
const COMPARE = `
import { sha256Hex as js } from './src/core/sha256-hex.ts';
import { sha256Hex as native } from './scripts/release/native-sha256-hex.mjs';
const texts = JSON.parse(process.env.TEXTS);
process.stdout.write(JSON.stringify(texts.map((text) => [js(text), native(text)])));
`;

describe('the native SHA-256 of the standalone executable', () => {
  it('gives the digest of src/core/sha256-hex.ts for every text', () => {
    const output = execFileSync(
      fileURLToPath(new URL('../../node_modules/.bin/bun', import.meta.url)),
      ['-e', COMPARE],
      {
        cwd: ROOT,
        env: { ...process.env, TEXTS: JSON.stringify(TEXTS) },
        encoding: 'utf8',
      },
    );
    const digests: [js: string, native: string][] = JSON.parse(output);
    assert.equal(digests.length, TEXTS.length);
    for (const [i, [js, native]] of digests.entries()) {
      assert.match(js, /^[0-9a-f]{64}$/);
      assert.equal(native, js, `the digests of text ${i} differ`);
    }
  });
});
