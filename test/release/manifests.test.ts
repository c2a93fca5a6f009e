/**
 * The install manifests of `npm run release`: krew's oidc-login.yaml checked
 * against the rules krew validates a plugin manifest with (and against the
 * zips it points at), and the Homebrew formula for a tap, whose test command
 * is run against the Linux executable. winget's and Scoop's manifests are
 * checked against their schemas in package-managers.test.ts.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { RELEASE_DIR, readZip } from '../support/release-files.ts';
import { describeRun, runProcess } from '../support/run-process.ts';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
/** krew's manifest API. */
const KREW_API_VERSION = 'krew.googlecontainertools.github.com/v1alpha2';
/** krew's plugin name rule: lowercase words joined by dashes. */
const KREW_NAME = /^[a-z0-9]+(-[a-z0-9]+)*$/;
/** krew requires a semantic version with a `v` prefix. */
const KREW_VERSION = /^v\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;
/** A run of the executable that fails at once or completes a word; room for a loaded machine. */
const RUN_TIMEOUT_MS = 30_000;
/** Every os/arch pair the release ships. */
const PLATFORMS = ['linux/amd64', 'linux/arm64', 'darwin/amd64', 'darwin/arm64', 'windows/amd64'];

interface KrewPlatform {
  selector?: { matchLabels?: Record<string, string> };
  uri?: string;
  sha256?: string;
  files?: { from: string; to: string }[];
  bin?: string;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe("krew's plugin manifest oidc-login.yaml", () => {
  const manifest = parse(readFileSync(join(RELEASE_DIR, 'oidc-login.yaml'), 'utf8'));

  test("is a Plugin named oidc-login at package.json's version, with the descriptions krew requires", () => {
    assert.equal(manifest.apiVersion, KREW_API_VERSION);
    assert.equal(manifest.kind, 'Plugin');
    assert.equal(manifest.metadata.name, 'oidc-login');
    assert.match(manifest.metadata.name, KREW_NAME);
    assert.match(manifest.spec.version, KREW_VERSION);
    assert.equal(manifest.spec.version, `v${pkg.version}`);
    assert.ok(manifest.spec.shortDescription?.trim(), 'shortDescription');
    assert.ok(manifest.spec.description?.trim(), 'description');
    assert.match(manifest.spec.homepage, /^https:\/\//);
  });

  test("has one platform per archive, each with a selector, an https uri, the zip's sha256 and a bin inside the zip", () => {
    const platforms = manifest.spec.platforms as KrewPlatform[];
    const pairs = platforms.map((p) => `${p.selector?.matchLabels?.['os']}/${p.selector?.matchLabels?.['arch']}`);
    assert.deepEqual(pairs.sort(), [...PLATFORMS].sort());
    for (const platform of platforms) {
      const [os, arch] = [platform.selector!.matchLabels!['os'], platform.selector!.matchLabels!['arch']];
      assert.match(platform.uri ?? '', /^https:\/\/\S+$/);
      assert.ok(platform.uri!.endsWith(`/v${pkg.version}/kubelogin_${os}_${arch}.zip`), platform.uri);
      assert.match(platform.sha256 ?? '', SHA256_HEX);
      const zip = join(RELEASE_DIR, basename(platform.uri!));
      assert.equal(platform.sha256, sha256(readFileSync(zip)), `sha256 of ${basename(zip)}`);
      assert.equal(platform.bin, os === 'windows' ? 'kubelogin.exe' : 'kubelogin'); // krew: a windows bin ends in .exe
      const entries = readZip(zip).map((entry) => entry.name);
      assert.ok(entries.includes(platform.bin!), `${platform.bin} in ${basename(zip)}`);
      // krew installs the files listed (every one in the zip): kubectl's completion executable among them.
      const completer = os === 'windows' ? 'kubectl_complete-oidc_login.cmd' : 'kubectl_complete-oidc_login';
      assert.deepEqual(platform.files?.map((file) => file.from).sort(), [...entries].sort());
      assert.ok(entries.includes(completer), `${completer} in ${basename(zip)}`);
      assert.ok(platform.files?.every((file) => file.to === '.'));
    }
  });

  test('says in its caveats how to put kubectl_complete-oidc_login on PATH, which krew does not', () => {
    assert.match(manifest.spec.caveats, /kubectl_complete-oidc_login/);
    assert.match(manifest.spec.caveats, new RegExp(`store/oidc-login/v${pkg.version.replaceAll('.', '\\.')}/`));
    assert.match(manifest.spec.caveats, /"\$\{KREW_ROOT:-\$HOME\/\.krew\}\/bin\/"/);
  });
});

describe('the Homebrew formula kubelogin.rb', () => {
  const formula = readFileSync(join(RELEASE_DIR, 'kubelogin.rb'), 'utf8');
  const manifest = parse(readFileSync(join(RELEASE_DIR, 'oidc-login.yaml'), 'utf8'));

  test("installs kubelogin, kubectl-oidc_login, kubectl's completion executable and the shell completions at package.json's version", () => {
    assert.match(formula, /^class Kubelogin < Formula$/m);
    assert.match(formula, new RegExp(`^  version "${pkg.version.replaceAll('.', '\\.')}"$`, 'm'));
    assert.match(formula, /^ {4}bin\.install "kubelogin"$/m);
    assert.match(formula, /^ {4}bin\.install_symlink "kubelogin" => "kubectl-oidc_login"$/m);
    assert.match(formula, /^ {4}bin\.install "kubectl_complete-oidc_login"$/m);
    assert.match(
      formula,
      /^ {4}generate_completions_from_executable\(bin\/"kubelogin", "completion", shells: \[:bash, :zsh, :fish\]\)$/m,
    );
  });

  test('has a test block whose commands, run on the Linux executable, exit as it expects and print what it matches', async () => {
    const block = /^ {2}test do\n([\s\S]*?)\n {2}end$/m.exec(formula)?.[1];
    assert.ok(block, 'a test do block');
    const dir = await mkdtemp(join(tmpdir(), 'kubelogin-formula-'));
    try {
      for (const entry of readZip(join(RELEASE_DIR, 'kubelogin_linux_amd64.zip'))) {
        await writeFile(join(dir, entry.name), entry.bytes, { mode: entry.mode & 0o777 });
      }
      // shell_output("<command>"[, status]) then assert_match "<text>", as Homebrew runs them, with bin = the zip's files.
      const checks = [...block.matchAll(/shell_output\("([^"]+)"(?:, (\d+))?\)/g)];
      assert.ok(checks.length >= 2, block);
      const matches = [...block.matchAll(/assert_match "([^"]+)"/g)].map((match) => match[1]!);
      const outputs: string[] = [];
      for (const [, command, status] of checks) {
        const result = await runProcess('/bin/sh', ['-c', command!.replaceAll('#{bin}', dir)], {
          env: { PATH: '/usr/bin:/bin', HOME: dir },
          timeoutMs: RUN_TIMEOUT_MS,
        });
        assert.equal(result.code, Number(status ?? 0), describeRun(command!, result));
        outputs.push(result.stdout);
      }
      assert.match(outputs[0]!, /^error: --oidc-issuer-url is required/);
      for (const [i, text] of matches.entries()) assert.ok(outputs[i]!.includes(text), `${text} in ${outputs[i]}`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('downloads, in its on_macos/on_linux and on_arm/on_intel blocks, the same zips as krew with the same sha256', () => {
    for (const [os, block] of [
      ['darwin', 'on_macos'],
      ['linux', 'on_linux'],
    ] as const) {
      const section = new RegExp(`  ${block} do\\n([\\s\\S]*?)\\n  end`).exec(formula)?.[1];
      assert.ok(section, block);
      for (const [arch, archBlock] of [
        ['arm64', 'on_arm'],
        ['amd64', 'on_intel'],
      ] as const) {
        const platform = (manifest.spec.platforms as KrewPlatform[]).find(
          (p) => p.selector?.matchLabels?.['os'] === os && p.selector.matchLabels['arch'] === arch,
        )!;
        const expected = `    ${archBlock} do\n      url "${platform.uri}"\n      sha256 "${platform.sha256}"\n    end`;
        assert.ok(section.includes(expected), `${block}/${archBlock}:\n${section}`);
      }
    }
  });
});
