/**
 * How kubelogin prints kubeconfig YAML: the layout kubectl itself writes,
 * used for whole files, for entries spliced into a file, and for what setup
 * prints.
 */

/** kubectl's layout: list items not indented under their key. */
export const KUBECTL_LAYOUT = { indentSeq: false } as const;
