/**
 * Checks of the manual (README.md, CONTRIBUTING.md, docs/): its YAML and
 * JSON snippets parse, the exec blocks of its kubeconfig snippets pass
 * kubelogin's own parser, every flag and command it names exists, and its
 * links between pages lead somewhere. Each check returns its problems, one
 * line each, so a test shows them all at once.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { COMMANDS } from '../../../src/cli/command-table.ts';
import { parseGetTokenFast } from '../../../src/cli/fast-parse.ts';
import { EXEC_EXTENSION_NAME, type ExecCluster } from '../../../src/core/exec-credential.ts';
import { withClusterSettings } from '../../../src/flags/cluster-settings.ts';
import { type FlagSpec, LOG_LEVEL_FLAG } from '../../../src/flags/flag-specs.ts';
import { toGetTokenOptions } from '../../../src/flags/login-options.ts';

/** The repository's root. */
export const REPOSITORY = fileURLToPath(new URL('../../../', import.meta.url));

/** One Markdown page of the manual. */
export interface Page {
  /** Relative to the repository, e.g. `docs/usage.md`. */
  path: string;
  text: string;
}

/** A fenced code block: its language (the info string's first word) and text. */
export interface CodeBlock {
  page: string;
  /** 1-based line of the opening fence. */
  line: number;
  language: string;
  text: string;
}

/** The pages of the manual: README.md, CONTRIBUTING.md and every Markdown file under docs/. */
export function manualPages(root: string = REPOSITORY): Page[] {
  const walk = (dir: string): string[] =>
    readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory() ? walk(join(dir, entry.name)) : entry.name.endsWith('.md') ? [join(dir, entry.name)] : [],
    );
  return ['README.md', 'CONTRIBUTING.md', ...walk('docs')].map((path) => ({
    path,
    text: readFileSync(join(root, path), 'utf8'),
  }));
}

/** The fenced code blocks of a page. */
export function codeBlocks(page: Page): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const lines = page.text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)/.exec(lines[i] as string);
    if (!open) continue;
    const fence = open[2] as string;
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !(lines[j] as string).trimStart().startsWith(fence)) body.push(lines[j++] as string);
    blocks.push({ page: page.path, line: i + 1, language: (open[3] ?? '').toLowerCase(), text: body.join('\n') });
    i = j;
  }
  return blocks;
}

/** Problems of the YAML and JSON snippets that do not parse. */
export function snippetParseProblems(blocks: readonly CodeBlock[]): string[] {
  const problems: string[] = [];
  for (const block of blocks) {
    const where = `${block.page}:${block.line}`;
    if (block.language === 'yaml' || block.language === 'yml') {
      for (const document of parseAllDocuments(block.text)) {
        for (const error of document.errors) problems.push(`${where}: YAML: ${error.message.split('\n')[0]}`);
      }
    } else if (block.language === 'json') {
      try {
        JSON.parse(block.text);
      } catch (error) {
        problems.push(`${where}: JSON: ${(error as Error).message}`);
      }
    }
  }
  return problems;
}

/** An exec block found in a YAML snippet: `command` and `args` of a kubeconfig user's `exec`. */
export interface ExecBlock {
  where: string;
  command: string;
  args: string[];
  /**
   * With `provideClusterInfo: true`, the clusters of the same document as kubectl would hand each
   * to the plugin (server and exec extension), so that the block is checked as each cluster runs it.
   */
  clusters?: ExecCluster[];
}

/** The clusters of a kubeconfig document, as kubectl sends them in `spec.cluster`. */
function clustersOf(document: unknown): ExecCluster[] {
  const clusters = (document as { clusters?: unknown } | null)?.clusters;
  if (!Array.isArray(clusters)) return [];
  return clusters.map((entry: { cluster?: { server?: unknown; extensions?: unknown } }) => {
    const extensions = Array.isArray(entry?.cluster?.extensions) ? entry.cluster.extensions : [];
    const extension = extensions.find((item: { name?: unknown }) => item?.name === EXEC_EXTENSION_NAME);
    return { server: String(entry?.cluster?.server), config: extension?.extension };
  });
}

/** Every `exec: {command, args}` in the YAML snippets, wherever it sits. */
export function execBlocks(blocks: readonly CodeBlock[]): ExecBlock[] {
  const found: ExecBlock[] = [];
  const visit = (node: unknown, where: string, clusters: ExecCluster[]): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item, where, clusters);
    } else if (node !== null && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === 'exec' && value !== null && typeof value === 'object' && 'command' in value) {
          const exec = value as { command: unknown; args?: unknown; provideClusterInfo?: unknown };
          found.push({
            where,
            command: String(exec.command),
            args: Array.isArray(exec.args) ? exec.args.map(String) : [],
            ...(exec.provideClusterInfo === true && clusters.length > 0 ? { clusters } : {}),
          });
        }
        visit(value, where, clusters);
      }
    }
  };
  for (const block of blocks) {
    if (block.language !== 'yaml' && block.language !== 'yml') continue;
    for (const document of parseAllDocuments(block.text)) {
      const content: unknown = document.toJS();
      visit(content, `${block.page}:${block.line}`, clustersOf(content));
    }
  }
  return found;
}

/** The executables that run kubelogin in an exec block. */
const KUBELOGIN_COMMANDS = new Set(['kubelogin', 'kubectl-oidc_login']);

/**
 * Problems of exec blocks that kubelogin would not run: the command is not kubelogin (nor kubectl
 * oidc-login), the first argument is no command, or get-token's parser refuses the arguments,
 * their conversion fails, or they use a flag that is only accepted with a warning.
 */
export function execBlockProblems(execs: readonly ExecBlock[]): string[] {
  const problems: string[] = [];
  for (const { where, command, args, clusters } of execs) {
    const name = basename(command);
    let cliArgs: string[];
    if (KUBELOGIN_COMMANDS.has(name)) cliArgs = args;
    else if (name === 'kubectl' && args[0] === 'oidc-login') cliArgs = args.slice(1);
    else {
      problems.push(`${where}: the exec block runs ${command}, not kubelogin`);
      continue;
    }
    if (cliArgs[0] !== 'get-token') {
      problems.push(`${where}: the exec block runs ${cliArgs[0] ?? 'nothing'}, not get-token`);
      continue;
    }
    const parsed = parseGetTokenFast(cliArgs);
    if (parsed === undefined) {
      problems.push(`${where}: get-token's parser refuses ${cliArgs.slice(1).join(' ')}`);
      continue;
    }
    const warnings: string[] = [];
    for (const cluster of clusters ?? [undefined]) {
      try {
        toGetTokenOptions(
          withClusterSettings(parsed.flags, cluster),
          { env: { HOME: '/home/someone' }, platform: 'linux' },
          (message) => warnings.push(message),
        );
      } catch (error) {
        problems.push(`${where}${cluster ? ` (cluster ${cluster.server})` : ''}: ${(error as Error).message}`);
      }
    }
    for (const warning of warnings) problems.push(`${where}: warns: ${warning}`);
  }
  return problems;
}

/** Every flag kubelogin takes, by its long name with `--` (hidden ones too: the docs may name them). */
export function kubeloginFlags(): Set<string> {
  const specs: FlagSpec[] = [LOG_LEVEL_FLAG, ...COMMANDS.flatMap((command) => command.flags as readonly FlagSpec[])];
  // Commander's own: the help of every command, and the version.
  return new Set([...specs.map((spec) => `--${spec.name}`), '--help', '--version']);
}

/**
 * Flags of other programs that the manual names, each with whose it is. A flag of kubelogin must
 * never be here: a renamed flag would then pass unnoticed.
 */
export const OTHER_PROGRAMS_FLAGS: Readonly<Record<string, string>> = {
  '--authentication-config': 'kube-apiserver',
  '--oidc-username-claim': 'kube-apiserver',
  '--oidc-groups-claim': 'kube-apiserver',
  '--oidc-ca-file': 'kube-apiserver',
  '--oidc-required-claim': 'kube-apiserver',
  '--exec-api-version': 'kubectl config set-credentials',
  '--exec-interactive-mode': 'kubectl config set-credentials',
  '--exec-command': 'kubectl config set-credentials',
  '--exec-arg': 'kubectl config set-credentials',
  '--current': 'kubectl config set-context',
  '--manifest': 'kubectl krew install, winget install',
  '--archive': 'kubectl krew install',
  '--enable': 'winget settings',
  '--global': 'npm install',
  '--provenance': 'npm publish',
  '--check': 'sha256sum',
  '--ignore-missing': 'sha256sum',
  '--force': 'codesign',
  '--options': 'codesign',
  '--timestamp': 'codesign',
  '--sign': 'codesign',
  '--entitlements': 'codesign',
  '--display': 'codesign',
  '--keychain-profile': 'xcrun notarytool',
  '--wait': 'xcrun notarytool',
  '--import': 'node',
  '--test': 'node',
  '--out': 'npm run release',
  '--tag': 'npm run release',
  '--headless': 'npm run demo',
  '--flag': 'the manual: a placeholder for any flag',
  '--x': 'the manual: a placeholder for an unknown flag',
};

/**
 * `--name` (and `--exec-arg=--name`'s inner flag) wherever it stands, code or prose; not a family
 * such as `--oidc-*`.
 */
const FLAG = /(?<![\w-])--([a-z][a-z0-9]*(?:-[a-z0-9]+)*)(?![a-z0-9]|-\*)/g;

/** Problems of flags named in a page that neither kubelogin nor a program of {@link OTHER_PROGRAMS_FLAGS} takes. */
export function unknownFlagProblems(pages: readonly Page[], known: ReadonlySet<string> = kubeloginFlags()): string[] {
  const problems: string[] = [];
  for (const page of pages) {
    for (const [index, line] of page.text.split('\n').entries()) {
      for (const match of line.matchAll(FLAG)) {
        const flag = match[0];
        if (!known.has(flag) && OTHER_PROGRAMS_FLAGS[flag] === undefined)
          problems.push(`${page.path}:${index + 1}: ${flag} is no flag of kubelogin (nor of another program named)`);
      }
    }
  }
  return problems;
}

/**
 * `kubelogin <word>`, `kubectl-oidc_login <word>` or `kubectl oidc-login <word>` where a command
 * starts in code: at the start of a line or span, or after `(`, `|`, `;` or `&&`.
 */
const COMMAND_USE =
  /(?:^|[(|;&])[ \t]*(?:kubelogin|kubectl-oidc_login|kubectl oidc-login)[ \t]+([a-z][a-z-]*)(?=[\s`|;)]|$)/gm;

/** The code of a page: its code blocks and its inline code spans. */
function codeOf(page: Page): string[] {
  const spans = page.text
    .split(/^\s*```[\s\S]*?^\s*```/m)
    .flatMap((prose) => [...prose.matchAll(/`([^`\n]+)`/g)].map((match) => match[1] as string));
  return [...codeBlocks(page).map((block) => block.text), ...spans];
}

/** Problems of commands named in code (`kubelogin <command>`) that kubelogin does not have. */
export function unknownCommandProblems(pages: readonly Page[]): string[] {
  const commands = new Set<string>([...COMMANDS.map((command) => command.name), 'help']);
  const problems: string[] = [];
  for (const page of pages) {
    for (const code of codeOf(page)) {
      for (const match of code.matchAll(COMMAND_USE)) {
        const word = match[1] as string;
        if (!commands.has(word)) problems.push(`${page.path}: \`${match[0].trim()}\` names no command of kubelogin`);
      }
    }
  }
  return problems;
}

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces as dashes. */
function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** Problems of relative links that lead to no file, or to no heading of it. */
export function brokenLinkProblems(pages: readonly Page[], root: string = REPOSITORY): string[] {
  const anchors = new Map<string, Set<string>>();
  const headingsOf = (path: string): Set<string> => {
    let found = anchors.get(path);
    if (found === undefined) {
      const text = readFileSync(join(root, path), 'utf8').replace(/^\s*```[\s\S]*?^\s*```/gm, '');
      found = new Set([...text.matchAll(/^#{1,6} (.+)$/gm)].map((match) => anchorOf(match[1] as string)));
      anchors.set(path, found);
    }
    return found;
  };
  const problems: string[] = [];
  for (const page of pages) {
    const prose = page.text.replace(/^\s*```[\s\S]*?^\s*```/gm, '');
    for (const match of prose.matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = match[1] as string;
      if (/^[a-z]+:/.test(target)) continue;
      const [file, anchor] = target.split('#') as [string, string | undefined];
      const path = file === '' ? page.path : relative(root, resolve(root, dirname(page.path), file));
      if (!existsSync(join(root, path))) {
        problems.push(`${page.path}: the link ${target} leads to no file`);
        continue;
      }
      if (anchor !== undefined && path.endsWith('.md') && !headingsOf(path).has(anchor))
        problems.push(`${page.path}: the link ${target} leads to no heading of ${path}`);
    }
  }
  return problems;
}
