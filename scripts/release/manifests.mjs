/**
 * The install manifests of a release, each pointing at the release's zips by
 * URL and sha256: krew's plugin manifest, a Homebrew formula for a tap,
 * winget's manifest set and a Scoop manifest.
 */
import { stringify } from 'yaml';

/**
 * @typedef {import('./platforms.mjs').Platform} Platform
 * @typedef {{ platform: Platform, name: string, url: string, sha256: string }} Archive
 * @typedef {{ version: string, homepage: string, license: string, archives: readonly Archive[] }} Release
 */

/** The winget manifest schema the set is written for (its schemas are vendored in test/release/schemas). */
const WINGET_MANIFEST_VERSION = '1.9.0';
/** winget's locale of the package's texts. */
const WINGET_LOCALE = 'en-US';
/** Words for winget's and Scoop's search. */
const TAGS = ['kubectl', 'kubectl-plugins', 'kubernetes', 'oidc', 'openid-connect'];

/** One line for `kubectl krew search` and brew's desc. */
const SHORT_DESCRIPTION = 'Log in to the OpenID Connect provider';
/** krew's longer description. */
const DESCRIPTION = [
  'This is a kubectl plugin for Kubernetes OpenID Connect (OIDC) authentication,',
  'also known as kubectl oidc-login. It gets a token from the OIDC provider and',
  'writes it to kubectl, caching it until it expires.',
].join('\n');

/**
 * krew puts only a platform's `bin` on PATH (as kubectl-oidc_login); kubectl's completion executable is
 * installed beside it and linked by hand, which the caveats say after `kubectl krew install`.
 * @param {string} version
 */
function krewCaveats(version) {
  const store = `store/oidc-login/v${version}`;
  return [
    'kubectl 1.26+ completes `kubectl oidc-login <TAB>` through kubectl_complete-oidc_login,',
    'which krew installs beside the plugin but does not put on PATH. Link it there:',
    `  ln -s "\${KREW_ROOT:-$HOME/.krew}/${store}/kubectl_complete-oidc_login" "\${KREW_ROOT:-$HOME/.krew}/bin/"`,
    `On Windows, copy %USERPROFILE%\\.krew\\${store.replaceAll('/', '\\')}\\kubectl_complete-oidc_login.cmd`,
    'into %USERPROFILE%\\.krew\\bin.',
    '',
  ].join('\n');
}

/**
 * krew's plugin manifest (apiVersion krew.googlecontainertools.github.com/v1alpha2).
 * @param {Omit<Release, 'license'>} release
 */
export function krewManifest({ version, homepage, archives }) {
  const manifest = {
    apiVersion: 'krew.googlecontainertools.github.com/v1alpha2',
    kind: 'Plugin',
    metadata: { name: 'oidc-login' },
    spec: {
      version: `v${version}`,
      homepage,
      shortDescription: SHORT_DESCRIPTION,
      description: DESCRIPTION,
      caveats: krewCaveats(version),
      platforms: archives.map(({ platform, url, sha256 }) => ({
        selector: { matchLabels: { os: platform.os, arch: platform.arch } },
        uri: url,
        sha256,
        files: [platform.executable, platform.completer, 'LICENSE'].map((from) => ({ from, to: '.' })),
        bin: platform.executable,
      })),
    },
  };
  // Literal blocks and no folding: the description reads in the file as krew prints it.
  return stringify(manifest, { blockQuote: 'literal', lineWidth: 0 });
}

/**
 * A Homebrew formula for macOS and Linux, Intel and ARM, meant for a tap
 * (`brew install <owner>/tap/kubelogin`: Homebrew's core has an unrelated
 * `kubelogin`). It installs `kubelogin`, links `kubectl-oidc_login` to it for
 * kubectl's plugin lookup, installs kubectl's completion executable of the
 * plugin and the shell completions of `kubelogin completion`, and its test
 * runs get-token without an issuer, which must fail naming the flag.
 * @param {Release} release
 */
export function homebrewFormula({ version, homepage, license, archives }) {
  /** @param {string} os @param {string} arch */
  const source = (os, arch) => {
    const archive = archives.find((a) => a.platform.os === os && a.platform.arch === arch);
    if (!archive) throw new Error(`no ${os}_${arch} archive for the Homebrew formula`);
    return [`      url "${archive.url}"`, `      sha256 "${archive.sha256}"`];
  };
  /** @param {string} os */
  const platformBlock = (os) => [
    `  on_${os === 'darwin' ? 'macos' : 'linux'} do`,
    '    on_arm do',
    ...source(os, 'arm64'),
    '    end',
    '    on_intel do',
    ...source(os, 'amd64'),
    '    end',
    '  end',
  ];
  return [
    'class Kubelogin < Formula',
    `  desc "${SHORT_DESCRIPTION} (kubectl oidc-login)"`,
    `  homepage "${homepage}"`,
    `  version "${version}"`,
    `  license "${license}"`,
    '',
    ...platformBlock('darwin'),
    '',
    ...platformBlock('linux'),
    '',
    '  def install',
    '    bin.install "kubelogin"',
    '    bin.install_symlink "kubelogin" => "kubectl-oidc_login"',
    '    bin.install "kubectl_complete-oidc_login"',
    '    generate_completions_from_executable(bin/"kubelogin", "completion", shells: [:bash, :zsh, :fish])',
    '  end',
    '',
    '  test do',
    '    output = shell_output("#{bin}/kubelogin get-token --oidc-client-id=kubernetes 2>&1", 1)',
    '    assert_match "--oidc-issuer-url", output',
    '    assert_match "get-token", shell_output("#{bin}/kubelogin __complete get-")',
    '  end',
    'end',
    '',
  ].join('\n');
}

/**
 * The GitHub owner of the project URL, winget's publisher: `https://github.com/<owner>/<repo>`.
 * @param {string} homepage
 */
function ownerOf(homepage) {
  const owner = new URL(homepage).pathname.split('/')[1];
  if (!owner) throw new Error(`the project URL ${homepage} names no owner`);
  return owner;
}

/** The Windows archive, the one winget and Scoop install. @param {readonly Archive[]} archives */
function windowsArchive(archives) {
  const archive = archives.find((a) => a.platform.os === 'windows' && a.platform.arch === 'amd64');
  if (!archive) throw new Error('no windows_amd64 archive for the winget and Scoop manifests');
  return archive;
}

/**
 * winget's multi-file manifest (schema {@link WINGET_MANIFEST_VERSION}): the version, installer and
 * default locale files, by file name, for `manifests/<letter>/<owner>/kubelogin/<version>/` of
 * winget-pkgs. The zip's kubelogin.exe is installed as a portable command `kubelogin`; winget gives a
 * file one command name (two entries for one file fail `winget validate`), so `kubectl oidc-login`
 * needs the kubeconfig to run `kubelogin`, as the docs advise anyway.
 * @param {Release} release
 * @returns {Record<string, string>}
 */
export function wingetManifests({ version, homepage, license, archives }) {
  const publisher = ownerOf(homepage);
  const identifier = `${publisher}.kubelogin`;
  const archive = windowsArchive(archives);
  const header = (/** @type {string} */ type) =>
    `# yaml-language-server: $schema=https://aka.ms/winget-manifest.${type}.${WINGET_MANIFEST_VERSION}.schema.json\n`;
  const yaml = (/** @type {string} */ type, /** @type {object} */ fields) =>
    header(type) +
    stringify(
      {
        PackageIdentifier: identifier,
        PackageVersion: version,
        ...fields,
        ManifestType: type,
        ManifestVersion: WINGET_MANIFEST_VERSION,
      },
      { lineWidth: 0 },
    );
  return {
    [`${identifier}.yaml`]: yaml('version', { DefaultLocale: WINGET_LOCALE }),
    [`${identifier}.installer.yaml`]: yaml('installer', {
      InstallerType: 'zip',
      NestedInstallerType: 'portable',
      NestedInstallerFiles: [{ RelativeFilePath: archive.platform.executable, PortableCommandAlias: 'kubelogin' }],
      Commands: ['kubelogin'],
      Installers: [{ Architecture: 'x64', InstallerUrl: archive.url, InstallerSha256: archive.sha256.toUpperCase() }],
    }),
    [`${identifier}.locale.${WINGET_LOCALE}.yaml`]: yaml('defaultLocale', {
      PackageLocale: WINGET_LOCALE,
      Publisher: publisher,
      PublisherUrl: `https://github.com/${publisher}`,
      PublisherSupportUrl: `${homepage}/issues`,
      PackageName: 'kubelogin',
      PackageUrl: homepage,
      License: license,
      LicenseUrl: `${homepage}/blob/HEAD/LICENSE`,
      ShortDescription: `${SHORT_DESCRIPTION} (kubectl oidc-login)`,
      Description: DESCRIPTION.replaceAll('\n', ' '),
      Tags: TAGS,
      ReleaseNotesUrl: `${homepage}/releases/tag/v${version}`,
    }),
  };
}

/**
 * Scoop's app manifest `kubelogin.json`: the Windows zip, shims for `kubelogin`, `kubectl-oidc_login`
 * and kubectl's completion executable, and what `checkver`/`autoupdate` need to follow new releases
 * (the version from GitHub's latest release; the hash from its checksums.txt).
 * @param {Release} release
 */
export function scoopManifest({ version, homepage, license, archives }) {
  const archive = windowsArchive(archives);
  const { executable, completer } = archive.platform;
  const manifest = {
    version,
    description: `${SHORT_DESCRIPTION} (kubectl oidc-login)`,
    homepage,
    license,
    architecture: { '64bit': { url: archive.url, hash: archive.sha256 } },
    bin: [executable, [executable, 'kubectl-oidc_login'], completer],
    checkver: { github: homepage },
    autoupdate: {
      architecture: { '64bit': { url: archive.url.replaceAll(version, '$version') } },
      hash: { url: '$baseurl/checksums.txt' },
    },
  };
  return `${JSON.stringify(manifest, null, 4)}\n`;
}

/**
 * `checksums.txt` in `sha256sum` format: `<hex>  <name>` per file.
 * @param {readonly { name: string, sha256: string }[]} files
 */
export function checksums(files) {
  return files.map(({ name, sha256 }) => `${sha256}  ${name}\n`).join('');
}
