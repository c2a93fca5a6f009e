/**
 * Flags back into arguments: what `setup` and `convert-kubeconfig` write into
 * a kubeconfig's exec block, mirroring the flags given; and into a cluster's
 * exec extension, keyed by flag name.
 */
import { attributeName, type FlagSpec } from './flag-specs.ts';

/** Arguments `--name=value` for every flag of `specs` set in `flags`, in table order. */
export function toExecArgs(flags: Readonly<Record<string, unknown>>, specs: readonly FlagSpec[]): string[] {
  const args: string[] = [];
  for (const spec of specs) {
    const value = flags[attributeName(spec.name)];
    if (value === undefined || value === false) continue;
    if (value === true) args.push(`--${spec.name}`);
    else if (Array.isArray(value)) for (const item of value) args.push(`--${spec.name}=${String(item)}`);
    else if (typeof value === 'object' && value !== null) {
      for (const [key, entry] of Object.entries(value)) args.push(`--${spec.name}=${key}=${String(entry)}`);
    } else args.push(`--${spec.name}=${String(value)}`);
  }
  return args;
}

/** The flags of `specs` set in `flags` by flag name, as a cluster's exec extension holds them, in table order. */
export function toClusterSettings(
  flags: Readonly<Record<string, unknown>>,
  specs: readonly FlagSpec[],
): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  for (const spec of specs) {
    const value = flags[attributeName(spec.name)];
    if (value !== undefined && value !== false) settings[spec.name] = value;
  }
  return settings;
}
