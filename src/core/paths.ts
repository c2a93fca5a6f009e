/**
 * Paths given on the command line: `~` expansion and the default cache directory.
 *
 * The home directory comes from the environment, as Go's os.UserHomeDir reads
 * it, rather than from node:os, which costs ~3 ms to load on every cache hit.
 */
import { join } from 'node:path';
import { ConfigError } from './errors.ts';

/** `$HOME`, else `%USERPROFILE%` (Windows). */
export function homeDirectory(env: NodeJS.ProcessEnv): string {
  const home = env['HOME'] || env['USERPROFILE'];
  if (!home)
    throw new ConfigError('cannot find the home directory: HOME is not set', { hint: 'set HOME or --token-cache-dir' });
  return home;
}

/** Expands a leading `~` or `~/` to the home directory. */
export function expandHome(path: string, env: NodeJS.ProcessEnv): string {
  if (path === '~') return homeDirectory(env);
  if (path.startsWith('~/')) return join(homeDirectory(env), path.slice(2));
  return path;
}

/** `--token-cache-dir` with `~` expanded, else the default directory. */
export function tokenCacheDirFrom(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  return flag ? expandHome(flag, env) : defaultTokenCacheDir(env);
}

/** `$KUBECACHEDIR/oidc-login`, else `~/.kube/cache/oidc-login`, as the Go kubelogin. */
function defaultTokenCacheDir(env: NodeJS.ProcessEnv): string {
  const kubeCacheDir = env['KUBECACHEDIR'];
  return kubeCacheDir
    ? join(expandHome(kubeCacheDir, env), 'oidc-login')
    : join(homeDirectory(env), '.kube', 'cache', 'oidc-login');
}
