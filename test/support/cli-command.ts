/**
 * How tests start the CLI under test: the only place that says it. Every run of the CLI, and
 * every kubeconfig or PATH entry that makes kubectl run it, goes through this module.
 *
 * By default the CLI is the npm build, `node <repo>/bin/kubelogin.cjs` (run by the node running
 * the tests). With KUBELOGIN_CLI=/path/to/executable in the environment, that executable (e.g. a
 * standalone build) is run directly instead, with no node in front of it.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { symlink } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The environment variable naming an executable to test instead of the npm build. */
const CLI_ENV_VARIABLE = 'KUBELOGIN_CLI';

/** The npm build's executable: what `npm install` links `kubelogin` and `kubectl-oidc_login` to. */
export const NPM_CLI_PATH = fileURLToPath(new URL('../../bin/kubelogin.cjs', import.meta.url));

/** A way to start the CLI, shaped like a kubeconfig exec block. */
export interface CliCommand {
  /** Absolute path of the program to run. */
  command: string;
  /** Arguments that come before the CLI's own (the script, when the program is node). */
  args: readonly string[];
  /** The executable file to put on PATH under the CLI's names. */
  executable: string;
  /** Directories that must be on PATH for `executable` to start, besides its own. */
  pathDirs: readonly string[];
}

/** The npm build, run by this node. `bin/kubelogin.cjs` starts with `#!/usr/bin/env node`, hence node's directory. */
export const NPM_CLI: CliCommand = {
  command: process.execPath,
  args: [NPM_CLI_PATH],
  executable: NPM_CLI_PATH,
  pathDirs: [dirname(process.execPath)],
};

/** The executable named by KUBELOGIN_CLI (resolved against the working directory); throws unless it is an executable file. */
function standaloneCli(path: string): CliCommand {
  const executable = resolve(path);
  try {
    accessSync(executable, constants.X_OK);
    if (!statSync(executable).isFile()) throw new Error('not a file');
  } catch (cause) {
    throw new Error(`${CLI_ENV_VARIABLE}=${path} is not an executable file`, { cause });
  }
  return { command: executable, args: [], executable, pathDirs: [] };
}

/** The CLI the tests run: the executable KUBELOGIN_CLI names, or the npm build when it is unset or empty. */
export const CLI: CliCommand = process.env[CLI_ENV_VARIABLE] ? standaloneCli(process.env[CLI_ENV_VARIABLE]) : NPM_CLI;

/** The program and arguments that run `cli` with the CLI arguments `args`. */
export function cliArgv(args: readonly string[], cli: CliCommand = CLI): [command: string, ...args: string[]] {
  return [cli.command, ...cli.args, ...args];
}

/**
 * Makes the CLI runnable as `name` from PATH, as a package install does: a symlink `dir/name` to
 * its executable. Returns the directories to put first on PATH: `dir` and those the executable
 * needs (node's, for the npm build).
 */
export async function linkCli(dir: string, name: string, cli: CliCommand = CLI): Promise<string[]> {
  await symlink(cli.executable, join(dir, name));
  return [dir, ...cli.pathDirs];
}
