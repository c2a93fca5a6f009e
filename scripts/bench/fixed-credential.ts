/**
 * What the benchmark's floors print: an ExecCredential as kubelogin writes one, with a fixed
 * token, so that a floor does nothing but write it.
 */
export const FIXED_CREDENTIAL =
  '{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1beta1","spec":{"interactive":false},"status":{"expirationTimestamp":"2000-01-01T00:00:00Z","token":"fixed"}}\n';
