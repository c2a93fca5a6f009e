/**
 * What kubelogin writes into an exec user besides its arguments, the same for
 * every command that writes one.
 */
import type { Grant } from '../core/options.ts';
import type { ExecUser } from '../kubeconfig/kubeconfig-edit.ts';

/**
 * The `interactiveMode` of an exec user kubelogin writes (setup, convert-kubeconfig):
 * IfAvailable when get-token with its flags may want a person typing
 * on kubectl's terminal: a pasted code (the browser login offers the paste
 * beside the loopback server), or a password, which is never written into a
 * kubeconfig. kubectl hands the plugin its terminal only then.
 */
export function interactiveModeFor(grant: Grant): ExecUser['interactiveMode'] {
  switch (grant.type) {
    case 'auto': // the password grant with --username, else the browser login (or the device code flow)
    case 'authcode':
    case 'password':
    case 'authcode-keyboard':
      return 'IfAvailable';
    case 'device-code':
    case 'client-credentials':
    case 'token-file':
    case 'github-actions':
    case 'token-exchange':
      return 'Never';
  }
}
