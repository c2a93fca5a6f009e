/**
 * README's flag tables, made from the flag table (src/flags/flag-specs.ts):
 * `npm run docs` writes them between their marker comments, and a unit test
 * fails when README holds anything else there.
 */
import { shownDefault } from '../src/flags/flag-help.ts';
import { type FlagSpec, GET_TOKEN_FLAGS, LOG_LEVEL_FLAG } from '../src/flags/flag-specs.ts';

/** The tables README holds, by the name in their markers. */
const FLAG_TABLES: Readonly<Record<string, readonly FlagSpec[]>> = {
  'get-token': [...GET_TOKEN_FLAGS, LOG_LEVEL_FLAG],
};

/** A table's place in README: its rows go between these two lines. */
function markers(name: string): { begin: string; end: string } {
  return {
    begin: `<!-- BEGIN flag table ${name}: npm run docs writes it from src/flags/flag-specs.ts -->`,
    end: `<!-- END flag table ${name} -->`,
  };
}

/** Text for a Markdown table cell. */
function cell(text: string): string {
  return text.replaceAll('|', '\\|');
}

/** A row's cells: the flag's names, its default, its meaning (with the choices of a choice flag). */
function cellsOf(spec: FlagSpec): string[] {
  const names = spec.short === undefined ? `\`--${spec.name}\`` : `\`-${spec.short}\`, \`--${spec.name}\``;
  const absent = shownDefault(spec) ?? (spec.kind === 'bool' ? '`false`' : '');
  const meaning =
    spec.kind === 'choice'
      ? `${spec.description}; one of ${spec.choices.map((choice) => `\`${choice}\``).join(', ')}`
      : spec.description;
  return [names, absent, meaning].map(cell);
}

/** One table in Markdown, its columns padded to a common width. */
function renderTable(specs: readonly FlagSpec[]): string {
  const rows = [['flag', 'default', 'meaning'], ...specs.filter((spec) => !spec.hidden).map(cellsOf)];
  const widths = [0, 1, 2].map((column) => Math.max(...rows.map((row) => row[column]?.length ?? 0)));
  const line = (row: readonly string[]) =>
    `| ${row.map((text, column) => text.padEnd(widths[column] ?? 0)).join(' | ')} |`;
  const [header, ...body] = rows;
  return [line(header ?? []), line(widths.map((width) => '-'.repeat(width))), ...body.map(line)].join('\n');
}

/** README with every flag table written afresh from the flag table; throws when a table's markers are missing. */
export function renderFlagTables(readme: string): string {
  let text = readme;
  for (const [name, specs] of Object.entries(FLAG_TABLES)) {
    const { begin, end } = markers(name);
    const start = text.indexOf(begin);
    const stop = text.indexOf(end, start);
    if (start === -1 || stop === -1)
      throw new Error(`README.md has no markers for the flag table ${name}:\n${begin}\n${end}`);
    text = `${text.slice(0, start + begin.length)}\n\n${renderTable(specs)}\n\n${text.slice(stop)}`;
  }
  return text;
}
