/**
 * Durations for people: a lifetime as `1h 30m`, a countdown as `4:59`; the
 * longest one a timer can wait, and the test-only overrides of timeouts.
 */
import { UsageError } from './errors.ts';

/** The longest delay of a Node timer (2^31-1 ms, about 24.8 days): a longer one fires at once, with a TimeoutOverflowWarning. */
export const MAX_TIMER_MS = 2 ** 31 - 1;
/** The same in whole seconds: the longest duration flag. */
export const MAX_TIMER_SECONDS = Math.floor(MAX_TIMER_MS / 1000);

/** Units of a lifetime, largest first. */
const LIFETIME_UNITS: ReadonlyArray<readonly [seconds: number, unit: string]> = [
  [86400, 'd'],
  [3600, 'h'],
  [60, 'm'],
  [1, 's'],
];

/** `1h 30m`, `45s`, `1d 1h 1m 1s`: a number of seconds, rounded to a whole one. */
export function formatDuration(seconds: number): string {
  const parts: string[] = [];
  let rest = Math.round(seconds);
  for (const [size, unit] of LIFETIME_UNITS) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  return parts.join(' ') || '0s';
}

/** `m:ss` for the seconds left, rounded up and never below zero. */
export function formatCountdown(seconds: number): string {
  const whole = Math.max(0, Math.ceil(seconds));
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}

/**
 * Test-only: the milliseconds of the environment variable `variable`, which
 * replace a connection's timeouts so that a test of a stalled server takes a
 * second rather than forty; undefined when it is unset. An environment
 * variable rather than a flag keeps the flags those of the Go kubelogin and
 * the variable out of every kubeconfig.
 */
export function testTimeoutOverride(env: NodeJS.ProcessEnv, variable: string): number | undefined {
  const override = env[variable];
  if (override === undefined) return undefined;
  if (!/^[1-9]\d*$/.test(override) || Number(override) > MAX_TIMER_MS)
    throw new UsageError(`${variable} must be a whole number of milliseconds between 1 and ${MAX_TIMER_MS}`);
  return Number(override);
}
