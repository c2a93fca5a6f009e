/**
 * What every command runs with: the world and the logger.
 */
import type { Deps } from '../deps.ts';
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
    context.logger.warn(`log level ${level} may show URLs, claims and provider responses; tokens and secrets are redacted`);
  }
  return context.logger;
}
