/**
 * A flag as people read it, in the help and in docs/usage.md: the default shown,
 * and the table's Markdown made plain for a terminal.
 */
import type { FlagSpec } from './flag-specs.ts';

/** The default of a flag as Markdown: its display form, else its value; undefined when it has none. */
export function shownDefault(spec: FlagSpec): string | undefined {
  if (spec.defaultShown !== undefined) return spec.defaultShown;
  if (!('default' in spec) || spec.default === undefined) return undefined;
  const value = spec.default;
  return `\`${typeof value === 'object' ? value.join(',') : String(value)}\``;
}

/** Markdown code spans as plain text. */
export function plainText(markdown: string): string {
  return markdown.replaceAll('`', '');
}

/** The help text of a flag: its description and, where it has one, its default. */
export function helpText(spec: FlagSpec): string {
  const shown = shownDefault(spec);
  return plainText(shown === undefined ? spec.description : `${spec.description} (default: ${shown})`);
}
