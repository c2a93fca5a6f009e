/**
 * Shell completion: `kubelogin __complete <words...> <word being typed>`
 * answers with the commands, flags and flag values that fit, from the command
 * and flag tables. The answer speaks cobra's `__complete` protocol, which
 * kubectl (1.26+) relays for a plugin's `kubectl_complete-<plugin>`: one
 * candidate per line (`value<TAB>description`), then `:<directive>`. The
 * scripts of `kubelogin completion <shell>` ask the same way.
 */
import type { Deps } from '../deps.ts';
import { plainText } from '../flags/flag-help.ts';
import { type FlagSpec, LOG_LEVEL_FLAG } from '../flags/flag-specs.ts';
import { COMMANDS, type CommandEntry } from './command-table.ts';

/** Cobra's directives: bits telling the shell what to do besides offering the candidates. */
export const DIRECTIVE = {
  /** Offer the candidates; with none, complete file names. */
  default: 0,
  /** Something is wrong: offer nothing. */
  error: 1,
  /** Add no space after the candidate. */
  noSpace: 2,
  /** With no candidates, offer no file names either. */
  noFileComp: 4,
  /** Complete directory names only. */
  filterDirs: 16,
} as const;

/** One candidate for the word being typed. */
export interface Candidate {
  value: string;
  description?: string;
}

/** The answer to a completion request. */
export interface Completion {
  candidates: Candidate[];
  /** A sum of {@link DIRECTIVE} bits. */
  directive: number;
}

/** The placeholder of flags whose value is a file name, and of those whose value is a directory. */
const FILE_VALUE = '<file>';
const DIRECTORY_VALUE = '<dir>';
/** Values of a boolean flag written `--flag=<value>`. */
const BOOLEAN_VALUES = ['true', 'false'];
/** Flag kinds that may be given more than once, so they are offered again after their first use. */
const REPEATABLE_KINDS: ReadonlySet<FlagSpec['kind']> = new Set(['list', 'repeat', 'numbers', 'map']);

/** The long and short names a flag is written with. */
function namesOf(spec: FlagSpec): string[] {
  return spec.short === undefined ? [`--${spec.name}`] : [`--${spec.name}`, `-${spec.short}`];
}

/** The flag that `name` (`--name` or `-s`, without a value) stands for among `specs`. */
function findFlag(specs: readonly FlagSpec[], name: string): FlagSpec | undefined {
  return specs.find((spec) => namesOf(spec).includes(name));
}

/** The candidates that start with what was typed. */
function matching(candidates: readonly Candidate[], typed: string): Candidate[] {
  return candidates.filter((candidate) => candidate.value.startsWith(typed));
}

/** The values a flag may take, or what the shell should complete instead. */
function valuesOf(spec: FlagSpec, typed: string, withEquals: boolean): Completion {
  if (spec.kind === 'choice') {
    return {
      candidates: matching(
        spec.choices.map((value) => ({ value })),
        typed,
      ),
      directive: DIRECTIVE.noFileComp,
    };
  }
  if (spec.kind === 'bool' && withEquals) {
    return {
      candidates: matching(
        BOOLEAN_VALUES.map((value) => ({ value })),
        typed,
      ),
      directive: DIRECTIVE.noFileComp,
    };
  }
  if (spec.value === FILE_VALUE) return { candidates: [], directive: DIRECTIVE.default };
  if (spec.value === DIRECTORY_VALUE) return { candidates: [], directive: DIRECTIVE.filterDirs };
  return { candidates: [], directive: DIRECTIVE.noFileComp };
}

/** The flags of a command not given yet (or repeatable), hidden ones left out, as candidates for `typed`. */
function flagCandidates(specs: readonly FlagSpec[], given: ReadonlySet<string>, typed: string): Completion {
  const offered = specs.filter(
    (spec) => !spec.hidden && (REPEATABLE_KINDS.has(spec.kind) || !namesOf(spec).some((name) => given.has(name))),
  );
  const candidates = offered.flatMap((spec) =>
    namesOf(spec)
      // A short name is offered only to a word of one dash.
      .filter((name) => name.startsWith('--') || (typed.startsWith('-') && !typed.startsWith('--')))
      .map((value) => ({ value, description: plainText(spec.description) })),
  );
  return { candidates: matching(candidates, typed), directive: DIRECTIVE.noFileComp };
}

/** What completes `typed` among the flags `specs` and positional `choices`, after the arguments `args`. */
function completeAmong(
  specs: readonly FlagSpec[],
  choices: readonly Candidate[],
  args: readonly string[],
  typed: string,
): Completion {
  // `--flag=<typed value>`
  const equals = typed.indexOf('=');
  if (typed.startsWith('-') && equals !== -1) {
    const spec = findFlag(specs, typed.slice(0, equals));
    if (spec === undefined) return { candidates: [], directive: DIRECTIVE.noFileComp };
    return valuesOf(spec, typed.slice(equals + 1), true);
  }
  // `--flag <typed value>`
  const previous = args.at(-1);
  if (previous?.startsWith('-') && !previous.includes('=')) {
    const spec = findFlag(specs, previous);
    if (spec !== undefined && spec.kind !== 'bool') return valuesOf(spec, typed, false);
  }
  const given = new Set(args.map((arg) => arg.split('=', 1)[0] as string));
  if (typed.startsWith('-') || choices.length === 0) return flagCandidates(specs, given, typed);
  return { candidates: matching(choices, typed), directive: DIRECTIVE.noFileComp };
}

/** The words that are neither a flag nor a flag's value: the command, then its positional arguments. */
function positionals(specs: readonly FlagSpec[], args: readonly string[]): string[] {
  const words: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (!arg.startsWith('-')) {
      words.push(arg);
      continue;
    }
    if (arg.includes('=')) continue;
    const spec = findFlag(specs, arg);
    // The next word is this flag's value (`-v1` carries its own).
    if (spec !== undefined && spec.kind !== 'bool' && namesOf(spec).includes(arg)) i++;
  }
  return words;
}

/** The completion of `typed`, the word being typed, after the words `args` that follow the program's name. */
export function complete(args: readonly string[], typed: string): Completion {
  const rootFlags: readonly FlagSpec[] = [LOG_LEVEL_FLAG];
  const commandName = positionals(rootFlags, args)[0];
  if (commandName === undefined) {
    const commands = COMMANDS.map((command) => ({ value: command.name, description: plainText(command.description) }));
    return completeAmong(rootFlags, commands, args, typed);
  }
  const command: CommandEntry | undefined = COMMANDS.find((entry) => entry.name === commandName);
  if (command === undefined) return { candidates: [], directive: DIRECTIVE.noFileComp };
  const specs = [...command.flags, LOG_LEVEL_FLAG];
  const after = args.slice(args.indexOf(commandName) + 1);
  const given = positionals(specs, after);
  const argument = command.argument;
  const choices =
    argument !== undefined && given.length === 0 ? argument.choices.map((value) => ({ value })) : ([] as Candidate[]);
  return completeAmong(specs, choices, after, typed);
}

/** The answer in cobra's protocol: `value<TAB>description` lines, then `:<directive>`. */
export function formatCompletion({ candidates, directive }: Completion): string {
  const lines = candidates.map(({ value, description }) =>
    description === undefined ? value : `${value}\t${description.replaceAll(/\s+/g, ' ')}`,
  );
  return `${[...lines, `:${directive}`].join('\n')}\n`;
}

/** Answers `__complete <words...> <word being typed>` (the arguments after `__complete`) on stdout. */
export function runComplete(words: readonly string[], deps: Deps): void {
  deps.stdout.write(formatCompletion(complete(words.slice(0, -1), words.at(-1) ?? '')));
}
