/**
 * Conversion of whoami's flags into WhoamiOptions.
 */
import { UsageError } from '../core/errors.ts';
import { type GetTokenOptions, WHOAMI_OUTPUTS, type WhoamiOptions, type WhoamiOutput } from '../core/options.ts';
import { expandHome } from '../core/paths.ts';

/** Parsed values of whoami's flags. */
export interface RawWhoamiFlags {
  kubeconfig?: string;
  context?: string;
  output?: string;
  login?: boolean;
}

/** Converts and validates whoami's flags; `getTokenOptionsOf` reads an exec user's arguments by the flag table. */
export function toWhoamiOptions(
  raw: RawWhoamiFlags,
  env: NodeJS.ProcessEnv,
  getTokenOptionsOf: (args: readonly string[]) => GetTokenOptions | undefined,
): WhoamiOptions {
  const output = raw.output ?? 'text';
  if (!(WHOAMI_OUTPUTS as readonly string[]).includes(output)) {
    throw new UsageError(`-o/--output takes ${WHOAMI_OUTPUTS.join(' or ')}, got ${JSON.stringify(output)}`);
  }
  return {
    kubeconfig: raw.kubeconfig ? expandHome(raw.kubeconfig, env) : undefined,
    context: raw.context || undefined,
    output: output as WhoamiOutput,
    login: raw.login ?? false,
    getTokenOptionsOf,
  };
}
