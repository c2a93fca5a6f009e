/**
 * Kubeconfig files as people have them: comments, several clusters, users and contexts, and (in
 * the odd one) layout that is valid YAML but not what kubectl writes. Used to check that kubelogin
 * edits only the entries it means to.
 */
import { parse } from 'yaml';

/** kubectl's own layout (sequences not indented under their key), annotated with comments. */
export const KUBECTL_STYLE_KUBECONFIG = `# Written by kubectl, then annotated by hand.
apiVersion: v1
kind: Config
clusters:
# the production cluster
- cluster:
    certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==
    server: https://prod.example:6443
  name: prod
- cluster:
    insecure-skip-tls-verify: true
    server: https://staging.example:6443
  name: staging
contexts:
- context:
    cluster: prod
    namespace: kube-system
    user: admin
  name: prod-admin
- context:
    cluster: staging
    user: admin
  name: staging-admin
current-context: prod-admin
preferences: {}
users:
- name: admin
  user:
    token: static-token # not kubelogin's
- name: cert-user
  user:
    client-certificate: /etc/kube/cert.pem
    client-key: /etc/kube/key.pem
`;

/** Valid YAML with layout kubectl never writes: indented sequences, flow mappings, aligned comments, quotes, a blank line. */
export const ODD_KUBECONFIG = `# Hand-edited. The odd spacing and indentation are deliberate.
apiVersion: v1
kind: Config
preferences: {}   # nothing here

clusters:
  # production first
  - name: prod
    cluster:
      server: "https://prod.example:6443"
  - cluster: {server: 'https://staging.example', insecure-skip-tls-verify: true}
    name: staging
users:
-   name: admin   # static token
    user:
        token: abc.def
- {name: robot, user: {token: robot-token}}
contexts:
- {name: staging, context: {cluster: staging, user: admin}}
-   name: prod
    context:
        cluster: prod
        user: admin
        namespace: kube-system
current-context: prod
`;

/** A kubeconfig as plain data. */
export interface KubeconfigData {
  clusters?: Array<{ name: string; cluster: Record<string, unknown> }>;
  users?: Array<{ name: string; user: Record<string, unknown> }>;
  contexts?: Array<{ name: string; context: Record<string, unknown> }>;
  [key: string]: unknown;
}

/** Parses a kubeconfig's text. */
export function parseKubeconfig(text: string): KubeconfigData {
  return parse(text) as KubeconfigData;
}

/** The entries of `list` named `name`. */
export function entriesNamed<K extends 'clusters' | 'users' | 'contexts'>(
  data: KubeconfigData,
  list: K,
  name: string,
): NonNullable<KubeconfigData[K]> {
  return (data[list] ?? []).filter((entry) => entry.name === name) as NonNullable<KubeconfigData[K]>;
}

/** `data` without the entries named in `drop` (per list): what should be left of an edited file. */
export function withoutEntries(
  data: KubeconfigData,
  drop: Partial<Record<'clusters' | 'users' | 'contexts', readonly string[]>>,
): KubeconfigData {
  const copy: KubeconfigData = { ...data };
  for (const list of ['clusters', 'users', 'contexts'] as const) {
    const names = drop[list] ?? [];
    if (data[list] !== undefined)
      copy[list] = (data[list] as Array<{ name: string }>).filter((entry) => !names.includes(entry.name)) as never;
  }
  return copy;
}
