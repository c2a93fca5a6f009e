/**
 * A kubeconfig with one cluster, one user authenticated by a credential plugin (an `exec` block),
 * and one context that is current. Written as JSON, which kubectl reads as it reads YAML.
 */
import { writeFile } from 'node:fs/promises';

/** The ExecCredential API versions an exec block may name. */
export type ExecApiVersion = 'client.authentication.k8s.io/v1' | 'client.authentication.k8s.io/v1beta1';

/** When kubectl lets the plugin prompt on its terminal. */
export type InteractiveMode = 'Never' | 'IfAvailable' | 'Always';

/** What goes into the kubeconfig. */
export interface KubeconfigOptions {
  /** The API server URL (https: kubectl sends no credentials over plain http). */
  server: string;
  /** Base64 PEM of the CA that signed the API server's certificate. */
  certificateAuthorityData: string;
  /** The cluster's `tls-server-name`. */
  tlsServerName?: string;
  /** The cluster's `proxy-url`. */
  proxyUrl?: string;
  execApiVersion: ExecApiVersion;
  /** Absolute path of the plugin executable: kubectl resolves a bare name on PATH only. */
  command: string;
  args: readonly string[];
  /** Required by v1, optional for v1beta1; default `Never` for v1 and unset for v1beta1. */
  interactiveMode?: InteractiveMode;
  /** Variables kubectl adds to its own environment when it runs the plugin. */
  env?: Readonly<Record<string, string>>;
}

/** Names of the one cluster, user and context. */
const NAME = 'e2e';
/** The API version that must say how interactive the plugin may be. */
const V1: ExecApiVersion = 'client.authentication.k8s.io/v1';

/** The kubeconfig document for `options`. */
export function kubeconfigDocument(options: KubeconfigOptions): Record<string, unknown> {
  const interactiveMode = options.interactiveMode ?? (options.execApiVersion === V1 ? 'Never' : undefined);
  const exec = {
    apiVersion: options.execApiVersion,
    command: options.command,
    args: [...options.args],
    env: Object.entries(options.env ?? {}).map(([name, value]) => ({ name, value })),
    ...(interactiveMode === undefined ? {} : { interactiveMode }),
    provideClusterInfo: false,
  };
  return {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: NAME,
        cluster: {
          server: options.server,
          'certificate-authority-data': options.certificateAuthorityData,
          ...(options.tlsServerName === undefined ? {} : { 'tls-server-name': options.tlsServerName }),
          ...(options.proxyUrl === undefined ? {} : { 'proxy-url': options.proxyUrl }),
        },
      },
    ],
    users: [{ name: NAME, user: { exec } }],
    contexts: [{ name: NAME, context: { cluster: NAME, user: NAME, namespace: 'default' } }],
    'current-context': NAME,
    preferences: {},
  };
}

/** Writes the kubeconfig for `options` to `path` (mode 0600, as kubectl writes its own). */
export async function writeKubeconfig(path: string, options: KubeconfigOptions): Promise<void> {
  await writeFile(path, `${JSON.stringify(kubeconfigDocument(options), null, 2)}\n`, { mode: 0o600 });
}
