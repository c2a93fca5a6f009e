/**
 * The world of one in-process run of the CLI (src/deps.ts): the environment, clock, platform and
 * browser a test chooses, standard streams captured as text, stdin from a string.
 */
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { Deps } from '../../../src/deps.ts';
import { type BrowserStandIn, browserStandIn } from './browser-stand-in.ts';

/** Options of {@link testDeps}; every field has a default of the test process. */
export interface TestDepsOptions {
  argv?: string[];
  /** The CLI's environment (default: empty). */
  env?: NodeJS.ProcessEnv;
  /** What stdin holds; it ends after it (default: nothing). */
  input?: string;
  /** Whether stdin, stderr and stdout claim to be terminals (default: none does, as under kubectl). */
  stdinIsTTY?: boolean;
  stderrIsTTY?: boolean;
  stdoutIsTTY?: boolean;
  /** The clock (default: the real one). The time zone is the one TZ of `env` names, as in a process (default: this process's). */
  now?: () => number;
  platform?: NodeJS.Platform;
  arch?: string;
  /** Default: this process's uid. */
  uid?: number | undefined;
  /** kubelogin's per-user cache directory (default: under XDG_CACHE_HOME or HOME of `env`, as env-paths finds it on Linux). */
  userCacheDir?: string;
  /** Default: {@link browserStandIn} in `env`. */
  openBrowser?: Deps['openBrowser'];
  /** Whether the run is in a container (default: not). */
  insideContainer?: boolean;
  /**
   * Standard input as a stream the test writes to while the run goes on (typing at a prompt
   * after reading what the run printed), instead of `input`; a terminal when `stdinIsTTY`.
   */
  stdinStream?: Readable;
  /** The width of the stderr terminal (with `stderrIsTTY`); unknown by default. */
  stderrColumns?: number;
}

/** Deps whose output a test reads. */
export interface CapturedDeps {
  deps: Deps;
  stdout(): string;
  stderr(): string;
  /** Calls `listener` after each write to stderr. */
  onStderr(listener: () => void): void;
  /** Whether the CLI opened stdin. */
  stdinOpened(): boolean;
  /** The fake browsers of the run (unused when `openBrowser` was given). */
  browser: BrowserStandIn;
}

/** The per-user cache directory env-paths gives on Linux: `$XDG_CACHE_HOME/kubelogin` or `~/.cache/kubelogin`. */
function linuxUserCacheDir(env: NodeJS.ProcessEnv): string {
  const base = env['XDG_CACHE_HOME'] || (env['HOME'] && join(env['HOME'], '.cache'));
  if (!base) throw new Error('the run needs HOME (or XDG_CACHE_HOME) in its environment for the user cache directory');
  return join(base, 'kubelogin');
}

/** A UTC offset as Intl words it: `GMT` or `GMT+05:30`. */
const INTL_OFFSET = /^GMT(?:([+-])(\d{2}):(\d{2}))?$/;

/**
 * The local time zone of a process started with `env`: the zone TZ names, or this process's own
 * when TZ is unset or the same as this process's. Returns its offset from UTC at an instant, in minutes east.
 */
function utcOffsetIn(env: NodeJS.ProcessEnv): (epochMs: number) => number {
  const zone = env['TZ'];
  if (!zone || zone === process.env['TZ']) return (epochMs) => -new Date(epochMs).getTimezoneOffset();
  const format = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
  return (epochMs) => {
    const name = format.formatToParts(epochMs).find((part) => part.type === 'timeZoneName')?.value ?? '';
    const match = INTL_OFFSET.exec(name);
    if (match === null) throw new Error(`cannot read the UTC offset of TZ=${zone} from ${JSON.stringify(name)}`);
    const [, sign, hours = '0', minutes = '0'] = match;
    return (sign === '-' ? -1 : 1) * (Number(hours) * 60 + Number(minutes));
  };
}

/** Builds the Deps of one run. */
export function testDeps(options: TestDepsOptions = {}): CapturedDeps {
  const env = options.env ?? {};
  let stdout = '';
  let stderr = '';
  let stdinOpened = false;
  const listeners: Array<() => void> = [];
  const browser = browserStandIn(env);
  const deps: Deps = {
    argv: options.argv ?? [],
    env,
    stdout: {
      write: (text: string) => (stdout += text),
      ...(options.stdoutIsTTY ? { isTTY: true } : {}),
    },
    stderr: {
      write: (text: string) => {
        stderr += text;
        for (const listener of [...listeners]) listener();
        return true;
      },
      ...(options.stderrIsTTY ? { isTTY: true } : {}),
      ...(options.stderrColumns === undefined ? {} : { columns: options.stderrColumns }),
    },
    stdin: () => {
      stdinOpened = true;
      const stream = options.stdinStream ?? Readable.from(options.input === undefined ? [] : [options.input]);
      return Object.assign(stream, { isTTY: options.stdinIsTTY ?? false });
    },
    now: options.now ?? (() => Date.now()),
    utcOffsetMinutes: utcOffsetIn(env),
    platform: options.platform ?? 'linux',
    arch: options.arch ?? process.arch,
    uid: 'uid' in options ? options.uid : process.getuid?.(),
    userCacheDir: async () => options.userCacheDir ?? linuxUserCacheDir(env),
    openBrowser: options.openBrowser ?? browser.openBrowser,
    insideContainer: () => options.insideContainer ?? false,
  };
  return {
    deps,
    stdout: () => stdout,
    stderr: () => stderr,
    onStderr: (listener) => listeners.push(listener),
    stdinOpened: () => stdinOpened,
    browser,
  };
}
