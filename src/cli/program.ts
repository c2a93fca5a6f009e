/**
 * The commander program: every command, help and parse errors. Loaded only
 * when the fast parser of the cache-hit path leaves the arguments to it.
 */
import { Argument, Command, CommanderError, Option } from 'commander';
import { UsageError } from '../core/errors.ts';
import { tokenCacheDirFrom } from '../core/paths.ts';
import { withClusterSettings } from '../flags/cluster-settings.ts';
import type { CLEAN_FLAGS } from '../flags/command-flags.ts';
import { type RawConvertFlags, toConvertOptions } from '../flags/convert-options.ts';
import { helpText, plainText } from '../flags/flag-help.ts';
import { attributeName, type FlagSpec, LOG_LEVEL_FLAG, parserFor, type RawFlags } from '../flags/flag-specs.ts';
import { logLevelValue } from '../flags/flag-values.ts';
import { toGetTokenOptions } from '../flags/login-options.ts';
import { type RawLogoutFlags, toLogoutOptions } from '../flags/logout-options.ts';
import { type RawSetupFlags, toSetupOptions } from '../flags/setup-options.ts';
import { type RawWhoamiFlags, toWhoamiOptions } from '../flags/whoami-options.ts';
import { type CommandName, type CompletionShell, commandEntry } from './command-table.ts';
import { parseGetTokenFast } from './fast-parse.ts';
import { type RunContext, startGetToken, startLogging } from './start.ts';
import { VERSION } from './version.ts';

/** Commander reports its own parse errors; this maps them to kubelogin's wording. */
function toUsageError(error: CommanderError): UsageError {
  // Name only: the value after `=` may be a secret given to a misspelt flag.
  const unknown = /unknown option '([^'=]+)/.exec(error.message);
  if (unknown) return new UsageError(`unknown flag: ${unknown[1]}`);
  return new UsageError(error.message.replace(/^error: /, '').replace(/option '([^']+)'/, 'flag $1'));
}

/** The names of a flag for commander: `--name`, or `-s, --name` with a short form. */
function optionNames(spec: FlagSpec): string {
  return spec.short === undefined ? `--${spec.name}` : `-${spec.short}, --${spec.name}`;
}

/** The commander option of a flag spec. Booleans take an optional `=true|false`. */
function toOption(spec: FlagSpec): Option {
  const flags =
    spec.kind === 'bool' ? `${optionNames(spec)} [bool]` : `${optionNames(spec)} ${spec.value ?? '<value>'}`;
  const option = new Option(flags, helpText(spec)).argParser(parserFor(spec));
  // Commander reads `--no-x` as the negation of `--x`; here it is a flag of its own, stored as `noX` like the others.
  if (spec.name.startsWith('no-')) option.negate = false;
  // Commander lists the choices in the help; the parser, set again after them, words the error.
  if (spec.kind === 'choice') option.choices(spec.choices).argParser(parserFor(spec));
  if (spec.hidden) option.hideHelp();
  if (attributeName(spec.name) !== option.attributeName())
    throw new Error(`flag ${spec.name} is stored under an unexpected name`);
  return option;
}

/** Adds a command of the command table to the program: its description, positional argument and flags. */
function addCommand(program: Command, name: CommandName): Command {
  const entry = commandEntry(name);
  const command = program.command(name).description(plainText(entry.description));
  if (entry.argument !== undefined) {
    command.addArgument(new Argument(entry.argument.name, entry.argument.description).choices(entry.argument.choices));
  }
  for (const spec of entry.flags) command.addOption(toOption(spec));
  return command;
}

/** Builds the program. */
export function buildProgram(context: RunContext): Command {
  const { deps } = context;
  const program = new Command('kubelogin')
    .description('Login to an OpenID Connect provider for kubectl')
    .version(`kubelogin version ${VERSION}`, '--version', 'Print the version')
    .addOption(
      new Option(`${optionNames(LOG_LEVEL_FLAG)} ${LOG_LEVEL_FLAG.value}`, plainText(LOG_LEVEL_FLAG.description))
        .argParser(logLevelValue)
        .default(LOG_LEVEL_FLAG.default),
    )
    .configureHelp({ showGlobalOptions: true })
    .exitOverride()
    .configureOutput({
      writeOut: (text) => deps.stdout.write(text),
      writeErr: () => undefined,
      outputError: () => undefined,
    });
  const logLevel = (): number => program.opts<{ v: number }>().v;

  addCommand(program, 'get-token').action(async (flags) => startGetToken(flags, logLevel(), context));

  addCommand(program, 'setup').action(async (flags: RawSetupFlags) => {
    const logger = startLogging(context, logLevel());
    const options = toSetupOptions(flags, deps, (message) => logger.warn(message));
    logger.redactor.add(options.provider.clientSecret, flags.password);
    const { runSetup } = await import('../commands/setup.ts');
    await runSetup(options, deps, logger);
  });

  addCommand(program, 'logout').action(async (flags: RawLogoutFlags) => {
    const logger = startLogging(context, logLevel());
    const options = toLogoutOptions(flags, deps, (message) => logger.warn(message));
    logger.redactor.add(
      options.target?.provider.clientSecret,
      options.transport.credentialsFor?.clientSecret,
      flags.password,
    );
    const { runLogout } = await import('../commands/logout.ts');
    await runLogout(options, deps, logger);
  });

  addCommand(program, 'whoami').action(async (flags: RawWhoamiFlags) => {
    const logger = startLogging(context, logLevel());
    const warn = (message: string): void => logger.warn(message);
    const options = toWhoamiOptions(flags, deps, (args, cluster, env) => {
      const parsed = parseGetTokenFast(['get-token', ...args]);
      if (parsed === undefined) return undefined;
      const merged = withClusterSettings(parsed.flags, cluster);
      logger.redactor.add(merged.oidcClientSecret, merged.password);
      return toGetTokenOptions(merged, { ...deps, env }, warn);
    });
    const { runWhoami } = await import('../commands/whoami.ts');
    await runWhoami(options, deps, logger);
  });

  addCommand(program, 'clean').action(async (flags: RawFlags<typeof CLEAN_FLAGS>) => {
    const logger = startLogging(context, logLevel());
    const { runClean } = await import('../commands/clean.ts');
    await runClean(tokenCacheDirFrom(flags.tokenCacheDir, deps), deps, logger);
  });

  addCommand(program, 'convert-kubeconfig').action(async (flags: RawConvertFlags) => {
    const logger = startLogging(context, logLevel());
    const { runConvertKubeconfig } = await import('../commands/convert-kubeconfig.ts');
    await runConvertKubeconfig(
      toConvertOptions(flags, deps, (message) => logger.warn(message)),
      deps,
      logger,
    );
  });

  addCommand(program, 'completion').action(async (shell: CompletionShell) => {
    const { completionScript } = await import('./completion-scripts.ts');
    deps.stdout.write(completionScript(shell));
  });

  addCommand(program, 'version').action(() => {
    deps.stdout.write(`kubelogin version ${VERSION}\n`);
  });

  return program;
}

/** Parses the arguments and runs the chosen command; parse errors become UsageErrors. */
export async function runProgram(context: RunContext): Promise<void> {
  const program = buildProgram(context);
  if (context.deps.argv.length === 0) {
    program.outputHelp();
    return;
  }
  try {
    await program.parseAsync(context.deps.argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end the parse with a zero exit code.
      if (error.exitCode === 0) return;
      throw toUsageError(error);
    }
    throw error;
  }
}
