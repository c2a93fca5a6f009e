/**
 * Entry point: arguments and the world in, an exit code out. The only place
 * that prints errors.
 */
import { COMPLETE_COMMAND, parseGetTokenFast } from './cli/fast-parse.ts';
import { type RunContext, startGetToken } from './cli/start.ts';
import { KubeloginError } from './core/errors.ts';
import { type Deps, processDeps } from './deps.ts';
import { Logger } from './io/logger.ts';
import { Redactor } from './io/redact.ts';

/**
 * The error classes, for the slow-path modules of the build: they import them
 * from this bundle (scripts/build.mjs), so there is one copy of each class and
 * `instanceof` holds across the two.
 */
export * from './core/errors.ts';

/** Exit code of every failure, as the Go kubelogin. */
const FAILURE_EXIT_CODE = 1;

/** Runs the CLI and returns its exit code. */
export async function main(deps: Deps): Promise<number> {
  // stderr is opened on the first line written: a cache hit writes none.
  const stderr = { write: (text: string) => deps.stderr.write(text) };
  const context: RunContext = { deps, logger: new Logger(stderr, 0, new Redactor()) };
  try {
    const fast = parseGetTokenFast(deps.argv);
    if (fast) {
      await startGetToken(fast.flags, fast.logLevel, context);
    } else if (deps.argv[0] === COMPLETE_COMMAND) {
      const { runComplete } = await import('./cli/complete.ts');
      runComplete(deps.argv.slice(1), deps);
    } else {
      const { runProgram } = await import('./cli/program.ts');
      await runProgram(context);
    }
    return 0;
  } catch (error) {
    reportError(error, context.logger);
    return FAILURE_EXIT_CODE;
  }
}

/** Prints one `error:` line and an optional hint; the stack and causes only from `-v1`. */
function reportError(error: unknown, logger: Logger): void {
  const message = error instanceof Error ? error.message : String(error);
  logger.info(`error: ${message.split('\n')[0]}`);
  if (error instanceof KubeloginError && error.hint) logger.info(`hint: ${error.hint}`);
  if (logger.level >= 1) {
    for (let cause: unknown = error; cause instanceof Error; cause = cause.cause) {
      logger.debug(cause.stack ?? String(cause));
    }
  }
}

/** Runs the CLI on the real process; sets the exit code instead of exiting, so piped stdout is never cut off. */
export async function run(): Promise<void> {
  process.exitCode = await main(processDeps());
}

/**
 * Runs shell completion on the real process, as `kubectl_complete-oidc_login <words...>`: kubectl (1.26+)
 * runs that executable with the words after `kubectl oidc-login` to complete them.
 */
export async function runKubectlCompletion(): Promise<void> {
  const deps = processDeps();
  deps.argv = [COMPLETE_COMMAND, ...deps.argv];
  process.exitCode = await main(deps);
}
