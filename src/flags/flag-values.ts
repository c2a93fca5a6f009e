/**
 * Flag value parsers that behave as the Go kubelogin's pflag does: repeatable
 * lists split on commas, `k=v` maps, booleans with an optional `=true|false`.
 * Each throws a UsageError naming the flag.
 */
import { UsageError } from '../core/errors.ts';

/** A repeatable list flag whose values are also split on commas. */
export function commaList(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(',').filter((item) => item !== '')];
}

/** A repeatable flag taken as given, without comma splitting. */
export function repeated(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** A repeatable `k=v` map flag that also accepts `a=1,b=2` in one value. */
export function keyValueMap(flag: string) {
  return (value: string, previous: Record<string, string> = {}): Record<string, string> => {
    const map = { ...previous };
    for (const pair of value.split(',')) {
      const separator = pair.indexOf('=');
      if (separator <= 0) throw new UsageError(`--${flag} takes key=value pairs, got ${JSON.stringify(pair)}`);
      map[pair.slice(0, separator)] = pair.slice(separator + 1);
    }
    return map;
  };
}

/** What Go's strconv.ParseBool, and so pflag, takes for true and false. */
const TRUE_SPELLINGS = new Set(['1', 't', 'T', 'true', 'TRUE', 'True']);
const FALSE_SPELLINGS = new Set(['0', 'f', 'F', 'false', 'FALSE', 'False']);

/** A boolean flag: `--flag`, `--flag=true` or `--flag=false`. */
export function booleanValue(flag: string) {
  return (value: string | boolean): boolean => {
    if (value === true || TRUE_SPELLINGS.has(String(value))) return true;
    if (FALSE_SPELLINGS.has(String(value))) return false;
    throw new UsageError(`--${flag} takes true or false, got ${JSON.stringify(value)}`);
  };
}

/** A non-negative whole number flag. */
export function wholeNumber(flag: string) {
  return (value: string): number => {
    const trimmed = value.startsWith('=') ? value.slice(1) : value;
    if (!/^\d+$/.test(trimmed)) throw new UsageError(`--${flag} takes a whole number, got ${JSON.stringify(value)}`);
    return Number(trimmed);
  };
}

/** The value of `-v`: a whole number, also as `=N` (commander hands over `=1` from `-v=1`). */
export function logLevelValue(value: string): number {
  const level = value.startsWith('=') ? value.slice(1) : value;
  if (!/^\d+$/.test(level)) throw new UsageError(`-v takes a log level (a whole number), got ${JSON.stringify(value)}`);
  return Number(level);
}

/** One value out of a fixed set. */
export function oneOf<T extends string>(flag: string, choices: readonly T[]) {
  return (value: string): T => {
    if (!choices.includes(value as T)) {
      throw new UsageError(`--${flag} must be one of ${choices.join(', ')}, got ${JSON.stringify(value)}`);
    }
    return value as T;
  };
}
