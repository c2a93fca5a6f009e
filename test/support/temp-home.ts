/** A throwaway HOME for kubectl and the CLI, so that tests never touch the real caches. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A temporary HOME and the environment that uses it. */
export interface TempHome {
  /** The directory used as HOME. */
  home: string;
  /** The CLI's default token cache in that HOME (`~/.kube/cache/oidc-login`, as the Go kubelogin); not created. */
  cacheDir: string;
  /**
   * A copy of process.env with HOME set, and KUBECONFIG, KUBECACHEDIR, NODE_OPTIONS and XDG_CACHE_HOME removed so
   * that neither the caller's kubeconfig nor a test runner's loader leaks into child processes.
   */
  env: NodeJS.ProcessEnv;
  /** Deletes the directory and everything in it. */
  cleanup(): Promise<void>;
}

/** Variables that would point kubectl or Node children at the caller's setup. */
const REMOVED_VARIABLES = ['KUBECONFIG', 'KUBECACHEDIR', 'NODE_OPTIONS', 'XDG_CACHE_HOME'];

/** Creates an empty temporary HOME under os.tmpdir(). */
export async function makeTempHome(): Promise<TempHome> {
  const home = await mkdtemp(join(tmpdir(), 'kubelogin-home-'));
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home };
  for (const name of REMOVED_VARIABLES) delete env[name];
  return {
    home,
    cacheDir: join(home, '.kube', 'cache', 'oidc-login'),
    env,
    cleanup: () => rm(home, { recursive: true, force: true }),
  };
}
