/**
 * Conversion of whoami's flags into WhoamiOptions.
 */
import type { GetTokenOptions, WhoamiOptions } from '../core/options.ts';
import { expandHome } from '../core/paths.ts';
import { WHOAMI_FLAGS } from './command-flags.ts';
import { defaultsOf, type RawFlags } from './flag-specs.ts';

/** Parsed values of whoami's flags. */
export type RawWhoamiFlags = RawFlags<typeof WHOAMI_FLAGS>;

/** The defaults of whoami's flags. */
const DEFAULTS = defaultsOf(WHOAMI_FLAGS);

/** Converts and validates whoami's flags; `getTokenOptionsOf` reads an exec user's arguments by the flag table. */
export function toWhoamiOptions(
  raw: RawWhoamiFlags,
  env: NodeJS.ProcessEnv,
  getTokenOptionsOf: (args: readonly string[], env: NodeJS.ProcessEnv) => GetTokenOptions | undefined,
): WhoamiOptions {
  return {
    kubeconfig: raw.kubeconfig ? expandHome(raw.kubeconfig, env) : undefined,
    context: raw.context || undefined,
    output: raw.output ?? DEFAULTS.output,
    login: raw.login ?? false,
    getTokenOptionsOf,
  };
}
