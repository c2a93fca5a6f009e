/**
 * The messages of src/ that a user can meet, read from the source's syntax
 * trees, and the checks that docs/troubleshooting.md quotes each of them and
 * nothing else. A message is the first argument of every `new` of an error
 * of the KubeloginError family, of every warning (the logger's `warn`, or a
 * `warn` callback's) and of every `info` line (a notice: listed where one
 * must act, not required). Each is taken as its fixed texts with gaps where
 * a value is put in; a value that the same file spells out (a constant, a
 * branch of a condition, a local function's return, a literal argument the
 * file's calls give a parameter) is followed, anything else is a gap.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import type { Page } from './doc-checks.ts';

/** Where a value is put into a message's fixed text. */
const GAP = '\u0000';

/** The error class every user-facing failure descends from (src/core/errors.ts). */
const BASE_ERROR = 'KubeloginError';

/** The kind of the logger's `info` lines: progress and instructions, which the page lists only where one must act. */
export const NOTICE = 'notice';

/** Beyond this many shapes of one message, the rest are left out (a guard against combinations). */
const MAX_SHAPES = 16;

/** One message of src/ that a user may meet. */
export interface SourceMessage {
  /** `src/file.ts:line`. */
  where: string;
  /** The error class, `warning`, or `notice` (a line of the logger's `info`, shown at every level). */
  kind: string;
  /** The source text of the message argument. */
  source: string;
  /**
   * The message as it is spelled where it is made: its fixed texts, in order, with a gap between
   * each two where a value goes (one array per branch when the message is chosen by a condition).
   */
  shapes: string[][];
  /**
   * Every fixed text that may stand in the message: its own and those of the values the same file
   * spells out (a constant, a branch, a local function's return, the literal arguments that the
   * file's calls give a parameter), each as written.
   */
  texts: string[];
}

/** The `.ts` files under `dir`, relative to `root`. */
function sourceFiles(root: string, dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(root, join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

/** Visits `node` and everything under it. */
function eachNode(node: ts.Node, visit: (node: ts.Node) => void): void {
  visit(node);
  node.forEachChild((child) => eachNode(child, visit));
}

/** The classes that extend KubeloginError, directly or through another, in any file. */
function errorClasses(files: readonly ts.SourceFile[]): Set<string> {
  const classes = new Set([BASE_ERROR]);
  const extensions: Array<[string, string]> = [];
  for (const file of files) {
    eachNode(file, (node) => {
      if (!ts.isClassDeclaration(node) || node.name === undefined) return;
      for (const clause of node.heritageClauses ?? [])
        for (const type of clause.types) extensions.push([node.name.text, type.expression.getText(file)]);
    });
  }
  for (let grew = true; grew; ) {
    grew = false;
    for (const [name, base] of extensions) {
      if (classes.has(base) && !classes.has(name)) {
        classes.add(name);
        grew = true;
      }
    }
  }
  return classes;
}

/** A function's name when it has one a call can use: `function f`, or `const f = (...) =>`. */
function functionName(node: ts.SignatureDeclaration): string | undefined {
  if (ts.isFunctionDeclaration(node)) return node.name?.text;
  if (
    (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) &&
    ts.isVariableDeclaration(node.parent) &&
    ts.isIdentifier(node.parent.name)
  )
    return node.parent.name.text;
  return undefined;
}

/** The named functions of a file, by name. */
function namedFunctions(file: ts.SourceFile): Map<string, ts.SignatureDeclaration> {
  const functions = new Map<string, ts.SignatureDeclaration>();
  eachNode(file, (node) => {
    if (ts.isFunctionDeclaration(node) || ts.isArrowFunction(node) || ts.isFunctionExpression(node)) {
      const name = functionName(node);
      if (name !== undefined) functions.set(name, node);
    }
  });
  return functions;
}

/** What one file spells out of its message expressions. */
class FileReader {
  private readonly functions: Map<string, ts.SignatureDeclaration>;
  private readonly following = new Set<ts.Node>();

  constructor(private readonly file: ts.SourceFile) {
    this.functions = namedFunctions(file);
  }

  /** True when the file has a named function so called. */
  names(name: string): boolean {
    return this.functions.has(name);
  }

  /** The shapes of a message expression: fixed text with GAP for every value put in. */
  shapes(node: ts.Expression): string[] {
    return this.guarded(node, [GAP], () => this.shapesOf(node)).slice(0, MAX_SHAPES);
  }

  /** Every fixed text that may stand in a message expression, its values' included. */
  texts(node: ts.Expression): string[] {
    return this.guarded(node, [], () => this.textsOf(node));
  }

  /** Follows a node once on a path: a value defined through itself ends there. */
  private guarded(node: ts.Node, whenCircular: string[], follow: () => string[]): string[] {
    if (this.following.has(node)) return whenCircular;
    this.following.add(node);
    try {
      return follow();
    } finally {
      this.following.delete(node);
    }
  }

  private shapesOf(node: ts.Expression): string[] {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return [node.text];
    if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node)) return this.shapes(node.expression);
    if (ts.isTemplateExpression(node))
      return [node.head.text + node.templateSpans.map((span) => GAP + span.literal.text).join('')];
    if (ts.isConditionalExpression(node)) return [...this.shapes(node.whenTrue), ...this.shapes(node.whenFalse)];
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
      const right = this.shapes(node.right);
      return this.shapes(node.left).flatMap((left) => right.map((after) => left + after));
    }
    return this.followed(node, (value) => this.shapes(value)) ?? [GAP];
  }

  private textsOf(node: ts.Expression): string[] {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return [node.text];
    if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node)) return this.texts(node.expression);
    if (ts.isTemplateExpression(node)) {
      return [
        node.head.text,
        ...node.templateSpans.flatMap((span) => [span.literal.text, ...this.texts(span.expression)]),
      ];
    }
    if (ts.isConditionalExpression(node)) return [...this.texts(node.whenTrue), ...this.texts(node.whenFalse)];
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken)
      return [...this.texts(node.left), ...this.texts(node.right)];
    return this.followed(node, (value) => this.texts(value)) ?? [];
  }

  /**
   * What `read` makes of the values a name or a call stands for: the constant a name is bound
   * to, the arguments the file's calls give the parameter it is, or a local function's returns;
   * undefined when the file does not spell it out.
   */
  private followed(node: ts.Expression, read: (value: ts.Expression) => string[]): string[] | undefined {
    const values = ts.isIdentifier(node)
      ? this.valuesOfName(node)
      : ts.isCallExpression(node) && ts.isIdentifier(node.expression)
        ? this.returnsOf(node.expression.text)
        : undefined;
    return values === undefined || values.length === 0 ? undefined : values.flatMap(read);
  }

  /** The values a name may stand for: the arguments given to the parameter it is, or its constant's initializer. */
  private valuesOfName(name: ts.Identifier): ts.Expression[] | undefined {
    for (let scope: ts.Node | undefined = name.parent; scope !== undefined; scope = scope.parent) {
      if (ts.isFunctionLike(scope)) {
        const index = scope.parameters.findIndex(
          (parameter) => ts.isIdentifier(parameter.name) && parameter.name.text === name.text,
        );
        if (index >= 0) return this.argumentsOf(scope, index);
      }
      if (ts.isBlock(scope) || ts.isSourceFile(scope)) {
        for (const statement of scope.statements) {
          if (!ts.isVariableStatement(statement)) continue;
          for (const declaration of statement.declarationList.declarations) {
            if (ts.isIdentifier(declaration.name) && declaration.name.text === name.text)
              return declaration.initializer === undefined ? undefined : [declaration.initializer];
          }
        }
      }
    }
    return undefined;
  }

  /** The `index`th argument of every call of a named function of the file. */
  private argumentsOf(called: ts.SignatureDeclaration, index: number): ts.Expression[] | undefined {
    const name = functionName(called);
    if (name === undefined) return undefined;
    const found: ts.Expression[] = [];
    eachNode(this.file, (node) => {
      if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === name) {
        const argument = node.arguments[index];
        if (argument !== undefined) found.push(argument);
      }
    });
    return found;
  }

  /** What a named function of the file returns. */
  private returnsOf(name: string): ts.Expression[] | undefined {
    const called = this.functions.get(name);
    if (called === undefined) return undefined;
    if (ts.isArrowFunction(called) && !ts.isBlock(called.body)) return [called.body];
    const found: ts.Expression[] = [];
    const visit = (node: ts.Node): void => {
      if (ts.isReturnStatement(node)) {
        if (node.expression !== undefined) found.push(node.expression);
      } else if (!ts.isFunctionLike(node)) node.forEachChild(visit); // a nested function's returns are its own
    };
    called.forEachChild(visit);
    return found;
  }
}

/** A source file of src/: its path from the repository and its text. */
export interface SourceText {
  path: string;
  text: string;
}

/** The TypeScript files of src/. */
export function sourceTexts(root: string): SourceText[] {
  return sourceFiles(root, 'src').map((path) => ({ path, text: readFileSync(join(root, path), 'utf8') }));
}

/** What the sources say to users: their messages, and every fixed text of theirs (hints and parts included). */
export interface SourceWords {
  messages: SourceMessage[];
  /** Every string literal and fixed part of a template in the sources, as written. */
  literals: string[];
}

/** The messages that the sources make (errors of the KubeloginError family, warnings, notices) and their literals. */
export function sourceWords(sources: readonly SourceText[]): SourceWords {
  const files = sources.map(({ path, text }) => ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true));
  const classes = errorClasses(files);
  const messages: SourceMessage[] = [];
  const literals: string[] = [];
  for (const file of files) {
    const reader = new FileReader(file);
    eachNode(file, (node) => {
      if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) literals.push(node.text);
      else if (ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node))
        literals.push(node.text);
      let kind: string | undefined;
      let argument: ts.Expression | undefined;
      if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && classes.has(node.expression.text)) {
        kind = node.expression.text;
        argument = node.arguments?.[0];
      } else if (ts.isCallExpression(node)) {
        const callee = node.expression;
        // The logger's warn, or a callback named warn that hands it on; not a function of the file so named.
        const isWarning = ts.isIdentifier(callee)
          ? callee.text === 'warn' && !reader.names(callee.text)
          : ts.isPropertyAccessExpression(callee) && callee.name.text === 'warn';
        if (isWarning) {
          kind = 'warning';
          argument = node.arguments[0];
        } else if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'info') {
          kind = NOTICE;
          argument = node.arguments[0];
        }
      }
      if (kind === undefined || argument === undefined) return;
      messages.push({
        where: `${file.fileName}:${file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1}`,
        kind,
        source: argument.getText(file),
        shapes: [...new Set(reader.shapes(argument))].map((shape) => shape.split(GAP)),
        texts: [...new Set(reader.texts(argument))],
      });
    });
  }
  return { messages, literals: [...new Set(literals)] };
}

/**
 * Messages of src/ that troubleshooting.md does not list, by `file: message source`, each with why.
 * A message without a fixed word of its own must be here: it hands on another's words.
 */
export const MESSAGES_NOT_LISTED: Readonly<Record<string, string>> = {
  "src/cli/program.ts: error.message.replace(/^error: /, '').replace(/option '([^']+)'/, 'flag $1')":
    "commander's own words for a flag it cannot parse (a missing value, an extra argument)",
  'src/cli/program.ts: message': 'hands on the warnings of the flags of setup, logout, whoami and convert-kubeconfig',
  'src/cli/start.ts: message': "hands on the warnings of get-token's flags",
  'src/flags/login-options.ts: notice': "a deprecated flag's notice, made of the flag table (checked by itself)",
  'src/commands/logout.ts: error.message': 'a failure of a revocation that is not our error, in its own words',
  'src/flows/loopback-server.ts: String((error as Error).message ?? error)':
    'a failure of the code exchange that is not our error, in its own words',
  'src/flags/cluster-settings.ts: `${extensionOf(cluster)}: ${error.message}`':
    "a flag's own error, naming the cluster's extension it came from",
  'src/commands/whoami.ts: `${where}: ${error.message}`':
    "get-token's own error, naming the kubeconfig user it came from",
  'src/core/durations.ts: `${variable} must be a whole number of milliseconds between 1 and ${MAX_TIMER_MS}`':
    "the tests' timeout variables, which no user sets",
};

/** A fixed text is taken for the message's own when it has at least this many words. */
const DISTINCTIVE_WORDS = 3;

/** Punctuation and spaces around a fixed text, which the manual may write otherwise. */
const AROUND = /^[\s.,:;()"'=]+|[\s.,:;()"'=]+$/g;

/** A text with its spaces and line breaks made single spaces. */
const spaced = (text: string): string => text.replace(/\s+/g, ' ');

/** A fixed text without the punctuation around it. */
const trimmed = (text: string): string => spaced(text).replace(AROUND, '');

/** True when a fixed text has words enough to be the message's own. */
export function isDistinctive(text: string): boolean {
  return (
    trimmed(text)
      .split(' ')
      .filter((word) => /\p{L}/u.test(word)).length >= DISTINCTIVE_WORDS
  );
}

/** The inline code spans of a page's prose, spaces made single: where a page quotes messages. */
function quotedTexts(page: Page): string[] {
  const prose = page.text.replace(/^\s*```[\s\S]*?^\s*```/gm, '');
  // A span may run over a line break, not over a paragraph's end.
  return [...prose.matchAll(/`((?:[^`\n]|\n(?!\s*\n))+)`/g)].map((match) =>
    spaced((match[1] as string).replaceAll('\\|', '|')),
  );
}

/** A message's shape as a pattern: its fixed texts in order, anything (a `<placeholder>`, a value) in each gap. */
function shapePattern(shape: readonly string[]): RegExp | undefined {
  const literally = (text: string) =>
    spaced(text)
      .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
      .replace(/ /g, '\\s*');
  const fixed = shape.map((text, index) =>
    index === 0 ? text.replace(/^[\s.,:;()"'=]+/, '') : index === shape.length - 1 ? text.replace(AROUND, '') : text,
  );
  while (fixed.length > 0 && fixed[0] === '') fixed.shift();
  while (fixed.length > 0 && fixed[fixed.length - 1] === '') fixed.pop();
  if (!fixed.some((text) => /\p{L}/u.test(text))) return undefined;
  return new RegExp(fixed.map(literally).join('.+?'));
}

/** The key of a message in {@link MESSAGES_NOT_LISTED}. */
export const messageKey = (message: SourceMessage): string =>
  `${message.where.replace(/:\d+$/, '')}: ${message.source}`;

/**
 * Problems of messages that a page does not list: a message with fixed texts of its own (see
 * {@link isDistinctive}) needs each of them inside a code span of the page; one without needs a
 * code span that has its shape (its fixed words in order, anything in the gaps); one without a
 * fixed word needs its entry in `notListed`.
 */
export function unlistedMessageProblems(
  messages: readonly SourceMessage[],
  page: Page,
  notListed: Readonly<Record<string, string>> = MESSAGES_NOT_LISTED,
): string[] {
  const quoted = quotedTexts(page);
  const problems: string[] = [];
  for (const message of messages) {
    if (message.kind === NOTICE || notListed[messageKey(message)] !== undefined) continue;
    const own = [...new Set(message.texts.filter(isDistinctive).map(trimmed))];
    if (own.length > 0) {
      for (const text of own.filter((text) => !quoted.some((span) => span.includes(text))))
        problems.push(`${message.where}: ${page.path} quotes nowhere "${text}" (${message.kind})`);
      continue;
    }
    for (const shape of message.shapes) {
      const pattern = shapePattern(shape);
      if (pattern === undefined)
        problems.push(
          `${message.where}: ${message.source} has no fixed words of its own; list it in MESSAGES_NOT_LISTED`,
        );
      else if (!quoted.some((span) => pattern.test(span)))
        problems.push(
          `${message.where}: ${page.path} quotes no message shaped "${shape.join('<...>')}" (${message.kind})`,
        );
    }
  }
  return problems;
}

/**
 * Words of other programs' messages that troubleshooting.md quotes, each with whose they are. A
 * message of kubelogin must never be here: a removed one would then stay on the page unnoticed.
 */
export const OTHER_PROGRAMS_MESSAGES: Readonly<Record<string, string>> = {
  'argument missing': 'commander, for a flag without its value',
  'too many arguments for': 'commander, for a word that is no flag',
  'unknown command': 'commander, for a command that does not exist',
  'executable kubelogin not found': 'kubectl, for an exec block whose command is not on its PATH',
};

/** The cells of a table row, split at the bars outside code spans (`\|` stays in its cell). */
function rowCells(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let inCode = false;
  const body = line.trim().replace(/^\||\|$/g, '');
  for (let index = 0; index < body.length; index++) {
    const char = body[index] as string;
    if (char === '\\' && body[index + 1] === '|') {
      cell += '\\|';
      index++;
    } else if (char === '|' && !inCode) {
      cells.push(cell.trim());
      cell = '';
    } else {
      if (char === '`') inCode = !inCode;
      cell += char;
    }
  }
  return [...cells, cell.trim()];
}

/** The code spans of the first cell of every row of the page's tables whose first column is `message`. */
export function messageColumnQuotes(page: Page): Array<{ line: number; quote: string }> {
  const quotes: Array<{ line: number; quote: string }> = [];
  const lines = page.text.split('\n');
  let inMessageTable = false;
  for (const [index, line] of lines.entries()) {
    if (!line.startsWith('|')) continue;
    const first = rowCells(line)[0] ?? '';
    // A table's first row is its header.
    if (!(lines[index - 1] ?? '').startsWith('|')) inMessageTable = first === 'message';
    else if (inMessageTable && !/^-+$/.test(first))
      for (const quote of quotedTexts({ path: page.path, text: first })) quotes.push({ line: index + 1, quote });
  }
  return quotes;
}

/** The words of a quote besides its `<placeholders>` and `...`. */
const quotedWords = (quote: string): number =>
  quote
    .replace(/<[^<>]*>|\.\.\./g, ' ')
    .split(/\s+/)
    .filter((word) => /\p{L}/u.test(word)).length;

/**
 * Problems of messages the page quotes that src/ no longer makes: each code span with words enough
 * (see {@link isDistinctive}; shorter ones name a part, such as a variable or a flag) in the first
 * column of a message table must hold a fixed text of src/ that has words enough, or have the shape
 * of a message of src/, or hold one of `known` (messages made of data, such as the flag table's
 * deprecation notices) or words of another program's message ({@link OTHER_PROGRAMS_MESSAGES}).
 */
export function unknownQuoteProblems(
  words: SourceWords,
  page: Page,
  known: readonly string[] = [],
  otherPrograms: Readonly<Record<string, string>> = OTHER_PROGRAMS_MESSAGES,
): string[] {
  const texts = [
    ...new Set(words.literals.filter(isDistinctive).map(trimmed)),
    ...known,
    ...Object.keys(otherPrograms),
  ];
  const patterns = words.messages.flatMap((message) => message.shapes.flatMap((shape) => shapePattern(shape) ?? []));
  return messageColumnQuotes(page)
    .filter(
      ({ quote }) =>
        quotedWords(quote) >= DISTINCTIVE_WORDS &&
        !texts.some((text) => quote.includes(text)) &&
        !patterns.some((pattern) => pattern.test(quote)),
    )
    .map(({ line, quote }) => `${page.path}:${line}: \`${quote}\` is no message of src/ (nor of another program)`);
}
