/**
 * The install manifests of a release: krew's plugin manifest and a Homebrew
 * formula, both pointing at the release's zips by URL and sha256.
 */
import { stringify } from 'yaml';

/**
 * @typedef {import('./platforms.mjs').Platform} Platform
 * @typedef {{ platform: Platform, name: string, url: string, sha256: string }} Archive
 */

/** One line for `kubectl krew search` and brew's desc. */
const SHORT_DESCRIPTION = 'Log in to the OpenID Connect provider';
/** krew's longer description. */
const DESCRIPTION = [
  'This is a kubectl plugin for Kubernetes OpenID Connect (OIDC) authentication,',
  'also known as kubectl oidc-login. It gets a token from the OIDC provider and',
  'writes it to kubectl, caching it until it expires.',
].join('\n');

/**
 * krew's plugin manifest (apiVersion krew.googlecontainertools.github.com/v1alpha2).
 * @param {{ version: string, homepage: string, archives: readonly Archive[] }} release
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
      platforms: archives.map(({ platform, url, sha256 }) => ({
        selector: { matchLabels: { os: platform.os, arch: platform.arch } },
        uri: url,
        sha256,
        bin: platform.executable,
      })),
    },
  };
  // Literal blocks and no folding: the description reads in the file as krew prints it.
  return stringify(manifest, { blockQuote: 'literal', lineWidth: 0 });
}

/**
 * A Homebrew formula for macOS and Linux, Intel and ARM. It installs
 * `kubelogin` and links `kubectl-oidc_login` to it for kubectl's plugin lookup.
 * @param {{ version: string, homepage: string, license: string, archives: readonly Archive[] }} release
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
    '  end',
    '',
    '  test do',
    '    system "#{bin}/kubelogin", "--version"',
    '  end',
    'end',
    '',
  ].join('\n');
}

/**
 * `checksums.txt` in `sha256sum` format: `<hex>  <name>` per file.
 * @param {readonly { name: string, sha256: string }[]} files
 */
export function checksums(files) {
  return files.map(({ name, sha256 }) => `${sha256}  ${name}\n`).join('');
}
