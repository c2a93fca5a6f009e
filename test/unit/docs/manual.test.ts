/**
 * The manual cannot fall behind the program: every YAML and JSON snippet of
 * README.md, CONTRIBUTING.md and docs/ parses, every kubeconfig exec block
 * passes get-token's own parser, every flag and command named exists, every
 * visible flag of the tables is documented, and every link between pages
 * leads somewhere. Each check is also shown failing on a page made for it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { COMMANDS } from '../../../src/cli/command-table.ts';
import type { FlagSpec } from '../../../src/flags/flag-specs.ts';
import {
  brokenLinkProblems,
  codeBlocks,
  execBlockProblems,
  execBlocks,
  kubeloginFlags,
  manualPages,
  OTHER_PROGRAMS_FLAGS,
  type Page,
  snippetParseProblems,
  unknownCommandProblems,
  unknownFlagProblems,
} from '../../support/docs/doc-checks.ts';

const pages = manualPages();
const blocks = pages.flatMap(codeBlocks);
const lines = (problems: readonly string[]) => problems.join('\n');

describe('the manual', () => {
  it('has the pages the README links: usage, setup, ci, troubleshooting, eight providers', () => {
    const paths = pages.map((page) => page.path);
    for (const path of ['docs/usage.md', 'docs/setup.md', 'docs/ci.md', 'docs/troubleshooting.md', 'CONTRIBUTING.md'])
      assert.ok(paths.includes(path), path);
    const providers = ['keycloak', 'okta', 'entra-id', 'google', 'dex', 'gitlab', 'auth0', 'authentik'];
    for (const provider of providers) assert.ok(paths.includes(`docs/providers/${provider}.md`), provider);
  });

  it('has YAML and JSON snippets that parse', () => {
    assert.ok(blocks.filter((block) => block.language === 'yaml').length >= 15, 'the YAML snippets were found');
    assert.equal(lines(snippetParseProblems(blocks)), '');
  });

  it("has kubeconfig exec blocks that get-token's parser takes, without a warning, one per provider at least", () => {
    const execs = execBlocks(blocks);
    assert.equal(lines(execBlockProblems(execs)), '');
    for (const page of pages.filter((page) => page.path.startsWith('docs/providers/')))
      assert.ok(
        execs.some((exec) => exec.where.startsWith(`${page.path}:`)),
        `${page.path} has a kubeconfig exec block`,
      );
  });

  it('names only flags that kubelogin (or the other program named) takes', () => {
    assert.equal(lines(unknownFlagProblems(pages)), '');
  });

  it("lists no flag of kubelogin among other programs' flags", () => {
    const ours = kubeloginFlags();
    assert.deepEqual(
      Object.keys(OTHER_PROGRAMS_FLAGS).filter((flag) => ours.has(flag)),
      [],
    );
  });

  it('names only commands that kubelogin has', () => {
    assert.equal(lines(unknownCommandProblems(pages)), '');
  });

  it('documents every visible flag of every command in docs/usage.md', () => {
    const usage = pages.find((page) => page.path === 'docs/usage.md')!.text;
    for (const command of COMMANDS) {
      for (const spec of command.flags as readonly FlagSpec[]) {
        if (!spec.hidden) assert.ok(usage.includes(`\`--${spec.name}\``), `${command.name} --${spec.name}`);
      }
    }
  });

  it('links only to pages and headings that exist', () => {
    assert.equal(lines(brokenLinkProblems(pages)), '');
  });
});

describe('the checks of the manual', () => {
  const page = (text: string): Page => ({ path: 'docs/made-up.md', text });

  it('fail on a flag that kubelogin does not take, as after a rename without the docs', () => {
    const renamed = page('Give `--oidc-extra-scopes=email`.\n\n```sh\nkubelogin get-token --oidc-issuer=x\n```\n');
    assert.deepEqual(unknownFlagProblems([renamed]), [
      'docs/made-up.md:1: --oidc-extra-scopes is no flag of kubelogin (nor of another program named)',
      'docs/made-up.md:4: --oidc-issuer is no flag of kubelogin (nor of another program named)',
    ]);
    const known = new Set([...kubeloginFlags()].filter((flag) => flag !== '--oidc-extra-scope'));
    assert.equal(unknownFlagProblems([page('`--oidc-extra-scope=email`')], known).length, 1);
  });

  it('fail on an exec block whose flags get-token refuses, or that runs something else', () => {
    const kubeconfig = (args: string) =>
      `\`\`\`yaml\nusers:\n  - name: a\n    user:\n      exec:\n        command: kubelogin\n        args: [${args}]\n\`\`\`\n`;
    const broken = page(
      kubeconfig('get-token, --oidc-issuer-url=https://issuer.example, --oidc-client-id=k, --no-such-flag') +
        kubeconfig('get-token, --oidc-client-id=k') +
        kubeconfig('get-token, --oidc-issuer-url=https://i.example, --oidc-client-id=k, --listen-port=8000') +
        kubeconfig('setup'),
    );
    const problems = execBlockProblems(execBlocks(codeBlocks(broken)));
    assert.equal(problems.length, 4, lines(problems));
    assert.match(problems[0]!, /parser refuses .*--no-such-flag/);
    assert.match(problems[1]!, /--oidc-issuer-url is required/);
    assert.match(problems[2]!, /warns: --listen-port is deprecated/);
    assert.match(problems[3]!, /runs setup, not get-token/);
  });

  it('fail on YAML or JSON that does not parse', () => {
    const problems = snippetParseProblems(codeBlocks(page('```yaml\na: [1\n```\n\n```json\n{"a":}\n```\n')));
    assert.equal(problems.length, 2, lines(problems));
  });

  it('fail on a command that does not exist, and on a link to nothing', () => {
    assert.deepEqual(unknownCommandProblems([page('Run `kubelogin login --x`.')]), [
      'docs/made-up.md: `kubelogin login` names no command of kubelogin',
    ]);
    assert.equal(brokenLinkProblems([page('[a](usage.md#no-such-heading) [b](nowhere.md)')]).length, 2);
  });
});
