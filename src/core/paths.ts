/**
 * Paths given on the command line: `~` expansion and the default cache
 * directory, by the rules of the platform the run is on (Deps.platform), so
 * that Windows' rules are tested everywhere.
 *
 * The home directory comes from the environment, as Go's os.UserHomeDir reads
 * it, rather than from node:os, which costs ~3 ms to load on every cache hit.
 */
import { posix, win32 } from 'node:path';
import { ConfigError } from './errors.ts';

/** What paths are worked out from: the environment and the operating system (Deps has both). */
export interface PathEnvironment {
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
}

/** The path rules of a platform: Windows' (drive letters, `\`, `;` between list entries) or POSIX's. */
export function platformPath(platform: NodeJS.Platform): typeof posix {
  return platform === 'win32' ? win32 : posix;
}

/**
 * The home directory as Go finds it, which the Go kubelogin's users rely on:
 * `$HOME`; on Windows `%USERPROFILE%`, then `%HOMEDRIVE%%HOMEPATH%` (as
 * client-go, kubectl's library, falls back), never `HOME`, which tools such
 * as Git Bash set to a POSIX-style path.
 */
export function homeDirectory({ env, platform }: PathEnvironment): string {
  if (platform === 'win32') {
    const drive = env['HOMEDRIVE'];
    const path = env['HOMEPATH'];
    const home = env['USERPROFILE'] || (drive && path ? `${drive}${path}` : undefined);
    if (!home) {
      throw new ConfigError('cannot find the home directory: USERPROFILE is not set, nor HOMEDRIVE and HOMEPATH', {
        hint: 'set USERPROFILE or --token-cache-dir',
      });
    }
    return home;
  }
  const home = env['HOME'];
  if (!home)
    throw new ConfigError('cannot find the home directory: HOME is not set', { hint: 'set HOME or --token-cache-dir' });
  return home;
}

/** Expands a leading `~`, `~/` (and on Windows `~\`) to the home directory. */
export function expandHome(path: string, world: PathEnvironment): string {
  if (path === '~') return homeDirectory(world);
  const separated = path.startsWith('~/') || (world.platform === 'win32' && path.startsWith('~\\'));
  return separated ? platformPath(world.platform).join(homeDirectory(world), path.slice(2)) : path;
}

/** `--token-cache-dir` with `~` expanded, else the default directory. */
export function tokenCacheDirFrom(flag: string | undefined, world: PathEnvironment): string {
  return flag ? expandHome(flag, world) : defaultTokenCacheDir(world);
}

/** `$KUBECACHEDIR/oidc-login`, else `~/.kube/cache/oidc-login`, as the Go kubelogin. */
function defaultTokenCacheDir(world: PathEnvironment): string {
  const { join } = platformPath(world.platform);
  const kubeCacheDir = world.env['KUBECACHEDIR'];
  return kubeCacheDir
    ? join(expandHome(kubeCacheDir, world), 'oidc-login')
    : join(homeDirectory(world), '.kube', 'cache', 'oidc-login');
}
