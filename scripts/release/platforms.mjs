/**
 * The platforms a release ships: one standalone executable and one zip each.
 * Names follow the Go kubelogin's releases (GOOS_GOARCH), which krew and
 * Homebrew users already know.
 */

/**
 * @typedef {object} Platform
 * @property {'linux' | 'darwin' | 'windows'} os krew's and Go's name of the operating system
 * @property {'amd64' | 'arm64'} arch krew's and Go's name of the processor
 * @property {string} bunTarget Bun's --target for it
 * @property {string} keyringAddon the `@napi-rs/keyring` native addon package Bun embeds for it
 * @property {string} executable the executable's name inside the zip
 * @property {string} completer the name of kubectl's completion executable of the plugin inside the zip: a
 *   script in scripts/release/ that asks the plugin (kubectl 1.26+ runs `kubectl_complete-oidc_login`)
 */

/** @type {readonly Platform[]} */
export const PLATFORMS = [
  {
    os: 'linux',
    arch: 'amd64',
    bunTarget: 'bun-linux-x64',
    keyringAddon: '@napi-rs/keyring-linux-x64-gnu',
    executable: 'kubelogin',
    completer: 'kubectl_complete-oidc_login',
  },
  {
    os: 'linux',
    arch: 'arm64',
    bunTarget: 'bun-linux-arm64',
    keyringAddon: '@napi-rs/keyring-linux-arm64-gnu',
    executable: 'kubelogin',
    completer: 'kubectl_complete-oidc_login',
  },
  {
    os: 'darwin',
    arch: 'amd64',
    bunTarget: 'bun-darwin-x64',
    keyringAddon: '@napi-rs/keyring-darwin-x64',
    executable: 'kubelogin',
    completer: 'kubectl_complete-oidc_login',
  },
  {
    os: 'darwin',
    arch: 'arm64',
    bunTarget: 'bun-darwin-arm64',
    keyringAddon: '@napi-rs/keyring-darwin-arm64',
    executable: 'kubelogin',
    completer: 'kubectl_complete-oidc_login',
  },
  {
    os: 'windows',
    arch: 'amd64',
    bunTarget: 'bun-windows-x64',
    keyringAddon: '@napi-rs/keyring-win32-x64-msvc',
    executable: 'kubelogin.exe',
    completer: 'kubectl_complete-oidc_login.cmd',
  },
];

/** The release archive of a platform, e.g. `kubelogin_linux_amd64.zip`. */
export function archiveName(/** @type {Platform} */ platform) {
  return `kubelogin_${platform.os}_${platform.arch}.zip`;
}

/** Node's names of the processors a release ships for, in krew's and Go's words. */
const ARCH_OF_NODE = { x64: 'amd64', arm64: 'arm64' };
/** Node's names of the operating systems a release ships for, in krew's and Go's words. */
const OS_OF_NODE = { linux: 'linux', darwin: 'darwin', win32: 'windows' };

/**
 * The platform whose executable runs on a machine of Node's `platform` and `arch`
 * (`process.platform`, `process.arch`); undefined where no release runs.
 * @returns {Platform | undefined}
 */
export function platformOf(/** @type {string} */ platform, /** @type {string} */ arch) {
  return PLATFORMS.find(
    (p) =>
      p.os === OS_OF_NODE[/** @type {keyof typeof OS_OF_NODE} */ (platform)] &&
      p.arch === ARCH_OF_NODE[/** @type {keyof typeof ARCH_OF_NODE} */ (arch)],
  );
}
