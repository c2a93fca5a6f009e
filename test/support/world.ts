/**
 * The one fixture of the scenarios: what a CLI run meets, started and cleaned up in one place.
 * A world holds a temporary HOME with its own token cache and, as asked, the test provider, a
 * stand-in of GitHub's token service (the provider then trusts its tokens for token exchange),
 * and a stand-in API server trusting the provider with a kubeconfig naming it. The CLI runs
 * in-process through main(deps) by default, or as a subprocess of the build under test.
 *
 * Tests take a world per file (`worldForAll`) or per test (`worldPerTest`): both register the
 * hooks that close it, so no test writes its own before/after block.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, afterEach, before } from 'node:test';
import { HTTP_LOGIN_COMMAND } from './browser/drivers.ts';
import { type CiTokenService, type CiTokenServiceOptions, startCiTokenService } from './ci/ci-token-service.ts';
import { type ApiServer, type ApiServerOptions, startApiServer } from './cluster/api-server.ts';
import { writeKubeconfig } from './cluster/kubeconfig.ts';
import { getTokenArgs } from './get-token-args.ts';
import { type InProcessRunOptions, startMain } from './in-process/run-main.ts';
import {
  startTestProvider,
  TEST_CLIENTS,
  type TestProvider,
  type TestProviderOptions,
} from './provider/test-provider.ts';
import { type CliResult, type RunningCli, type RunOptions, startCli } from './run-cli.ts';
import { makeTempHome, type TempHome } from './temp-home.ts';

/** The scopes of a world's logins: an email to log in as, and a refresh token. */
const WORLD_SCOPES = ['email', 'offline_access'];
/** Name of the kubeconfig's one context, cluster and user. */
export const WORLD_CONTEXT = 'e2e';

/** How a world runs the CLI. */
export type Runner = 'in-process' | 'subprocess';

/** Options of {@link startWorld}. */
export interface WorldOptions {
  /** The test provider's options; false: no provider (default: one with its defaults). */
  provider?: TestProviderOptions | false;
  /** Start the stand-in of GitHub's token service (with these options); the provider's token exchange (if any) trusts its tokens. */
  ci?: boolean | CiTokenServiceOptions;
  /**
   * Start a stand-in API server and write a kubeconfig for it. It trusts the provider (or, in a world without one,
   * the CI token service) with the native client as audience, unless the options say otherwise.
   */
  apiServer?: Partial<ApiServerOptions>;
  /** Files written in the temporary HOME (mode 0600) before any run, by path relative to it: e.g. a CA or a private key the CLI is given. */
  homeFiles?: Readonly<Record<string, string>>;
  /** Default: in-process. */
  runner?: Runner;
}

/**
 * Options of one run in a world: the CLI's environment is the world's, with `env` on top. `cli`
 * (a subprocess run only) runs another build than the one under test, e.g. the npm build.
 */
export type WorldRunOptions = InProcessRunOptions & Pick<RunOptions, 'cli'>;

/** A started world. */
export interface World {
  /** The test provider; throws when the world has none. */
  readonly provider: TestProvider;
  /** The token service stand-in; throws when the world has none. */
  readonly ci: CiTokenService;
  /** The API server stand-in; throws when the world has none. */
  readonly apiServer: ApiServer;
  /** The kubeconfig naming the API server, whose user runs `args`; throws when the world has no API server. */
  readonly kubeconfig: string;
  home: TempHome;
  /** Where the login drivers record each run (LOGIN_LOG of `env`). */
  loginLog: string;
  /** The cache directory passed with --token-cache-dir. */
  cacheDir: string;
  /** get-token and the flags that select the provider, the cache and the HTTP login driver (empty without a provider). */
  args: string[];
  /** The environment of the CLI: the temporary HOME, the driver's log and, with `ci`, the job's variables. */
  env: NodeJS.ProcessEnv;
  /** Starts the CLI with `args`, as the world's runner does. */
  start(args: readonly string[], options?: WorldRunOptions): Omit<RunningCli, 'child'>;
  /** Runs the CLI with `args` to its end. */
  run(args: readonly string[], options?: WorldRunOptions): Promise<CliResult>;
  /** Runs get-token with `args` plus `extra`. */
  getToken(extra?: readonly string[], options?: WorldRunOptions): Promise<CliResult>;
  /** How many times the CLI started the login driver. */
  browserRuns(): Promise<number>;
  /** Starts another stand-in API server (defaults as for {@link WorldOptions.apiServer}), closed with the world. */
  startApiServer(options?: Partial<ApiServerOptions>): Promise<ApiServer>;
  /** Stops the provider (once; later calls do nothing), e.g. to prove a run needs no network. */
  stopProvider(): Promise<void>;
  /** Stops everything and removes the HOME. */
  close(): Promise<void>;
}

/** The options of an in-process run that a subprocess cannot honour. */
const IN_PROCESS_ONLY: ReadonlyArray<keyof InProcessRunOptions> = [
  'stdinIsTTY',
  'stderrIsTTY',
  'stdoutIsTTY',
  'now',
  'platform',
  'arch',
  'uid',
  'userCacheDir',
  'openBrowser',
  'insideContainer',
  'stdinStream',
  'stderrColumns',
];

/** Starts a run by `runner`. */
function startRun(runner: Runner, args: readonly string[], options: WorldRunOptions): Omit<RunningCli, 'child'> {
  const { cli, ...inProcess } = options;
  if (runner === 'in-process') {
    if (cli !== undefined) throw new Error('an in-process run cannot take cli: it runs main() of src/');
    return startMain(args, inProcess);
  }
  const unsupported = IN_PROCESS_ONLY.filter((name) => options[name] !== undefined);
  if (unsupported.length > 0) throw new Error(`a subprocess run cannot take ${unsupported.join(', ')}`);
  return startCli(args, { env: options.env, input: options.input, timeoutMs: options.timeoutMs, cli });
}

/** Returns `value`, or throws naming what the world was started without. */
function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`this world was started without ${what}`);
  return value;
}

/** Starts a world; see {@link WorldOptions}. */
export async function startWorld(options: WorldOptions = {}): Promise<World> {
  const runner = options.runner ?? 'in-process';
  const closers: Array<() => Promise<void>> = [];
  try {
    const home = await makeTempHome();
    closers.push(() => home.cleanup());
    for (const [path, content] of Object.entries(options.homeFiles ?? {}))
      await writeFile(join(home.home, path), content, { mode: 0o600 });
    const ci = options.ci ? await startCiTokenService(options.ci === true ? {} : options.ci) : undefined;
    if (ci) closers.push(() => ci.close());
    let provider: TestProvider | undefined;
    if (options.provider !== false) {
      const providerOptions = options.provider ?? {};
      const tokenExchange = providerOptions.tokenExchange && {
        ...providerOptions.tokenExchange,
        trustedIssuers: [...providerOptions.tokenExchange.trustedIssuers, ...(ci ? [ci.issuer] : [])],
      };
      provider = await startTestProvider({ ...providerOptions, ...(tokenExchange ? { tokenExchange } : {}) });
    }
    let providerStopped: Promise<void> | undefined;
    const stopProvider = () => (providerStopped ??= provider?.close() ?? Promise.resolve());
    closers.push(stopProvider);

    const cacheDir = join(home.home, 'token-cache');
    const loginLog = join(home.home, 'browser-runs.log');
    const env: NodeJS.ProcessEnv = { ...home.env, LOGIN_LOG: loginLog, ...ci?.env };
    const args = provider
      ? getTokenArgs({
          issuer: provider.issuer,
          extraScopes: WORLD_SCOPES,
          browserCommand: HTTP_LOGIN_COMMAND,
          tokenCacheDir: cacheDir,
        })
      : [];

    const addApiServer = async (serverOptions: Partial<ApiServerOptions> = {}) => {
      const issuer =
        serverOptions.issuer ?? provider?.issuer ?? required(ci, 'a provider or a CI token service to trust').issuer;
      const server = await startApiServer({ issuer, audience: TEST_CLIENTS.native, ...serverOptions });
      closers.push(() => server.close());
      return server;
    };
    let apiServer: ApiServer | undefined;
    let kubeconfig: string | undefined;
    if (options.apiServer) {
      const server = await addApiServer(options.apiServer);
      apiServer = server;
      kubeconfig = join(home.home, 'kubeconfig');
      await writeKubeconfig(kubeconfig, {
        server: server.url,
        certificateAuthorityData: server.certificateAuthorityData,
        execApiVersion: 'client.authentication.k8s.io/v1',
        command: 'kubelogin',
        args,
      });
    }

    const start = (runArgs: readonly string[], runOptions: WorldRunOptions = {}) =>
      startRun(runner, runArgs, { ...runOptions, env: { ...env, ...runOptions.env } });
    return {
      get provider() {
        return required(provider, 'a provider');
      },
      get ci() {
        return required(ci, 'the CI token service');
      },
      get apiServer() {
        return required(apiServer, 'an API server');
      },
      get kubeconfig() {
        return required(kubeconfig, 'an API server and its kubeconfig');
      },
      home,
      loginLog,
      cacheDir,
      args,
      env,
      start,
      run: (runArgs, runOptions) => start(runArgs, runOptions).result,
      getToken: (extra = [], runOptions = {}) => start([...args, ...extra], runOptions).result,
      browserRuns: async () => {
        const log = await readFile(loginLog, 'utf8').catch(() => '');
        return log.split('\n').filter((line) => line !== '').length;
      },
      startApiServer: addApiServer,
      stopProvider,
      close: () => closeAll(closers),
    };
  } catch (error) {
    await closeAll(closers);
    throw error;
  }
}

/** Runs the closers, last started first, each even when another fails. */
async function closeAll(closers: ReadonlyArray<() => Promise<void>>): Promise<void> {
  const failures: unknown[] = [];
  for (const close of [...closers].reverse()) await close().catch((error: unknown) => failures.push(error));
  if (failures.length > 0) throw new AggregateError(failures, 'closing the test world failed');
}

/**
 * A world shared by the tests of the enclosing `describe` (or file): started before the first,
 * closed after the last. Returns the accessor the tests call. `options` may be a function, called
 * when the world starts: a world may then take a part of another started before it in the same
 * `describe` (Node 20 starts the `before` hooks of a file's top level all at once, not in order).
 */
export function worldForAll(options: WorldOptions | (() => WorldOptions) = {}): () => World {
  let world: World | undefined;
  before(async () => {
    world = await startWorld(typeof options === 'function' ? options() : options);
  });
  after(() => world?.close());
  return () => required(world, 'a start: the world is used outside its tests');
}

/**
 * Worlds of one test each: the returned function starts one, and every world a test started is
 * closed after it.
 */
export function worldPerTest(defaults: WorldOptions = {}): (options?: WorldOptions) => Promise<World> {
  const open: World[] = [];
  afterEach(async () => {
    const worlds = open.splice(0);
    await closeAll(worlds.map((world) => () => world.close()));
  });
  return async (options = {}) => {
    const world = await startWorld({ ...defaults, ...options });
    open.push(world);
    return world;
  };
}
