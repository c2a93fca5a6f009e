/**
 * The steps every kubectl end-to-end test takes: a cluster for the length of
 * one test, and `kubectl get pods` that must list the demo pod.
 */
import assert from 'node:assert/strict';
import type { CliResult } from '../run-cli.ts';
import { describeRun } from '../run-process.ts';
import { DEMO_POD_NAME } from './kube-api-responses.ts';
import { type OidcCluster, type OidcClusterOptions, startOidcCluster } from './oidc-cluster.ts';

/** Starts a cluster, runs `body` with it, and always stops it. */
export async function withOidcCluster(
  options: OidcClusterOptions,
  body: (cluster: OidcCluster) => Promise<void>,
): Promise<void> {
  const cluster = await startOidcCluster(options);
  try {
    await body(cluster);
  } finally {
    await cluster.close();
  }
}

/** Runs `kubectl get pods`, asserts that it succeeded and listed the demo pod, and returns the run. */
export async function getDemoPods(cluster: OidcCluster): Promise<CliResult> {
  const result = await cluster.kubectl(['get', 'pods']);
  assert.equal(result.code, 0, describeRun('kubectl get pods', result));
  assert.match(result.stdout, new RegExp(`^${DEMO_POD_NAME}\\s`, 'm'), describeRun('kubectl get pods', result));
  return result;
}
