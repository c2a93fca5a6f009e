/**
 * `npm run docs`: writes the command and flag tables of docs/usage.md from
 * the command and flag tables (src/cli/command-table.ts, src/flags/), so
 * that the manual says what the help says.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { renderFlagTables } from './flag-tables.ts';

const USAGE = new URL('../docs/usage.md', import.meta.url);
const before = readFileSync(USAGE, 'utf8');
const after = renderFlagTables(before);
if (after === before) {
  process.stdout.write('docs/usage.md: the tables are up to date\n');
} else {
  writeFileSync(USAGE, after);
  process.stdout.write('docs/usage.md: wrote the tables\n');
}
