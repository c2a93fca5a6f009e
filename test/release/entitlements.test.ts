/**
 * The entitlements.plist of `npm run release`: what a Developer ID signature of the macOS
 * executables under the hardened runtime must grant for Bun's runtime and the keyring addon
 * (README's signing recipe passes it to codesign), as a property list codesign can read.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parseBooleanPlist } from '../support/plist.ts';
import { RELEASE_DIR } from '../support/release-files.ts';

/** The entitlements granted, and nothing more: each is a hole in the hardened runtime. */
const GRANTED = {
  'com.apple.security.cs.allow-jit': true,
  'com.apple.security.cs.allow-unsigned-executable-memory': true,
  'com.apple.security.cs.disable-library-validation': true,
};

describe('the entitlements of the macOS executables', () => {
  const shipped = readFileSync(join(RELEASE_DIR, 'entitlements.plist'), 'utf8');

  test('are the ones of scripts/release/', () => {
    assert.equal(shipped, readFileSync(new URL('../../scripts/release/entitlements.plist', import.meta.url), 'utf8'));
  });

  test("are a well-formed property list granting JIT, unsigned executable memory and others' libraries, nothing else", () => {
    assert.deepEqual(parseBooleanPlist(shipped), GRANTED);
  });

  test('would fail the check cut short, or with a value that is not a boolean', () => {
    assert.throws(() => parseBooleanPlist(shipped.slice(0, shipped.indexOf('</dict>'))), /ends before/);
    assert.throws(() => parseBooleanPlist(shipped.replace('<true/>', '<string>yes</string>')), /not a boolean/);
    assert.throws(() => parseBooleanPlist(shipped.replace('</key>', '')), /expected <\/key>/);
  });
});
