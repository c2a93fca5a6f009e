/** The step every kubectl end-to-end test takes: `kubectl get pods` that must list the demo pod. */
import assert from 'node:assert/strict';
import type { CliResult } from '../run-cli.ts';
import { describeRun } from '../run-process.ts';
import { DEMO_POD_NAME } from './kube-api-responses.ts';
import type { OidcCluster } from './oidc-cluster.ts';

/** Runs `kubectl get pods`, asserts that it succeeded and listed the demo pod, and returns the run. */
export async function getDemoPods(cluster: OidcCluster): Promise<CliResult> {
  const result = await cluster.kubectl(['get', 'pods']);
  assert.equal(result.code, 0, describeRun('kubectl get pods', result));
  assert.match(result.stdout, new RegExp(`^${DEMO_POD_NAME}\\s`, 'm'), describeRun('kubectl get pods', result));
  return result;
}
