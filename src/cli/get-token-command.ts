/**
 * Starts get-token from parsed flags, whichever parser read them.
 */
import { runGetToken } from '../commands/get-token.ts';
import { type RawGetTokenFlags, toGetTokenOptions } from '../flags/login-options.ts';
import { type RunContext, startLogging } from './start.ts';

/** Converts the flags and runs get-token. */
export async function startGetToken(flags: RawGetTokenFlags, logLevel: number, context: RunContext): Promise<void> {
  const logger = startLogging(context, logLevel);
  const options = toGetTokenOptions(flags, logLevel, context.deps.env, (message) => logger.warn(message));
  logger.redactor.add(options.provider.clientSecret, options.password);
  await runGetToken(options, context.deps, logger);
}
