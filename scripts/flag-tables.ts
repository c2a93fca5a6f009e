/**
 * The generated tables of docs/usage.md, made from the command table
 * (src/cli/command-table.ts) and the flag tables it names: `npm run docs`
 * writes them between their marker comments, and a unit test fails when
 * docs/usage.md holds anything else there.
 */
import { COMMANDS } from '../src/cli/command-table.ts';
import { shownDefault } from '../src/flags/flag-help.ts';
import { type FlagSpec, LOG_LEVEL_FLAG } from '../src/flags/flag-specs.ts';

/** The name of the table of every command, and of the flags every command takes. */
export const COMMANDS_TABLE = 'commands';
export const GLOBAL_FLAGS_TABLE = 'global';

/** The flag tables docs/usage.md holds, by the name in their markers: each command's with flags, and `-v`. */
export const FLAG_TABLES: Readonly<Record<string, readonly FlagSpec[]>> = {
  ...Object.fromEntries(COMMANDS.filter((command) => command.flags.length > 0).map((c) => [c.name, c.flags])),
  [GLOBAL_FLAGS_TABLE]: [LOG_LEVEL_FLAG],
};

/** A table's place in the document: its rows go between these two lines. */
function markers(name: string): { begin: string; end: string } {
  return {
    begin: `<!-- BEGIN ${name === COMMANDS_TABLE ? 'command table' : `flag table ${name}`}: npm run docs writes it from the command and flag tables -->`,
    end: `<!-- END ${name === COMMANDS_TABLE ? 'command table' : `flag table ${name}`} -->`,
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
function renderTable(rows: readonly (readonly string[])[]): string {
  const columns = rows[0]?.length ?? 0;
  const widths = Array.from({ length: columns }, (_, column) =>
    Math.max(...rows.map((row) => row[column]?.length ?? 0)),
  );
  const line = (row: readonly string[]) =>
    `| ${row.map((text, column) => text.padEnd(widths[column] ?? 0)).join(' | ')} |`;
  const [header, ...body] = rows;
  return [line(header ?? []), line(widths.map((width) => '-'.repeat(width))), ...body.map(line)].join('\n');
}

/** The rows of a table by its name. */
function rowsOf(name: string): string[][] {
  if (name === COMMANDS_TABLE) {
    return [
      ['command', 'what it does'],
      ...COMMANDS.map((command) => {
        const argument = 'argument' in command ? ` ${command.argument.name}` : '';
        return [`[\`${command.name}${argument}\`](#${command.name})`, cell(command.description)];
      }),
    ];
  }
  const specs = FLAG_TABLES[name] ?? [];
  return [['flag', 'default', 'meaning'], ...specs.filter((spec) => !spec.hidden).map(cellsOf)];
}

/** The document with every generated table written afresh; throws when a table's markers are missing. */
export function renderFlagTables(document: string): string {
  let text = document;
  for (const name of [COMMANDS_TABLE, ...Object.keys(FLAG_TABLES)]) {
    const { begin, end } = markers(name);
    const start = text.indexOf(begin);
    const stop = text.indexOf(end, start);
    if (start === -1 || stop === -1)
      throw new Error(`docs/usage.md has no markers for the table ${name}:\n${begin}\n${end}`);
    text = `${text.slice(0, start + begin.length)}\n\n${renderTable(rowsOf(name))}\n\n${text.slice(stop)}`;
  }
  return text;
}
