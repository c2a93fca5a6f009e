/**
 * What every command runs with (the world and the logger), and the start of
 * get-token from parsed flags, whichever parser read them.
 */
import { runGetToken } from '../commands/get-token.ts';
import { EXEC_INFO_VARIABLE, parseExecInfo } from '../core/exec-credential.ts';
import type { Deps } from '../deps.ts';
import { withClusterSettings } from '../flags/cluster-settings.ts';
import { type RawGetTokenFlags, toGetTokenOptions } from '../flags/login-options.ts';
import type { Logger } from '../io/logger.ts';

/** State shared by the parsers, the commands and main's error reporting. */
export interface RunContext {
  deps: Deps;
  logger: Logger;
}

/** Replaces the logger once `-v` is known; from level 1 on, warns once that logs show details. */
export function startLogging(context: RunContext, level: number): Logger {
  context.logger = context.logger.withLevel(level);
  if (level >= 1) {
    context.logger.warn(
      `log level ${level} may show URLs, claims and provider responses; tokens and secrets are redacted`,
    );
  }
  return context.logger;
}

/**
 * Reads what kubectl says (KUBERNETES_EXEC_INFO), fills in the flags the
 * cluster's settings give (with `provideClusterInfo: true`), converts them
 * and runs get-token.
 */
export async function startGetToken(flags: RawGetTokenFlags, logLevel: number, context: RunContext): Promise<void> {
  const logger = startLogging(context, logLevel);
  const execInfo = parseExecInfo(context.deps.env[EXEC_INFO_VARIABLE]);
  const merged = withClusterSettings(flags, execInfo.cluster);
  logger.redactor.add(merged.oidcClientSecret, merged.password);
  const options = toGetTokenOptions(merged, context.deps, (message) => logger.warn(message));
  await runGetToken(options, execInfo, context.deps, logger);
}
