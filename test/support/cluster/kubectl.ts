/** Running the real kubectl of this machine. */
import type { CliResult } from '../run-cli.ts';
import { runProcess } from '../run-process.ts';

/** kubectl v1.32 as installed on this image. */
export const KUBECTL_PATH = '/usr/bin/kubectl';
/** A kubectl command, plugin and login included, takes a few seconds; a hang fails the test instead. */
const DEFAULT_KUBECTL_TIMEOUT_MS = 60_000;

/** Options of {@link runKubectl}. */
export interface KubectlOptions {
  /** kubectl's environment, which the plugin inherits; give it its own HOME (a test world's). */
  env: NodeJS.ProcessEnv;
  timeoutMs?: number;
  /** Copy kubectl's output to this process's as it arrives. */
  echo?: boolean;
  /** Aborting it ends kubectl, its plugin and the plugin's browser. */
  signal?: AbortSignal;
}

/** Runs kubectl with `args` exactly as given and resolves when it exits or is killed at the deadline. */
export function runKubectl(args: readonly string[], options: KubectlOptions): Promise<CliResult> {
  return runProcess(KUBECTL_PATH, args, {
    env: options.env,
    timeoutMs: options.timeoutMs ?? DEFAULT_KUBECTL_TIMEOUT_MS,
    echo: options.echo,
    signal: options.signal,
  });
}
