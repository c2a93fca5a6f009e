/**
 * Everything `kubectl get pods` through kubelogin needs, on loopback: a test world run by
 * subprocess (the test provider, a stand-in API server trusting it, a temporary HOME), and a
 * kubeconfig whose exec block runs the CLI under test (see cli-command.ts) with `get-token ...`.
 */
import { join } from 'node:path';
import { CLI } from '../cli-command.ts';
import { type GetTokenArgsOptions, getTokenArgs } from '../get-token-args.ts';
import { TEST_CLIENTS, type TestProvider, type TestProviderOptions } from '../provider/test-provider.ts';
import type { CliResult } from '../run-cli.ts';
import type { TempHome } from '../temp-home.ts';
import { startWorld, type World, type WorldOptions, worldPerTest } from '../world.ts';
import type { ApiServer } from './api-server.ts';
import { type ExecApiVersion, type InteractiveMode, writeKubeconfig } from './kubeconfig.ts';
import { runKubectl } from './kubectl.ts';

/** How the API server maps claims by default, as a typical cluster does: users by email, groups by `groups`. */
const USERNAME_CLAIM = 'email';
const GROUPS_CLAIM = 'groups';

/** The `get-token` flags of the exec block, as {@link getTokenArgs} takes them; the issuer is the test provider's. */
type ExecBlockFlags = Omit<GetTokenArgsOptions, 'issuer' | 'tokenCacheDir' | 'listenAddress'>;

/** Options of {@link startOidcCluster}. */
export interface OidcClusterOptions extends ExecBlockFlags {
  execApiVersion: ExecApiVersion;
  interactiveMode?: InteractiveMode;
  provider?: TestProviderOptions;
  /** LOGIN_USER of the login drivers (their default when unset). */
  loginUser?: string;
  /** The issuer the exec block names instead of the provider's, e.g. an unreachable one. */
  issuerUrl?: string;
  /** The audience the API server requires in `aud` (default: the native client ID `kubernetes`). */
  audience?: string;
  /** The claim the API server takes the username from (default `email`; others get the `<issuer>#` prefix). */
  usernameClaim?: string;
}

/** Options of one kubectl run against the cluster. */
export interface ClusterKubectlOptions {
  timeoutMs?: number;
  echo?: boolean;
  signal?: AbortSignal;
}

/** A running cluster; {@link OidcCluster.close} stops it and deletes its files. */
export interface OidcCluster {
  provider: TestProvider;
  apiServer: ApiServer;
  home: TempHome;
  kubeconfigPath: string;
  /** The `get-token` arguments of the exec block. */
  getTokenArgs: string[];
  /** Where the login drivers record each run (LOGIN_LOG, set through the exec block's env). */
  loginLogPath: string;
  /** Runs `kubectl --kubeconfig=<kubeconfig> ...args` with the temporary HOME. */
  kubectl(args: readonly string[], options?: ClusterKubectlOptions): Promise<CliResult>;
  /** How many times a login driver was started. */
  browserRuns(): Promise<number>;
  close(): Promise<void>;
}

/** The world of a cluster: the provider, and the API server with the options' audience and claim mappings. */
function clusterWorld(options: OidcClusterOptions): WorldOptions {
  return {
    runner: 'subprocess',
    provider: options.provider ?? {},
    apiServer: {
      audience: options.audience ?? TEST_CLIENTS.native,
      usernameClaim: options.usernameClaim ?? USERNAME_CLAIM,
      groupsClaim: GROUPS_CLAIM,
    },
  };
}

/** Writes the kubeconfig of `options` into the world's HOME and returns the cluster. */
async function clusterIn(world: World, options: OidcClusterOptions): Promise<OidcCluster> {
  const { home, provider, apiServer, loginLog } = world;
  const kubeconfigPath = join(home.home, 'kubeconfig.json');
  // The exec block's flags are the options' own; getTokenArgs reads only its fields of them.
  const execBlockFlags: ExecBlockFlags = options;
  const args = getTokenArgs({ issuer: options.issuerUrl ?? provider.issuer, ...execBlockFlags });
  await writeKubeconfig(kubeconfigPath, {
    server: apiServer.url,
    certificateAuthorityData: apiServer.certificateAuthorityData,
    execApiVersion: options.execApiVersion,
    interactiveMode: options.interactiveMode,
    command: CLI.command,
    args: [...CLI.args, ...args],
    env: { LOGIN_LOG: loginLog, ...(options.loginUser === undefined ? {} : { LOGIN_USER: options.loginUser }) },
  });
  return {
    provider,
    apiServer,
    home,
    kubeconfigPath,
    getTokenArgs: args,
    loginLogPath: loginLog,
    kubectl: (kubectlArgs, runOptions = {}) =>
      runKubectl([`--kubeconfig=${kubeconfigPath}`, ...kubectlArgs], { env: home.env, ...runOptions }),
    browserRuns: () => world.browserRuns(),
    close: () => world.close(),
  };
}

/** Starts the world and writes the kubeconfig; stops the world if writing fails. */
export async function startOidcCluster(options: OidcClusterOptions): Promise<OidcCluster> {
  const world = await startWorld(clusterWorld(options));
  try {
    return await clusterIn(world, options);
  } catch (error) {
    await world.close().catch(() => undefined);
    throw error;
  }
}

/** Clusters of one test each: the returned function starts one, and every cluster a test started is stopped after it. */
export function oidcClusterPerTest(): (options: OidcClusterOptions) => Promise<OidcCluster> {
  const startTestWorld = worldPerTest();
  return async (options) => clusterIn(await startTestWorld(clusterWorld(options)), options);
}
