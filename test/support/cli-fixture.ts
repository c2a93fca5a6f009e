/**
 * One integration scenario: a test provider, a temporary HOME with its own
 * token cache, a browser-driver log, and the CLI's get-token arguments for
 * that provider.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HTTP_LOGIN_COMMAND } from './browser/drivers.ts';
import { getTokenArgs } from './get-token-args.ts';
import { startTestProvider, type TestProvider, type TestProviderOptions } from './provider/test-provider.ts';
import { type CliResult, type RunOptions, runCli } from './run-cli.ts';
import { makeTempHome, type TempHome } from './temp-home.ts';

/** The scopes of the fixture's logins: an email to log in as, and a refresh token. */
const FIXTURE_SCOPES = ['email', 'offline_access'];

/** A running scenario. */
export interface CliFixture {
  provider: TestProvider;
  home: TempHome;
  /** The cache directory passed with --token-cache-dir. */
  cacheDir: string;
  /** get-token and the flags that select the provider, the cache and the HTTP login driver. */
  args: string[];
  /** The environment of the CLI: the temp HOME and the driver's log. */
  env: NodeJS.ProcessEnv;
  /** Runs get-token with `args` plus `extra`. */
  getToken(extra?: readonly string[], options?: RunOptions): Promise<CliResult>;
  /** How many times the CLI started the browser driver. */
  browserRuns(): Promise<number>;
  /** Stops the provider (once; later calls do nothing), e.g. to prove a run needs no network. */
  stopProvider(): Promise<void>;
  close(): Promise<void>;
}

/** Starts a provider and a temporary HOME. */
export async function startCliFixture(providerOptions: TestProviderOptions = {}): Promise<CliFixture> {
  const provider = await startTestProvider(providerOptions);
  const home = await makeTempHome();
  const cacheDir = join(home.home, 'token-cache');
  const loginLog = join(home.home, 'browser-runs.log');
  const env = { ...home.env, LOGIN_LOG: loginLog };
  let providerStopped: Promise<void> | undefined;
  const stopProvider = () => (providerStopped ??= provider.close());
  const args = getTokenArgs({
    issuer: provider.issuer,
    extraScopes: FIXTURE_SCOPES,
    browserCommand: HTTP_LOGIN_COMMAND,
    tokenCacheDir: cacheDir,
  });
  return {
    provider,
    home,
    cacheDir,
    args,
    env,
    getToken: (extra = [], options = {}) =>
      runCli([...args, ...extra], { ...options, env: { ...env, ...options.env } }),
    browserRuns: async () => {
      const log = await readFile(loginLog, 'utf8').catch(() => '');
      return log.split('\n').filter((line) => line !== '').length;
    },
    stopProvider,
    close: async () => {
      await stopProvider();
      await home.cleanup();
    },
  };
}
