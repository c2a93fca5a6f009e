// `npm run release`: the standalone executables of every platform, zipped
// with kubectl's completion executable of the plugin, with checksums.txt, the
// install manifests (krew's oidc-login.yaml, Homebrew's kubelogin.rb, winget's
// manifest set, Scoop's kubelogin.json) and the entitlements.plist a Developer
// ID signature of the macOS executables needs, into release/ (or --out DIR).
// Everything comes from the npm registry: the
// compiler (the pinned bun devDependency), its cross-compilation runtimes and
// the native keyring addons.
//
//   node scripts/release/release.mjs [--out DIR] [--tag vX.Y.Z]
//
// The tag (--tag, or GITHUB_REF_NAME when GitHub Actions runs for a tag) must
// be `v` + package.json's version. RELEASE_BASE_URL overrides where the zips
// are downloaded from (default: the GitHub releases of the repository that
// runs the workflow, else of package.json's repository).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { releaseZip } from './archive.mjs';
import { signAdhoc } from './macho-sign.mjs';
import { checksums, homebrewFormula, krewManifest, scoopManifest, wingetManifests } from './manifests.mjs';
import { archiveName, PLATFORMS } from './platforms.mjs';

const root = resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
/** The entitlements of the macOS executables under the hardened runtime, shipped for signing them with a Developer ID. */
const ENTITLEMENTS = 'entitlements.plist';
/** The compiler, installed by npm as a devDependency. */
const BUN = join(root, 'node_modules/.bin/bun');

/** Stops the release with one line naming what is wrong. */
function fail(/** @type {string} */ message) {
  console.error(`error: ${message}`);
  process.exit(1);
}

const { values: args } = parseArgs({
  options: { out: { type: 'string', default: 'release' }, tag: { type: 'string' } },
});
const outDir = resolve(args.out);
const tag = args.tag ?? (process.env.GITHUB_REF_TYPE === 'tag' ? process.env.GITHUB_REF_NAME : undefined);
if (tag !== undefined && tag !== `v${pkg.version}`)
  fail(
    `the tag ${tag} does not match package.json's version ${pkg.version}: tag v${pkg.version}, or change the version`,
  );
if (existsSync(outDir))
  fail(
    `${relative(process.cwd(), outDir) || outDir}/ already exists: remove it (or pass --out DIR) so that no file of an older release is shipped`,
  );

const repository = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
const homepage = pkg.homepage ?? repository?.replace(/^git\+/, '').replace(/\.git$/, '');
if (!homepage?.startsWith('https://'))
  fail('package.json has no https "homepage" or "repository": the manifests need the project URL');
// In GitHub Actions the repository that runs the release is the one that hosts its downloads.
const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo } = process.env;
const projectUrl = server && repo ? `${server}/${repo}` : homepage;
const baseUrl = (process.env.RELEASE_BASE_URL ?? `${projectUrl}/releases/download/v${pkg.version}`).replace(/\/$/, '');
if (!baseUrl.startsWith('https://'))
  fail(`RELEASE_BASE_URL=${baseUrl} is not an https URL: krew downloads only over https`);

installKeyringAddons();
const license = readFileSync(join(root, 'LICENSE'));
const work = mkdtempSync(join(tmpdir(), 'kubelogin-release-'));
try {
  mkdirSync(outDir, { recursive: true });
  const archives = [];
  for (const platform of PLATFORMS) {
    const name = archiveName(platform);
    console.error(`compiling ${platform.os}_${platform.arch} (${platform.bunTarget})`);
    const outfile = join(work, `${platform.os}_${platform.arch}`, platform.executable);
    execFileSync(BUN, [join(import.meta.dirname, 'compile.mjs'), platform.bunTarget, outfile, pkg.version], {
      stdio: 'inherit',
      cwd: root,
    });
    let executable = readFileSync(outfile);
    if (platform.os === 'darwin') executable = signAdhoc(executable, 'kubelogin');
    const completer = readFileSync(join(import.meta.dirname, platform.completer));
    const zip = releaseZip({
      executableName: platform.executable,
      executable,
      completerName: platform.completer,
      completer,
      license,
    });
    writeFileSync(join(outDir, name), zip);
    archives.push({ platform, name, url: `${baseUrl}/${name}`, sha256: sha256(zip) });
  }
  const release = { version: pkg.version, homepage: projectUrl, license: pkg.license, archives };
  /** @type {Record<string, string>} */
  const manifestFiles = {
    'oidc-login.yaml': krewManifest(release),
    'kubelogin.rb': homebrewFormula(release),
    'kubelogin.json': scoopManifest(release),
    ...wingetManifests(release),
  };
  for (const [name, text] of Object.entries(manifestFiles)) writeFileSync(join(outDir, name), text);
  copyFileSync(join(import.meta.dirname, ENTITLEMENTS), join(outDir, ENTITLEMENTS));
  const manifests = [...Object.keys(manifestFiles), ENTITLEMENTS].map((name) => ({
    name,
    sha256: sha256(readFileSync(join(outDir, name))),
  }));
  writeFileSync(join(outDir, 'checksums.txt'), checksums([...archives, ...manifests]));
  console.error(`release ${pkg.version} in ${relative(process.cwd(), outDir) || outDir}/`);
} finally {
  rmSync(work, { recursive: true, force: true });
}

function sha256(/** @type {Uint8Array} */ bytes) {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Bun embeds the keyring addon of the target platform when its package is
 * installed; npm installs only this machine's. Installs the others at the
 * version of @napi-rs/keyring, all in one command (a second --no-save install
 * would remove the first), then checks every platform has its addon: an
 * executable without one would fail at --token-cache-storage=keyring.
 */
function installKeyringAddons() {
  const version = JSON.parse(readFileSync(join(root, 'node_modules/@napi-rs/keyring/package.json'), 'utf8')).version;
  const installed = (/** @type {string} */ addon) => {
    const file = join(root, 'node_modules', addon, 'package.json');
    return existsSync(file) && JSON.parse(readFileSync(file, 'utf8')).version === version;
  };
  const missing = PLATFORMS.map((p) => p.keyringAddon).filter((addon) => !installed(addon));
  if (missing.length) {
    const all = PLATFORMS.map((p) => `${p.keyringAddon}@${version}`);
    console.error(`installing the keyring addons of the other platforms: ${missing.join(', ')}`);
    // --force: npm refuses packages whose os/cpu is not this machine's.
    execFileSync('npm', ['install', '--no-save', '--force', '--no-audit', '--no-fund', '--ignore-scripts', ...all], {
      stdio: 'inherit',
      cwd: root,
    });
  }
  for (const platform of PLATFORMS) {
    if (!installed(platform.keyringAddon)) {
      fail(
        `the keyring addon ${platform.keyringAddon}@${version} of ${platform.os}_${platform.arch} is not installed: its executable would have no keyring (npm i --no-save --force it)`,
      );
    }
  }
}
