/**
 * The files of `npm run release` (run it first; KUBELOGIN_RELEASE_DIR names
 * another output directory): one zip per platform with the executable,
 * kubectl's completion executable of the plugin and the LICENSE, the install
 * manifests, checksums.txt, and darwin executables whose code signature is valid.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { codeSignatureProblems } from '../support/macho-signature.ts';
import { RELEASE_DIR, readZip, wingetIdentifier } from '../support/release-files.ts';

/** Every archive, and the executable in it. */
const ARCHIVES: Record<string, string> = {
  'kubelogin_linux_amd64.zip': 'kubelogin',
  'kubelogin_linux_arm64.zip': 'kubelogin',
  'kubelogin_darwin_amd64.zip': 'kubelogin',
  'kubelogin_darwin_arm64.zip': 'kubelogin',
  'kubelogin_windows_amd64.zip': 'kubelogin.exe',
};
/** kubectl's completion executable of the plugin, by the zip's operating system: the scripts of scripts/release/. */
const COMPLETERS: Record<string, string> = {
  linux: 'kubectl_complete-oidc_login',
  darwin: 'kubectl_complete-oidc_login',
  windows: 'kubectl_complete-oidc_login.cmd',
};
/** The install manifests beside the zips: krew's, Homebrew's, Scoop's and winget's set. */
const MANIFESTS = ['oidc-login.yaml', 'kubelogin.rb', 'kubelogin.json'];
const WINGET_MANIFESTS = ['', '.installer', '.locale.en-US'].map((part) => `${wingetIdentifier()}${part}.yaml`);
/** The executable's mode in the zip: a regular file, rwxr-xr-x. */
const EXECUTABLE_MODE = 0o100755;
/** The first bytes of each platform's executable format. */
const MAGIC: Record<string, Buffer> = {
  linux: Buffer.from([0x7f, 0x45, 0x4c, 0x46]), // ELF
  darwin: Buffer.from([0xcf, 0xfa, 0xed, 0xfe]), // Mach-O 64, little-endian
  windows: Buffer.from('MZ'), // PE
};

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('the release archives', () => {
  test('release/ holds the five zips, checksums.txt, the manifests of krew, Homebrew, Scoop and winget, and the entitlements, nothing else', () => {
    assert.deepEqual(
      readdirSync(RELEASE_DIR).sort(),
      [...Object.keys(ARCHIVES), 'checksums.txt', 'entitlements.plist', ...MANIFESTS, ...WINGET_MANIFESTS].sort(),
    );
  });

  for (const [archive, executable] of Object.entries(ARCHIVES)) {
    const os = archive.split('_')[1]!;
    const completer = COMPLETERS[os]!;
    test(`${archive} holds ${executable} (mode 0755, for its platform), ${completer} and the LICENSE`, () => {
      const entries = readZip(join(RELEASE_DIR, archive));
      assert.deepEqual(entries.map((e) => e.name).sort(), ['LICENSE', completer, executable].sort());
      const program = entries.find((e) => e.name === executable)!;
      assert.equal(program.mode, EXECUTABLE_MODE, `mode ${program.mode.toString(8)}`);
      assert.deepEqual(Buffer.from(program.bytes.subarray(0, MAGIC[os]!.length)), MAGIC[os]);
      const script = entries.find((e) => e.name === completer)!;
      assert.equal(script.mode, EXECUTABLE_MODE, `mode of ${completer}`);
      const source = fileURLToPath(new URL(`../../scripts/release/${completer}`, import.meta.url));
      assert.deepEqual(Buffer.from(script.bytes), readFileSync(source));
      const license = entries.find((e) => e.name === 'LICENSE')!;
      assert.deepEqual(Buffer.from(license.bytes), readFileSync(new URL('../../LICENSE', import.meta.url)));
    });
  }

  test('checksums.txt is sha256sum output for every other file', () => {
    const lines = readFileSync(join(RELEASE_DIR, 'checksums.txt'), 'utf8').trimEnd().split('\n');
    const listed = lines.map((line) => {
      const match = /^([0-9a-f]{64}) {2}(\S+)$/.exec(line);
      assert.ok(match, `not sha256sum format: ${line}`);
      assert.equal(match[1], sha256(readFileSync(join(RELEASE_DIR, match[2]!))), match[2]);
      return match[2];
    });
    assert.deepEqual(
      listed.sort(),
      readdirSync(RELEASE_DIR)
        .filter((name) => name !== 'checksums.txt')
        .sort(),
    );
  });

  for (const archive of ['kubelogin_darwin_amd64.zip', 'kubelogin_darwin_arm64.zip']) {
    test(`the executable of ${archive} carries a code signature whose page hashes match it`, () => {
      const program = readZip(join(RELEASE_DIR, archive)).find((e) => e.name === 'kubelogin')!;
      assert.deepEqual(codeSignatureProblems(Buffer.from(program.bytes)), []);
    });
  }
});
