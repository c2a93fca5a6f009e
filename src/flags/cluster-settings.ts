/**
 * Per-cluster settings: with `provideClusterInfo: true` kubectl hands the
 * plugin the cluster's `client.authentication.k8s.io/exec` extension
 * (`spec.cluster.config`), whose keys are get-token's flag names without the
 * dashes. They fill in what the exec arguments leave out, so one user entry
 * serves many clusters. A key the arguments also give with another value is
 * an error, never a silent choice.
 *
 * On the cache-hit path: one pass over the extension's keys, by the flag
 * table already loaded, and nothing imported.
 */
import { canonicalJson } from '../core/cache-key.ts';
import { ConfigError, KubeloginError } from '../core/errors.ts';
import { EXEC_EXTENSION_NAME, type ExecCluster } from '../core/exec-credential.ts';
import { attributeName, type FlagSpec, GET_TOKEN_FLAGS, parserFor } from './flag-specs.ts';
import type { RawGetTokenFlags } from './login-options.ts';

/** The flags a cluster may set, made on first use: most hits have no cluster settings and never need them. */
let clusterFlags: ReadonlyMap<string, FlagSpec> | undefined;

/** get-token's flags less the hidden ones, kept only for old exec arguments, by name. */
function clusterFlag(name: string): FlagSpec | undefined {
  clusterFlags ??= new Map(GET_TOKEN_FLAGS.filter((spec) => !('hidden' in spec)).map((spec) => [spec.name, spec]));
  return clusterFlags.get(name);
}

/** How an extension's value of each kind of flag is written, for the error about a wrong one. */
const EXPECTED_VALUE: Readonly<Record<FlagSpec['kind'], string>> = {
  string: 'a string',
  choice: 'a string',
  bool: 'true or false',
  number: 'a whole number',
  numbers: 'a list of whole numbers',
  list: 'a string or a list of strings',
  repeat: 'a string or a list of strings',
  map: 'a mapping of keys to strings',
};

/** Where a cluster's settings come from, for messages. */
function extensionOf(cluster: ExecCluster): string {
  return `the ${EXEC_EXTENSION_NAME} extension of the cluster ${cluster.server || '(no server)'}`;
}

/** A map setting's entries as the flag would carry them; undefined unless it is a mapping of scalars. */
function mapSetting(value: unknown): Record<string, string> | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const map: Record<string, string> = {};
  for (const [key, entry] of Object.entries(value)) {
    if (typeof entry === 'string') map[key] = entry;
    else if ((typeof entry === 'number' && Number.isFinite(entry)) || typeof entry === 'boolean')
      map[key] = String(entry);
    else return undefined;
  }
  return map;
}

/** The values the flag's parser takes, one per occurrence of the flag; undefined for a value of the wrong type. */
function flagValues(spec: Exclude<FlagSpec, { kind: 'map' }>, value: unknown): string[] | undefined {
  switch (spec.kind) {
    case 'string':
    case 'choice':
      return typeof value === 'string' ? [value] : undefined;
    case 'bool':
      return typeof value === 'boolean' ? [String(value)] : undefined;
    case 'number':
      return typeof value === 'number' && Number.isInteger(value) ? [String(value)] : undefined;
    case 'numbers':
      return Array.isArray(value) && value.every((item) => Number.isInteger(item)) ? value.map(String) : undefined;
    case 'list':
    case 'repeat':
      if (typeof value === 'string') return [value];
      return Array.isArray(value) && value.every((item) => typeof item === 'string') ? value : undefined;
  }
}

/** Parses one setting as its flag would be, naming the extension in every error. */
function parseSetting(spec: FlagSpec, value: unknown, cluster: ExecCluster): unknown {
  const wrongType = () =>
    new ConfigError(
      `${extensionOf(cluster)} has ${spec.name} ${describeValue(value)}; it takes ${EXPECTED_VALUE[spec.kind]}`,
    );
  // A map is taken as the mapping it is: joined into `k=v,...`, a comma inside a value would split it.
  if (spec.kind === 'map') {
    const map = mapSetting(value);
    if (map === undefined) throw wrongType();
    return map;
  }
  const values = flagValues(spec, value);
  if (values === undefined) throw wrongType();
  const parse = parserFor(spec);
  try {
    return values.reduce<unknown>((previous, item) => parse(item, previous), undefined);
  } catch (error) {
    if (error instanceof KubeloginError)
      throw new ConfigError(`${extensionOf(cluster)}: ${error.message}`, { cause: error });
    throw error;
  }
}

/** The type of a value, for an error that must not print it (it may be a secret). */
function describeValue(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'a mapping' : `a ${typeof value}`;
}

/**
 * The exec arguments' flags with the cluster's settings filled in. Throws a
 * ConfigError naming the extension (the cluster's server) and the flag for a
 * setting that is unknown, of the wrong type, or given by the arguments too
 * with another value (which the message never shows: it may be a secret).
 */
export function withClusterSettings(flags: RawGetTokenFlags, cluster: ExecCluster | undefined): RawGetTokenFlags {
  const config = cluster?.config;
  if (cluster === undefined || config === undefined) return flags;
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new ConfigError(`${extensionOf(cluster)} is ${describeValue(config)}, not a mapping of get-token's flags`, {
      hint: 'write it as a mapping such as {oidc-issuer-url: https://issuer.example, oidc-client-id: kubernetes}',
    });
  }
  const merged: Record<string, unknown> = { ...flags };
  for (const [name, value] of Object.entries(config)) {
    const spec = clusterFlag(name);
    if (spec === undefined) {
      throw new ConfigError(`${extensionOf(cluster)} has the unknown key ${JSON.stringify(name)}`, {
        hint: "its keys are get-token's flag names without the dashes, such as oidc-issuer-url",
      });
    }
    const setting = parseSetting(spec, value, cluster);
    const key = attributeName(name);
    const given = merged[key];
    if (given !== undefined && canonicalJson(given) !== canonicalJson(setting)) {
      throw new ConfigError(
        `the cluster ${cluster.server || '(no server)'} sets ${name} in its ${EXEC_EXTENSION_NAME} extension, and the exec arguments give --${name} another value`,
        {
          hint: 'keep what all clusters share in the arguments and what this cluster needs in its extension, each once',
        },
      );
    }
    merged[key] = setting;
  }
  // Each value came from its flag's parser, as the fast parser's do.
  return merged as RawGetTokenFlags;
}
