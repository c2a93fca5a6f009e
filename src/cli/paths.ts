/**
 * Paths given on the command line: `~` expansion and the default cache directory.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Expands a leading `~` or `~/` to the home directory. */
export function expandHome(path: string): string {
  if (path === '~') return homedir();
  if (path.startsWith('~/')) return join(homedir(), path.slice(2));
  return path;
}

/** `$KUBECACHEDIR/oidc-login`, else `~/.kube/cache/oidc-login`, as the Go kubelogin. */
export function defaultTokenCacheDir(env: NodeJS.ProcessEnv): string {
  const kubeCacheDir = env['KUBECACHEDIR'];
  return kubeCacheDir ? join(expandHome(kubeCacheDir), 'oidc-login') : join(homedir(), '.kube', 'cache', 'oidc-login');
}
