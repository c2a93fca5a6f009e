/**
 * README's flag tables say what the flag table says: they are made from it
 * afresh here and must equal README's (`npm run docs` writes them).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { renderFlagTables } from '../../../scripts/flag-tables.ts';

describe("README's flag tables", () => {
  const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

  it('are those of src/flags/flag-specs.ts (run npm run docs after changing a flag)', () => {
    assert.equal(renderFlagTables(readme), readme);
  });

  it('show each flag with its default and meaning, and no hidden flag', () => {
    assert.match(readme, /^\| `--authentication-timeout-sec` +\| `180` +\| Deadline of the browser part/m);
    assert.match(readme, /^\| `--grant-type` +\| `auto` +\| .*; one of `auto`, `authcode`,/m);
    assert.match(readme, /^\| `--skip-open-browser` +\| `false` +\|/m);
    assert.match(readme, /^\| `-v`, `--v` +\| `0` +\|/m);
    assert.doesNotMatch(readme, /^\| `--listen-port`/m);
  });

  it('cannot be written into a README without their markers', () => {
    assert.throws(() => renderFlagTables('# kubelogin\n'), /no markers for the flag table get-token/);
  });
});
