/**
 * Runs the whole CLI inside the test process through main(deps), as a scenario does: the same
 * arguments, environment and stdin as a subprocess run, and the same outcome (exit code, stdout,
 * stderr), in milliseconds instead of a process start. The browser of the run is the in-process
 * stand-in (browser-stand-in.ts); the run's result waits for the fake browsers it started and
 * lists their failures.
 */
import { main } from '../../../src/main.ts';
import type { CliResult, RunningCli, RunOptions } from '../run-cli.ts';
import { type TestDepsOptions, testDeps } from './test-deps.ts';

/** No run in a test may take longer than this; a hang fails the test instead of stalling the suite. */
const DEFAULT_RUN_TIMEOUT_MS = 60_000;

/** Options of an in-process run: a subprocess run's, and the rest of the world (terminals, clock, platform). */
export type InProcessRunOptions = Omit<RunOptions, 'cli'> & Omit<TestDepsOptions, 'argv' | 'env' | 'input'>;

/** A run in progress. */
export type RunningMain = Omit<RunningCli, 'child'>;

/** Resolves with the first match of `pattern` in `text()`, re-checked by `subscribe`'s calls; rejects when `ended` settles first. */
export function waitForText(
  text: () => string,
  subscribe: (listener: () => void) => void,
  ended: Promise<unknown>,
  pattern: RegExp,
): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let done = false;
    const check = () => {
      if (done) return;
      const match = pattern.exec(text());
      if (match === null) return;
      done = true;
      resolve(match);
    };
    subscribe(check);
    check();
    void ended.then(() => {
      check();
      if (!done) reject(new Error(`the run ended without ${pattern} on stderr: ${text()}`));
    });
  });
}

/** Starts `main()` with `args`; see the module comment. */
export function startMain(args: readonly string[], options: InProcessRunOptions = {}): RunningMain {
  const { timeoutMs = DEFAULT_RUN_TIMEOUT_MS, ...world } = options;
  const captured = testDeps({ ...world, argv: [...args], env: options.env ?? {}, input: options.input ?? '' });
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  const result = (async (): Promise<CliResult> => {
    const code = await Promise.race([main(captured.deps), timedOut]);
    clearTimeout(timer);
    const browserFailures = await captured.browser.settled();
    const output = { stdout: captured.stdout(), stderr: captured.stderr(), browserFailures };
    // main() cannot be killed: the test fails on the result, and the run's timers and servers end with the test process.
    if (code === 'timeout') return { code: null, signal: 'SIGKILL', ...output };
    return { code, signal: null, ...output };
  })();
  const waitForStderr = (pattern: RegExp) => waitForText(captured.stderr, captured.onStderr, result, pattern);
  return { waitForStderr, result };
}

/** Runs `main()` with `args` and resolves when it returns. */
export function runMain(args: readonly string[], options: InProcessRunOptions = {}): Promise<CliResult> {
  return startMain(args, options).result;
}
