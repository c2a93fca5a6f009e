/**
 * Durations for people: a lifetime as `1h 30m`, a countdown as `4:59`; and
 * the longest one a timer can wait.
 */

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
