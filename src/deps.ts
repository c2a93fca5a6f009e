/**
 * The world kubelogin touches, in one place so tests can run the whole CLI
 * with their own streams, environment and clock.
 */
import { existsSync } from 'node:fs';
import type { Readable } from 'node:stream';
import type { OpenBrowser } from './io/browser.ts';
import { directOutput } from './io/direct-output.ts';
import type { OutputStream } from './io/output-stream.ts';

export type { OutputStream } from './io/output-stream.ts';

/** The process's surroundings. */
export interface Deps {
  /** Command-line arguments after the executable. */
  argv: string[];
  env: NodeJS.ProcessEnv;
  stdout: OutputStream;
  stderr: OutputStream;
  /** Standard input; a function because touching process.stdin opens a stream, which the hot path must not pay for. */
  stdin(): Readable & { isTTY?: boolean };
  /** Milliseconds since the epoch. */
  now(): number;
  /** The local time zone (TZ): its offset from UTC at an instant (milliseconds since the epoch), in minutes east. */
  utcOffsetMinutes(epochMs: number): number;
  /** The operating system, which decides whether a browser can be opened. */
  platform: NodeJS.Platform;
  /** The processor architecture, named when a native addon is missing. */
  arch: string;
  /** The user id of the process, to whom the token cache directory must belong; undefined where there are none (Windows). */
  uid: number | undefined;
  /** kubelogin's per-user cache directory of the OS, where state outside the token cache lives. */
  userCacheDir(): Promise<string>;
  /** Opens a URL for the person (a login or end-session page): the default browser, a `--browser-command`, or the URL printed. */
  openBrowser: OpenBrowser;
  /** Whether the process runs in a container (Docker's or Podman's marker file), which has no browser of its own. */
  insideContainer(): boolean;
}

/** Files the container engines put at the root of a container: Docker's, Podman's. */
const CONTAINER_MARKERS = ['/.dockerenv', '/run/.containerenv'];
/** File descriptor of standard output. */
const STDOUT_FD = 1;

/**
 * The real process. stdout is written to its descriptor directly (a stream is built only if it
 * is non-blocking and full), except on Windows, whose console takes text through the stream's
 * own API; stderr is opened on first use. Each stream costs (a socket for a pipe).
 */
export function processDeps(): Deps {
  const directStdout = process.platform === 'win32' ? undefined : directOutput(STDOUT_FD, () => process.stdout);
  return {
    argv: process.argv.slice(2),
    env: process.env,
    get stdout() {
      return directStdout ?? process.stdout;
    },
    get stderr() {
      return process.stderr;
    },
    stdin: () => process.stdin,
    now: () => Date.now(),
    utcOffsetMinutes: (epochMs) => -new Date(epochMs).getTimezoneOffset(),
    platform: process.platform,
    arch: process.arch,
    uid: process.getuid?.(),
    // Loaded on first use: env-paths loads node:os, which costs ~3 ms on every cache hit.
    userCacheDir: async () => (await import('env-paths')).default('kubelogin', { suffix: '' }).cache,
    // Loaded on first use: spawning a browser loads node:child_process, which a cache hit never needs.
    openBrowser: async (url, settings, logger) =>
      (await import('./io/browser.ts')).openBrowser(url, settings, process.env, logger),
    insideContainer: () => CONTAINER_MARKERS.some((marker) => existsSync(marker)),
  };
}
