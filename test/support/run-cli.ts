/**
 * Runs the CLI under test (see cli-command.ts) as a user's shell or kubectl would: a subprocess,
 * asynchronously so the in-process test provider keeps answering while it runs.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { CLI, type CliCommand, cliArgv } from './cli-command.ts';

/** KUBERNETES_EXEC_INFO as kubectl sets it for an exec block with interactiveMode Never. */
export const NON_INTERACTIVE_EXEC_INFO = JSON.stringify({
  kind: 'ExecCredential',
  apiVersion: 'client.authentication.k8s.io/v1',
  spec: { interactive: false },
});
/** No CLI run in a test may take longer than this; a hang fails the test instead of stalling the suite. */
const DEFAULT_RUN_TIMEOUT_MS = 60_000;

/** The outcome of one run. */
export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** In-process runs: why each fake browser the run started did not reach its success page. */
  browserFailures?: string[];
}

/** Options of one run. */
export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  /** Written to stdin, which is then closed; stdin is empty otherwise. */
  input?: string;
  timeoutMs?: number;
  /** The CLI to run: the one under test by default; NPM_CLI for a test about the npm build itself. */
  cli?: CliCommand;
}

/** A run in progress. */
export interface RunningCli {
  child: ChildProcess;
  /** Resolves with the first match of `pattern` in stderr (as it arrives), or rejects when the run ends without one. */
  waitForStderr(pattern: RegExp): Promise<RegExpExecArray>;
  /** Resolves when the run exits (or is killed at the timeout). */
  result: Promise<CliResult>;
}

/** Starts the CLI with `args`; stdin gets `input` (or nothing) and is closed. */
export function startCli(args: readonly string[], options: RunOptions = {}): RunningCli {
  const [command, ...argv] = cliArgv(args, options.cli ?? CLI);
  const child = spawn(command, argv, {
    env: options.env ?? process.env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const watchers: Array<() => void> = [];
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    for (const watch of [...watchers]) watch();
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? DEFAULT_RUN_TIMEOUT_MS);
  const result = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
  // A fast CLI (the standalone executable) may exit before reading its stdin: writing then fails
  // with EPIPE, which says nothing about the run, so it is ignored; the run's outcome is its exit.
  child.stdin.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
  child.stdin.end(options.input ?? '');
  const waitForStderr = (pattern: RegExp) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const watch = () => {
        const match = pattern.exec(stderr);
        if (match === null) return;
        watchers.splice(watchers.indexOf(watch), 1);
        resolve(match);
      };
      watchers.push(watch);
      watch();
      void result.then(() => reject(new Error(`the run ended without ${pattern} on stderr: ${stderr}`)));
    });
  return { child, waitForStderr, result };
}

/** Runs the CLI with `args` and resolves when it exits (or is killed at the timeout). */
export function runCli(args: readonly string[], options: RunOptions = {}): Promise<CliResult> {
  return startCli(args, options).result;
}

/** Parses the ExecCredential a successful run printed; fails unless stdout is exactly one JSON line. */
export function parseExecCredential(stdout: string): {
  kind: string;
  apiVersion: string;
  spec: { interactive: boolean };
  status: { expirationTimestamp: string; token: string };
} {
  const lines = stdout.split('\n');
  if (lines.length !== 2 || lines[1] !== '')
    throw new Error(`stdout is not exactly one line: ${JSON.stringify(stdout)}`);
  return JSON.parse(lines[0] as string);
}
