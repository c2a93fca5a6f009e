/**
 * `npm run docs`: writes README's flag tables from the flag table
 * (src/flags/flag-specs.ts), so that README says what the help says.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { renderFlagTables } from './flag-tables.ts';

const README = new URL('../README.md', import.meta.url);
const before = readFileSync(README, 'utf8');
const after = renderFlagTables(before);
if (after === before) {
  process.stdout.write('README.md: the flag tables are up to date\n');
} else {
  writeFileSync(README, after);
  process.stdout.write('README.md: wrote the flag tables\n');
}
