/**
 * Edits of a kubeconfig document: find users and contexts, put an exec user
 * or a context in place. Entries are replaced where they stand or appended,
 * which writeKubeconfig turns into splices of the file's text, so everything
 * else in the file stays as it was.
 */
import { type Document, isMap, isSeq, type YAMLMap } from 'yaml';
import { ConfigError } from '../core/errors.ts';
import { EXEC_EXTENSION_NAME } from '../core/exec-credential.ts';

/** The command kubeconfigs run: kubelogin directly, which saves starting a second kubectl. */
export const KUBELOGIN_COMMAND = 'kubelogin';

/** The ExecCredential version written into kubeconfigs (kubectl 1.22+). */
export const EXEC_API_VERSION = 'client.authentication.k8s.io/v1';

/** The exec block of a user that runs kubelogin. */
export interface ExecUser {
  command: string;
  args: string[];
  interactiveMode: 'Never' | 'IfAvailable';
  /** kubectl hands the plugin the cluster it calls, with that cluster's exec extension (one user for many clusters). */
  provideClusterInfo: boolean;
}

/** The `exec` mapping kubectl reads. */
export function execBlock(user: ExecUser): Record<string, unknown> {
  return {
    apiVersion: EXEC_API_VERSION,
    command: user.command,
    args: user.args,
    interactiveMode: user.interactiveMode,
    provideClusterInfo: user.provideClusterInfo,
  };
}

/** A cluster's `extensions` entry that kubectl hands an exec plugin as `spec.cluster.config`. */
export function execExtensionEntry(settings: Record<string, unknown>): Record<string, unknown> {
  return { name: EXEC_EXTENSION_NAME, extension: settings };
}

/** The named entries of a top-level list (`users`, `contexts`, `clusters`), created when missing. */
function namedList(document: Document, list: 'users' | 'contexts' | 'clusters'): YAMLMap[] {
  let node = document.get(list, true);
  if (node === undefined || node === null || (!isSeq(node) && (node as { value?: unknown }).value === null)) {
    document.set(list, document.createNode([]));
    node = document.get(list, true);
  }
  if (!isSeq(node)) throw new ConfigError(`the kubeconfig's ${list} is not a list`);
  // An empty `[]` would keep what is added to it in flow style; kubectl writes block style.
  if (node.items.length === 0) node.flow = false;
  return node.items.filter(isMap);
}

/** The entry named `name` in a top-level list, if any. */
export function findEntry(
  document: Document,
  list: 'users' | 'contexts' | 'clusters',
  name: string,
): YAMLMap | undefined {
  return namedList(document, list).find((entry) => entry.get('name') === name);
}

/** The names of a top-level list's entries. */
export function entryNames(document: Document, list: 'users' | 'contexts' | 'clusters'): string[] {
  return namedList(document, list).map((entry) => String(entry.get('name')));
}

/** Puts `{name, <field>: value}` into a top-level list, replacing the field of an entry of that name. */
function upsert(
  document: Document,
  list: 'users' | 'contexts',
  name: string,
  field: 'user' | 'context',
  value: Record<string, unknown>,
): void {
  const existing = findEntry(document, list, name);
  if (existing !== undefined) {
    existing.set(field, document.createNode(value));
    return;
  }
  const sequence = document.get(list, true);
  if (!isSeq(sequence)) throw new ConfigError(`the kubeconfig's ${list} is not a list`);
  sequence.add(document.createNode({ name, [field]: value }));
}

/** Makes `name` an exec user running kubelogin. */
export function putExecUser(document: Document, name: string, user: ExecUser): void {
  upsert(document, 'users', name, 'user', { exec: execBlock(user) });
}

/** The cluster entry `name`; fails, listing the clusters, when the file has none of that name. */
function requireCluster(document: Document, name: string): YAMLMap {
  const entry = findEntry(document, 'clusters', name);
  if (entry === undefined) {
    throw new ConfigError(`the kubeconfig has no cluster named ${name}`, {
      hint: `clusters: ${entryNames(document, 'clusters').join(', ') || 'none'}`,
    });
  }
  return entry;
}

/** Puts a context binding `cluster` to `user`; fails when the cluster is not in the file. */
export function putContext(document: Document, name: string, cluster: string, user: string): void {
  requireCluster(document, cluster);
  upsert(document, 'contexts', name, 'context', { cluster, user });
}

/**
 * Sets the cluster's exec extension to `settings`, replacing one it had, and
 * keeps its other extensions; fails when the file has no such cluster.
 */
export function putClusterExecExtension(document: Document, cluster: string, settings: Record<string, unknown>): void {
  const settingsOf = requireCluster(document, cluster).get('cluster', true);
  if (!isMap(settingsOf)) throw new ConfigError(`the cluster ${cluster} in the kubeconfig has no cluster settings`);
  const extensions = settingsOf.get('extensions', true);
  if (!isSeq(extensions)) {
    settingsOf.set('extensions', document.createNode([execExtensionEntry(settings)]));
    return;
  }
  const entry = document.createNode(execExtensionEntry(settings));
  const index = extensions.items.findIndex((item) => isMap(item) && item.get('name') === EXEC_EXTENSION_NAME);
  if (index === -1) extensions.add(entry);
  else extensions.items[index] = entry;
}

/** The user a context names. */
export function userOfContext(document: Document, context: string): string {
  const entry = findEntry(document, 'contexts', context);
  if (entry === undefined) {
    throw new ConfigError(`the kubeconfig has no context named ${context}`, {
      hint: `contexts: ${entryNames(document, 'contexts').join(', ') || 'none'}`,
    });
  }
  const user = (entry.get('context') as YAMLMap | undefined)?.get?.('user');
  if (typeof user !== 'string') throw new ConfigError(`the context ${context} names no user`);
  return user;
}
