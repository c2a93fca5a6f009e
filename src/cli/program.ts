/**
 * The commander program: every command, help and parse errors. Loaded only
 * when the fast parser of the cache-hit path leaves the arguments to it.
 */
import { Command, CommanderError, Option } from 'commander';
import { UsageError } from '../core/errors.ts';
import { tokenCacheDirFrom } from '../core/paths.ts';
import { CLEAN_FLAGS, CONVERT_FLAGS, LOGOUT_FLAGS, SETUP_FLAGS, WHOAMI_FLAGS } from '../flags/command-flags.ts';
import { type RawConvertFlags, toConvertOptions } from '../flags/convert-options.ts';
import { helpText, plainText } from '../flags/flag-help.ts';
import {
  attributeName,
  type FlagSpec,
  GET_TOKEN_FLAGS,
  LOG_LEVEL_FLAG,
  parserFor,
  type RawFlags,
} from '../flags/flag-specs.ts';
import { logLevelValue } from '../flags/flag-values.ts';
import { toGetTokenOptions } from '../flags/login-options.ts';
import { type RawLogoutFlags, toLogoutOptions } from '../flags/logout-options.ts';
import { type RawSetupFlags, toSetupOptions } from '../flags/setup-options.ts';
import { type RawWhoamiFlags, toWhoamiOptions } from '../flags/whoami-options.ts';
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
  // Commander lists the choices in the help; the parser, set again after them, words the error.
  if (spec.kind === 'choice') option.choices(spec.choices).argParser(parserFor(spec));
  if (spec.hidden) option.hideHelp();
  if (attributeName(spec.name) !== option.attributeName())
    throw new Error(`flag ${spec.name} is stored under an unexpected name`);
  return option;
}

/** Adds the flags of a table to a command. */
function addFlags(command: Command, specs: readonly FlagSpec[]): Command {
  for (const spec of specs) command.addOption(toOption(spec));
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

  addFlags(
    program.command('get-token').description('Print an ExecCredential for kubectl (the credential plugin)'),
    GET_TOKEN_FLAGS,
  ).action(async (flags) => startGetToken(flags, logLevel(), context));

  addFlags(
    program.command('setup').description('Log in once, show the claims and checks, and print the configuration to use'),
    SETUP_FLAGS,
  ).action(async (flags: RawSetupFlags) => {
    const logger = startLogging(context, logLevel());
    const options = toSetupOptions(flags, deps.env, (message) => logger.warn(message));
    logger.redactor.add(options.provider.clientSecret, flags.password);
    const { runSetup } = await import('../commands/setup.ts');
    await runSetup(options, deps, logger);
  });

  addFlags(
    program
      .command('logout')
      .description(
        "Revoke the cached tokens at the provider and delete them (get-token's flags select the entry; --all takes every one)",
      ),
    LOGOUT_FLAGS,
  ).action(async (flags: RawLogoutFlags) => {
    const logger = startLogging(context, logLevel());
    const options = toLogoutOptions(flags, deps.env, (message) => logger.warn(message));
    logger.redactor.add(
      options.target?.provider.clientSecret,
      options.transport.credentialsFor?.clientSecret,
      flags.password,
    );
    const { runLogout } = await import('../commands/logout.ts');
    await runLogout(options, deps, logger);
  });

  addFlags(
    program
      .command('whoami')
      .description("Show who the context's token says you are and who the cluster says you are (SelfSubjectReview)"),
    WHOAMI_FLAGS,
  ).action(async (flags: RawWhoamiFlags) => {
    const logger = startLogging(context, logLevel());
    const warn = (message: string): void => logger.warn(message);
    const options = toWhoamiOptions(flags, deps.env, (args, env) => {
      const parsed = parseGetTokenFast(['get-token', ...args]);
      if (parsed === undefined) return undefined;
      const getToken = toGetTokenOptions(parsed.flags, env, warn);
      logger.redactor.add(getToken.provider.clientSecret, parsed.flags.password);
      return getToken;
    });
    const { runWhoami } = await import('../commands/whoami.ts');
    await runWhoami(options, deps, logger);
  });

  addFlags(
    program
      .command('clean')
      .description(
        'Delete the cached tokens from this machine only (they stay valid at the provider: use logout to revoke them)',
      ),
    CLEAN_FLAGS,
  ).action(async (flags: RawFlags<typeof CLEAN_FLAGS>) => {
    const logger = startLogging(context, logLevel());
    const { runClean } = await import('../commands/clean.ts');
    await runClean(tokenCacheDirFrom(flags.tokenCacheDir, deps.env), deps, logger);
  });

  addFlags(
    program
      .command('convert-kubeconfig')
      .description('Convert users of the removed auth-provider oidc into kubelogin exec users, keeping their tokens'),
    CONVERT_FLAGS,
  ).action(async (flags: RawConvertFlags) => {
    const logger = startLogging(context, logLevel());
    const { runConvertKubeconfig } = await import('../commands/convert-kubeconfig.ts');
    await runConvertKubeconfig(
      toConvertOptions(flags, deps.env, (message) => logger.warn(message)),
      deps,
      logger,
    );
  });

  program
    .command('version')
    .description('Print the version')
    .action(() => {
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
