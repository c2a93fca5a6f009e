/**
 * The commands, as data: each command's name, what it does and its flag
 * table, written once. The commander program, shell completion
 * (`__complete`) and docs/usage.md (`npm run docs`) are made from it.
 */
import { CLEAN_FLAGS, CONVERT_FLAGS, LOGOUT_FLAGS, SETUP_FLAGS, WHOAMI_FLAGS } from '../flags/command-flags.ts';
import { type FlagSpec, GET_TOKEN_FLAGS } from '../flags/flag-specs.ts';

/** The shells `kubelogin completion` writes a script for. */
export const COMPLETION_SHELLS = ['bash', 'zsh', 'fish', 'powershell'] as const;
/** One of the shells of {@link COMPLETION_SHELLS}. */
export type CompletionShell = (typeof COMPLETION_SHELLS)[number];

/** A positional argument of a command, one of a fixed set of words. */
export interface CommandArgument {
  /** Placeholder in help, such as `<shell>`. */
  readonly name: string;
  readonly description: string;
  readonly choices: readonly string[];
}

/** One command of the program. */
export interface CommandEntry {
  readonly name: string;
  /** One line; Markdown code spans allowed. */
  readonly description: string;
  readonly flags: readonly FlagSpec[];
  readonly argument?: CommandArgument;
}

/** Every command, in the order the help lists them. */
export const COMMANDS = [
  {
    name: 'get-token',
    description: 'Print an ExecCredential for kubectl (the credential plugin)',
    flags: GET_TOKEN_FLAGS,
  },
  {
    name: 'setup',
    description: 'Log in once, show the claims and checks, and print the configuration to use',
    flags: SETUP_FLAGS,
  },
  {
    name: 'logout',
    description:
      "Revoke the cached tokens at the provider and delete them (get-token's flags select the entry; `--all` takes every one)",
    flags: LOGOUT_FLAGS,
  },
  {
    name: 'whoami',
    description: "Show who the context's token says you are and who the cluster says you are (SelfSubjectReview)",
    flags: WHOAMI_FLAGS,
  },
  {
    name: 'clean',
    description:
      'Delete the cached tokens from this machine only (they stay valid at the provider: use `logout` to revoke them)',
    flags: CLEAN_FLAGS,
  },
  {
    name: 'convert-kubeconfig',
    description: 'Convert users of the removed `auth-provider: oidc` into kubelogin exec users, keeping their tokens',
    flags: CONVERT_FLAGS,
  },
  {
    name: 'completion',
    description: 'Print the shell completion script of kubelogin and kubectl-oidc_login',
    flags: [],
    argument: { name: '<shell>', description: 'The shell to complete in', choices: COMPLETION_SHELLS },
  },
  { name: 'version', description: 'Print the version', flags: [] },
] as const satisfies readonly CommandEntry[];

/** The name of a command of {@link COMMANDS}. */
export type CommandName = (typeof COMMANDS)[number]['name'];

/** The entry of a command. */
export function commandEntry(name: CommandName): CommandEntry {
  const entry = COMMANDS.find((command) => command.name === name);
  if (entry === undefined) throw new Error(`no command ${name}`);
  return entry;
}
