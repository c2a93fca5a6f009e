/**
 * Runs any executable (kubectl, npm, an installed kubelogin) as a subprocess, asynchronously so
 * that in-process test servers keep answering, with a deadline so that nothing hangs.
 */
import { spawn } from 'node:child_process';
import type { CliResult } from './run-cli.ts';

/** Options of {@link runProcess}. */
export interface ProcessOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** The child is killed (SIGKILL) after this long and the result has `signal` set. */
  timeoutMs: number;
  /** Also copy the child's stdout and stderr to this process's, as they arrive (for the demo). */
  echo?: boolean;
  /** Aborting it ends the child and its descendants (SIGTERM), e.g. when the caller is interrupted. */
  signal?: AbortSignal;
}

/**
 * Sends `signal` to the child's process group: kubectl's credential plugin and the plugin's
 * browser are descendants that would outlive kubectl otherwise. A group already gone is fine.
 */
export function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/**
 * Runs `command` with `args`, stdin empty, in a process group of its own, and resolves with its
 * exit status and output when it exits, or when it is killed with its descendants at the deadline
 * (SIGKILL) or on abort (SIGTERM). Rejects only when it cannot be started.
 */
export function runProcess(command: string, args: readonly string[], options: ProcessOptions): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: options.env ?? process.env,
      cwd: options.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const abort = () => killGroup(child.pid, 'SIGTERM');
    options.signal?.addEventListener('abort', abort, { once: true });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (options.echo) process.stdout.write(chunk);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      if (options.echo) process.stderr.write(chunk);
    });
    const timer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), options.timeoutMs);
    const settle = () => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', abort);
    };
    child.on('error', (error) => {
      settle();
      reject(error);
    });
    child.on('close', (code, signal) => {
      settle();
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** A one-paragraph description of a run, for assertion messages. */
export function describeRun(what: string, result: CliResult): string {
  return `${what} exited with ${result.code ?? result.signal}\n--- stdout\n${result.stdout}--- stderr\n${result.stderr}`;
}
