/**
 * The parser of the cache-hit path: reads `get-token` arguments by the flag
 * table without loading commander (about 8 ms of start-up, paid on every
 * kubectl command). Anything it does not fully understand (help, a
 * positional argument, an unknown or malformed flag, another command) is
 * left to the commander program, which reports it properly.
 */
import { attributeName, type FlagSpec, GET_TOKEN_FLAGS, LOG_LEVEL_FLAG, parserFor } from '../flags/flag-specs.ts';
import { logLevelValue } from '../flags/flag-values.ts';
import type { RawGetTokenFlags } from '../flags/login-options.ts';

/**
 * The hidden command that shell completion asks (the scripts of `kubelogin
 * completion`, and kubectl through `kubectl_complete-oidc_login`): answered
 * without the commander program, since it runs at every press of TAB.
 */
export const COMPLETE_COMMAND = '__complete';

/** Parsed get-token arguments. */
export interface ParsedGetToken {
  flags: RawGetTokenFlags;
  logLevel: number;
}

const SPECS: ReadonlyMap<string, FlagSpec> = new Map(GET_TOKEN_FLAGS.map((spec) => [spec.name, spec]));
/** `-v N`, `-vN`, `-v=N`, `--v N`, `--v=N`. */
const LOG_LEVEL_ARG = /^(?:-v|--v)(?:=?(\d+))?$/;

/** Parses `get-token ...`; undefined when the commander program must handle the arguments. */
export function parseGetTokenFast(argv: readonly string[]): ParsedGetToken | undefined {
  if (argv[0] !== 'get-token') return undefined;
  const flags: Record<string, unknown> = {};
  let logLevel: number = LOG_LEVEL_FLAG.default;
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i] as string;
    // Compiling a regular expression is the dearest thing a cold hit could do with an argument: only `-v` forms meet it.
    const level = arg.startsWith('-v') || arg.startsWith('--v') ? LOG_LEVEL_ARG.exec(arg) : null;
    if (level) {
      const value = level[1] ?? argv[++i];
      if (value === undefined || value.startsWith('=')) return undefined;
      try {
        logLevel = logLevelValue(value);
      } catch {
        return undefined;
      }
      continue;
    }
    if (!arg.startsWith('--')) return undefined;
    const separator = arg.indexOf('=');
    const name = arg.slice(2, separator === -1 ? undefined : separator);
    const spec = SPECS.get(name);
    if (spec === undefined) return undefined;
    let value: string | undefined;
    if (separator !== -1) value = arg.slice(separator + 1);
    else if (spec.kind === 'bool') value = 'true';
    else value = argv[++i];
    if (value === undefined) return undefined;
    const key = attributeName(name);
    try {
      flags[key] = parserFor(spec)(value, flags[key]);
    } catch {
      return undefined;
    }
  }
  // Each value came from its flag's parser, so it has the type the table gives it.
  return { flags: flags as RawGetTokenFlags, logLevel };
}
