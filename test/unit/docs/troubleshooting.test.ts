/**
 * docs/troubleshooting.md lists every message a user can meet: each error of
 * the KubeloginError family and each warning that src/ makes is quoted there
 * (its fixed words, read from the source's syntax trees), and every message
 * it quotes is one that src/ still makes. Each check is also shown failing:
 * on a message added to src/ without a row, a row taken away, and a row of a
 * message that no longer exists.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEPRECATIONS } from '../../../src/flags/login-options.ts';
import { manualPages, type Page, REPOSITORY } from '../../support/docs/doc-checks.ts';
import {
  isDistinctive,
  MESSAGES_NOT_LISTED,
  messageColumnQuotes,
  messageKey,
  NOTICE,
  type SourceText,
  sourceTexts,
  sourceWords,
  unknownQuoteProblems,
  unlistedMessageProblems,
} from '../../support/docs/source-messages.ts';

const page = manualPages().find((candidate) => candidate.path === 'docs/troubleshooting.md')!;
const sources = sourceTexts(REPOSITORY);
const words = sourceWords(sources);
const deprecations = DEPRECATIONS.map(([, notice]) => notice);
const lines = (problems: readonly string[]) => problems.join('\n');

/** The page with the rows that quote `text` taken away. */
const without = (text: string): Page => ({
  path: page.path,
  text: page.text
    .split('\n')
    .filter((line) => !(line.startsWith('|') && line.includes(text)))
    .join('\n'),
});

describe('docs/troubleshooting.md', () => {
  it('quotes every error message and warning of src/', () => {
    assert.equal(lines(unlistedMessageProblems(words.messages, page)), '');
  });

  it('quotes only messages that src/ (or a program it names) still prints', () => {
    assert.equal(lines(unknownQuoteProblems(words, page, deprecations)), '');
  });

  it("quotes the warning of every deprecated flag, which the flag table's data make", () => {
    assert.ok(deprecations.length >= 3);
    for (const notice of deprecations) assert.ok(page.text.includes(`\`warning: ${notice}\``), notice);
  });

  it('lists among the messages it leaves out only those src/ still makes', () => {
    const keys = new Set(words.messages.map(messageKey));
    assert.deepEqual(
      Object.keys(MESSAGES_NOT_LISTED).filter((key) => !keys.has(key)),
      [],
    );
  });
});

describe('the messages read from src/', () => {
  it('are those of every error class, the warnings and the notices, hundreds of them', () => {
    const kinds = new Set(words.messages.map((message) => message.kind));
    for (const kind of ['UsageError', 'ConfigError', 'NetworkError', 'AuthError', 'TimeoutError'])
      assert.ok(kinds.has(kind), kind);
    for (const kind of ['InteractionRequiredError', 'UnfinishedLoginError', 'MissingIdTokenError', 'warning', NOTICE])
      assert.ok(kinds.has(kind), kind);
    assert.ok(words.messages.filter((message) => message.kind !== NOTICE).length > 150);
    assert.ok(messageColumnQuotes(page).length > 150);
  });

  it('follow the values a file spells out: constants, branches, local functions and their literal arguments', () => {
    const textsAt = (file: string) =>
      words.messages.filter((message) => message.where.startsWith(`${file}:`)).flatMap((message) => message.texts);
    // A constant of the file, and the action a local function is called with.
    assert.ok(textsAt('src/cache/keyring-store.ts').includes('cannot delete a token cache entry from the OS keyring'));
    // A branch of a condition in a local constant.
    assert.ok(textsAt('src/flows/login.ts').includes('--grant-type=authcode-keyboard (pasting the code)'));
    // A local function's return.
    assert.ok(textsAt('src/commands/get-token-renew.ts').some((text) => text.includes('the token arrived with only')));
  });
});

describe('the checks of the troubleshooting page', () => {
  /** A made-up source file beside the real ones, as a change to src/ would add it. */
  const withSource = (text: string): SourceText[] => [...sources, { path: 'src/commands/made-up.ts', text }];
  const errorImport = "import { ConfigError, UsageError } from '../core/errors.ts';\n";

  it('fail on an error message added to src/ without its row, naming its new words', () => {
    const added = sourceWords(
      withSource(`${errorImport}export function frobnicate(dir: string): never {
  throw new ConfigError(\`cannot frobnicate the token cache directory \${dir}: it is haunted\`);
}
`),
    );
    const made = added.messages.filter((message) => message.where.startsWith('src/commands/made-up.ts'));
    assert.deepEqual(unlistedMessageProblems(made, page), [
      'src/commands/made-up.ts:3: docs/troubleshooting.md quotes nowhere "cannot frobnicate the token cache directory" (ConfigError)',
      'src/commands/made-up.ts:3: docs/troubleshooting.md quotes nowhere "it is haunted" (ConfigError)',
    ]);
  });

  it('fail on a message of few words by its shape, and on one without words of its own until it is listed', () => {
    const errors = sources.find((source) => source.path === 'src/core/errors.ts')!;
    const made = sourceWords([
      errors,
      {
        path: 'src/commands/made-up.ts',
        text: `${errorImport}export function f(a: string, b: string): never {
  if (a) throw new UsageError(\`\${a} is gone\`);
  throw new UsageError(\`\${a}: \${b}\`);
}
`,
      },
    ]).messages;
    assert.ok(!made.some((message) => message.texts.some(isDistinctive)));
    assert.deepEqual(unlistedMessageProblems(made, page), [
      'src/commands/made-up.ts:3: docs/troubleshooting.md quotes no message shaped "<...> is gone" (UsageError)',
      `src/commands/made-up.ts:4: \`\${a}: \${b}\` has no fixed words of its own; list it in MESSAGES_NOT_LISTED`,
    ]);
    const listed = { [`src/commands/made-up.ts: \`\${a}: \${b}\``]: 'hands on words' };
    assert.equal(unlistedMessageProblems(made, page, listed).length, 1);
  });

  it('fail on a message of src/ whose row was taken away', () => {
    const listed = new Set(unlistedMessageProblems(words.messages, page));
    const problems = unlistedMessageProblems(words.messages, without('holds no PEM certificate')).filter(
      (problem) => !listed.has(problem),
    );
    assert.ok(problems.length > 0);
    assert.ok(
      problems.every((problem) => problem.startsWith('src/provider/tls.ts:')),
      lines(problems),
    );
  });

  it('fail on a quoted message that src/ no longer makes, and pass over names and parts', () => {
    const stale: Page = {
      path: page.path,
      text:
        '| message | meaning and fix |\n| --- | --- |\n' +
        '| `--all logs out of every cache entry; give --all or --oidc-issuer-url, not both` | Old. |\n' +
        '| `HTTPS_PROXY`, `<what>`, `the flux capacitor <part> is out of order` | Made up. |\n\n' +
        '| level | what |\n| --- | --- |\n| `the flux capacitor is out of order` | Not a message table. |\n',
    };
    assert.deepEqual(unknownQuoteProblems(words, stale), [
      'docs/troubleshooting.md:3: `--all logs out of every cache entry; give --all or --oidc-issuer-url, not both` is no message of src/ (nor of another program)',
      'docs/troubleshooting.md:4: `the flux capacitor <part> is out of order` is no message of src/ (nor of another program)',
    ]);
  });
});
