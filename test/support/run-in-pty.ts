/**
 * Runs the CLI on a real pseudo-terminal, as a person at a terminal would, to test prompts such as
 * `Username: ` / `Password: ` (which the CLI shows only on a terminal) and that a secret is not
 * echoed. No npm package is needed: util-linux `script` (part of Debian's essential packages)
 * allocates the terminal and relays this process's pipes to it.
 */
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { cliArgv } from './cli-command.ts';
import { killGroup } from './run-process.ts';

/**
 * Wait for `expect` in the terminal output, then type `send` (e.g. `alice\r`: Enter is `\r`), or
 * what `send` returns for the match (e.g. a code obtained by logging in at a printed URL).
 */
export interface PtyStep {
  expect: RegExp;
  send: string | ((match: RegExpExecArray) => string | Promise<string>);
}

/** Options of {@link runInPty}. */
export interface PtyOptions {
  env?: NodeJS.ProcessEnv;
  /** Done in order; each `expect` is searched only in the output after the previous match. */
  steps?: readonly PtyStep[];
  /** The run is killed after this long (default 60 s). */
  timeoutMs?: number;
}

/** The outcome of a run on a terminal. */
export interface PtyResult {
  /** Exit status of the program; null when it was killed. */
  code: number | null;
  /**
   * Everything the terminal showed, stdout and stderr merged as on a screen, with `\r\n` line
   * ends and the echo of what was typed while the program left echo on.
   */
  output: string;
  timedOut: boolean;
  /** Steps whose `expect` never showed up. */
  pendingSteps: number;
}

/** util-linux `script`, which runs a command on a new pseudo-terminal. */
const SCRIPT_PATH = '/usr/bin/script';
/** The shell `script -c` runs the command with; fixed so that the caller's SHELL cannot change quoting. */
const SCRIPT_SHELL = '/bin/sh';
/** Default deadline, as for runCli: a hang fails the test instead of stalling the suite. */
const DEFAULT_PTY_TIMEOUT_MS = 60_000;
/**
 * Pause between seeing a prompt and typing, as a person would: a program that prints its prompt
 * just before turning echo off must not have the answer echoed because it arrived within microseconds.
 */
const TYPING_DELAY_MS = 50;

/** Quotes `arg` for a POSIX shell: single quotes, with each `'` written as `'\''`. */
export function shellQuote(arg: string): string {
  return `'${arg.replaceAll("'", "'\\''")}'`;
}

/**
 * Runs `command` (program and arguments, no shell) with stdin, stdout and stderr on a new
 * pseudo-terminal; answers `steps` as they come and resolves when the program exits or is killed
 * at the deadline (SIGKILL to `script`, whose terminal then hangs up on the program).
 */
export function runCommandInPty(command: readonly string[], options: PtyOptions = {}): Promise<PtyResult> {
  const steps = [...(options.steps ?? [])];
  const commandLine = `exec ${command.map(shellQuote).join(' ')}`;
  return new Promise((resolve, reject) => {
    // -q: no start/end banners; -e: exit with the program's status; -c: the command; /dev/null: no log file.
    const child = spawn(SCRIPT_PATH, ['-q', '-e', '-c', commandLine, '/dev/null'], {
      env: { ...(options.env ?? process.env), SHELL: SCRIPT_SHELL },
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    let searchFrom = 0;
    let typing = false;
    let timedOut = false;
    const answerSteps = async () => {
      if (typing) return;
      typing = true;
      for (let step = steps[0]; step !== undefined; step = steps[0]) {
        const match = step.expect.exec(output.slice(searchFrom));
        if (match === null) break;
        searchFrom += match.index + match[0].length;
        steps.shift();
        const text = typeof step.send === 'string' ? step.send : await step.send(match);
        await sleep(TYPING_DELAY_MS);
        if (child.stdin.writable) child.stdin.write(text);
      }
      typing = false;
    };
    const onOutput = (chunk: string) => {
      output += chunk;
      answerSteps().catch(reject);
    };
    child.stdout.setEncoding('utf8').on('data', onOutput);
    child.stderr.setEncoding('utf8').on('data', onOutput);
    child.stdin.on('error', () => undefined); // the program may exit before reading what was typed
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid, 'SIGKILL');
    }, options.timeoutMs ?? DEFAULT_PTY_TIMEOUT_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output, timedOut, pendingSteps: steps.length });
    });
  });
}

/** Runs the CLI under test (see cli-command.ts) with `args` on a pseudo-terminal; see {@link runCommandInPty}. */
export function runInPty(args: readonly string[], options: PtyOptions = {}): Promise<PtyResult> {
  return runCommandInPty(cliArgv(args), options);
}
