/**
 * Reading one context of a kubeconfig for `whoami`: its user's exec block
 * and its cluster's connection settings, each failure a one-line error naming
 * the file and the context.
 */
import { dirname, isAbsolute, resolve } from 'node:path';
import { isMap, isSeq, type YAMLMap } from 'yaml';
import { ConfigError } from '../core/errors.ts';
import { EXEC_EXTENSION_NAME } from '../core/exec-credential.ts';
import { entryNames, findEntry } from './kubeconfig-edit.ts';
import type { KubeconfigFile } from './kubeconfig-file.ts';

/** How to reach a context's cluster, as kubectl reads it. */
export interface ClusterConnection {
  /** The cluster's name in the kubeconfig. */
  name: string;
  server: string;
  /** PEM of `certificate-authority-data`, or of the `certificate-authority` file. */
  certificateAuthority: { pem?: string; file?: string; data?: string } | undefined;
  insecureSkipTlsVerify: boolean;
  /** `tls-server-name`: the name sent in SNI and checked in the certificate instead of the server URL's host. */
  tlsServerName: string | undefined;
  proxyUrl: string | undefined;
  /** The cluster's `client.authentication.k8s.io/exec` extension (what kubectl sends as `spec.cluster.config`); undefined without one. */
  execExtension: unknown;
}

/** The exec block of a user. */
export interface ExecBlock {
  command: string;
  args: string[];
  /** `provideClusterInfo: true`: kubectl hands the plugin the cluster, its exec extension included. */
  provideClusterInfo: boolean;
  /** `env`: variables kubectl adds to its own environment for the plugin, in order. */
  env: Record<string, string>;
}

/** A context's user and cluster. */
export interface KubeconfigContext {
  file: string;
  context: string;
  userName: string;
  /** The user's exec block; undefined when the user has none. */
  exec: ExecBlock | undefined;
  cluster: ClusterConnection;
}

/** A field of a mapping as a string, or undefined. */
function stringField(map: YAMLMap | undefined, field: string): string | undefined {
  const value = map?.get(field);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The mapping under `field` of a named entry. */
function inner(entry: YAMLMap, field: string): YAMLMap | undefined {
  const value = entry.get(field, true);
  return isMap(value) ? value : undefined;
}

/** The `extension` of the cluster's extension named `client.authentication.k8s.io/exec`, as plain data. */
function execExtension(cluster: YAMLMap | undefined): unknown {
  const extensions = cluster?.get('extensions', true);
  if (!isSeq(extensions)) return undefined;
  const entry = extensions.items.find((item) => isMap(item) && item.get('name') === EXEC_EXTENSION_NAME);
  return isMap(entry) ? (entry.toJSON() as { extension?: unknown }).extension : undefined;
}

/** The `env` of an exec block (`- name: X` / `value: Y` entries); an entry without a name is a ConfigError naming `who`. */
function execEnv(execMap: YAMLMap | undefined, who: string): Record<string, string> {
  const node = execMap?.get('env', true);
  const env: Record<string, string> = {};
  if (!isSeq(node)) return env;
  for (const item of node.items) {
    const name = isMap(item) ? item.get('name') : undefined;
    if (typeof name !== 'string' || name === '')
      throw new ConfigError(`the exec env of ${who} has an entry without a name`);
    const value = (item as YAMLMap).get('value');
    env[name] = value === undefined || value === null ? '' : String(value);
  }
  return env;
}

/** Reads the context `name` (default: current-context) of a kubeconfig. */
export function readKubeconfigContext(file: KubeconfigFile, name: string | undefined): KubeconfigContext {
  const { document, path } = file;
  const context = name ?? stringField(document.contents as YAMLMap | undefined, 'current-context');
  if (context === undefined) {
    throw new ConfigError(`the kubeconfig ${path} has no current-context`, {
      hint: `give --context (contexts: ${entryNames(document, 'contexts').join(', ') || 'none'})`,
    });
  }
  const contextEntry = findEntry(document, 'contexts', context);
  if (contextEntry === undefined) {
    throw new ConfigError(`the kubeconfig ${path} has no context named ${context}`, {
      hint: `contexts: ${entryNames(document, 'contexts').join(', ') || 'none'}`,
    });
  }
  const userName = stringField(inner(contextEntry, 'context'), 'user');
  const clusterName = stringField(inner(contextEntry, 'context'), 'cluster');
  if (userName === undefined || clusterName === undefined) {
    throw new ConfigError(`the context ${context} in ${path} names no ${userName === undefined ? 'user' : 'cluster'}`);
  }
  const userEntry = findEntry(document, 'users', userName);
  if (userEntry === undefined)
    throw new ConfigError(`the context ${context} in ${path} names the user ${userName}, which the file does not have`);
  const clusterEntry = findEntry(document, 'clusters', clusterName);
  if (clusterEntry === undefined)
    throw new ConfigError(
      `the context ${context} in ${path} names the cluster ${clusterName}, which the file does not have`,
    );

  const execMap = inner(inner(userEntry, 'user') ?? userEntry, 'exec');
  const command = stringField(execMap, 'command');
  const argsNode = execMap?.get('args', true);
  const args = isSeq(argsNode) ? argsNode.items.map((item) => String((item as { value?: unknown }).value ?? item)) : [];
  const env = execEnv(execMap, `the user ${userName} of the context ${context} in ${path}`);
  const cluster = inner(clusterEntry, 'cluster');
  const server = stringField(cluster, 'server');
  if (server === undefined)
    throw new ConfigError(`the cluster ${clusterName} of the context ${context} in ${path} has no server`);
  const caData = stringField(cluster, 'certificate-authority-data');
  const caFile = stringField(cluster, 'certificate-authority');
  return {
    file: path,
    context,
    userName,
    exec:
      command === undefined
        ? undefined
        : { command, args, env, provideClusterInfo: execMap?.get('provideClusterInfo') === true },
    cluster: {
      name: clusterName,
      server,
      certificateAuthority:
        caData !== undefined
          ? { data: caData, pem: Buffer.from(caData, 'base64').toString('utf8') }
          : caFile !== undefined
            ? { file: isAbsolute(caFile) ? caFile : resolve(dirname(path), caFile) }
            : undefined,
      insecureSkipTlsVerify: cluster?.get('insecure-skip-tls-verify') === true,
      tlsServerName: stringField(cluster, 'tls-server-name'),
      proxyUrl: stringField(cluster, 'proxy-url'),
      execExtension: execExtension(cluster),
    },
  };
}
