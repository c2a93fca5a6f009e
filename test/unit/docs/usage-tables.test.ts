/**
 * docs/usage.md's command and flag tables say what the command and flag
 * tables say: they are made afresh here and must equal the file's
 * (`npm run docs` writes them).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { renderFlagTables } from '../../../scripts/flag-tables.ts';
import { COMMANDS } from '../../../src/cli/command-table.ts';

describe("docs/usage.md's tables", () => {
  const usage = readFileSync(new URL('../../../docs/usage.md', import.meta.url), 'utf8');

  it('are those of the command and flag tables (run npm run docs after changing a flag)', () => {
    assert.equal(renderFlagTables(usage), usage);
  });

  it('show each flag with its default and meaning, and no hidden flag', () => {
    assert.match(usage, /^\| `--authentication-timeout-sec` +\| `180` +\| Deadline of the browser part/m);
    assert.match(usage, /^\| `--grant-type` +\| `auto` +\| .*; one of `auto`, `authcode`,/m);
    assert.match(usage, /^\| `--skip-open-browser` +\| `false` +\|/m);
    assert.match(usage, /^\| `-v`, `--v` +\| `0` +\|/m);
    assert.match(usage, /^\| `-o`, `--output` +\| `text` +\|/m);
    assert.doesNotMatch(usage, /^\| `--listen-port`/m);
  });

  it('give every command a section of its own, linked from the command table', () => {
    for (const command of COMMANDS) {
      assert.match(usage, new RegExp(`^## ${command.name}$`, 'm'), command.name);
      assert.match(usage, new RegExp(`\\]\\(#${command.name}\\)`), command.name);
    }
  });

  it('cannot be written into a document without their markers', () => {
    assert.throws(() => renderFlagTables('# Usage\n'), /no markers for the table commands/);
  });
});
