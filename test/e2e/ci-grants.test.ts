/**
 * The real kubectl (v1.32) with the CI grants in its exec block, against the
 * stand-in API server configured with two JWT authenticators (a GitHub
 * Actions issuer and a pod's service account issuer), as a 1.30+ API server's
 * AuthenticationConfiguration can be.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { CI_JOB_CLAIMS } from '../support/ci/ci-token-service.ts';
import { CLI } from '../support/cli-command.ts';
import { DEMO_POD_NAME } from '../support/cluster/kube-api-responses.ts';
import { writeKubeconfig } from '../support/cluster/kubeconfig.ts';
import { runKubectl } from '../support/cluster/kubectl.ts';
import { describeRun } from '../support/run-process.ts';
import { worldForAll } from '../support/world.ts';

/** The audience each authenticator requires: GitHub's as in Oracle's OKE guide, and the pods' own. */
const ACTIONS_AUDIENCE = 'kubernetes';
const POD_AUDIENCE = 'pods-cluster';
const V1 = 'client.authentication.k8s.io/v1';

describe('CI grants through kubectl', () => {
  /** The pods' service account issuer: a token service of its own. */
  const pods = worldForAll({ runner: 'subprocess', provider: false, ci: true });
  /** The job's surroundings: GitHub's token service, a HOME, and an API server trusting it and the pods' issuer. */
  const world = worldForAll(() => ({
    runner: 'subprocess',
    provider: false,
    ci: true,
    apiServer: {
      audience: ACTIONS_AUDIENCE,
      usernameClaim: 'sub',
      moreAuthenticators: [{ issuer: pods().ci.issuer, audience: POD_AUDIENCE, usernameClaim: 'sub' }],
    },
  }));

  /** Writes a kubeconfig whose exec block runs get-token with `flags` and `env`, and runs `kubectl get pods` with it. */
  async function getPods(name: string, flags: string[], env: Record<string, string> = {}) {
    const { apiServer, home } = world();
    const kubeconfig = join(home.home, `${name}.kubeconfig`);
    await writeKubeconfig(kubeconfig, {
      server: apiServer.url,
      certificateAuthorityData: apiServer.certificateAuthorityData,
      execApiVersion: V1,
      interactiveMode: 'Never',
      command: CLI.command,
      args: [...CLI.args, 'get-token', `--token-cache-dir=${join(home.home, 'token-cache')}`, ...flags],
      env,
    });
    const result = await runKubectl([`--kubeconfig=${kubeconfig}`, 'get', 'pods'], { env: home.env });
    assert.equal(result.code, 0, describeRun('kubectl get pods', result));
    assert.match(result.stdout, new RegExp(`^${DEMO_POD_NAME}\\s`, 'm'));
    return result;
  }

  test("github-actions: the job's ID token for the audience reaches the API server, once per token lifetime", async () => {
    const { ci: actions, apiServer } = world();
    const seen = apiServer.requests.length;
    // kubectl passes its environment on to the plugin: the variables a job with id-token: write has.
    await getPods(
      'actions',
      ['--grant-type=github-actions', `--oidc-issuer-url=${actions.issuer}`, `--oidc-client-id=${ACTIONS_AUDIENCE}`],
      actions.env,
    );
    await getPods(
      'actions',
      ['--grant-type=github-actions', `--oidc-issuer-url=${actions.issuer}`, `--oidc-client-id=${ACTIONS_AUDIENCE}`],
      actions.env,
    );
    const requests = apiServer.requests.slice(seen);
    assert.ok(requests.length > 0);
    for (const request of requests)
      assert.equal(request.username, `${actions.issuer}#${CI_JOB_CLAIMS.sub}`, request.error);
    assert.deepEqual(actions.audiencesIssued, [ACTIONS_AUDIENCE], 'the second kubectl run is a cache hit');
  });

  test('token-file: a projected service account token reaches the API server, verified against its issuer first', async () => {
    const { apiServer, home } = world();
    const serviceAccounts = pods().ci;
    const tokenFile = join(home.home, 'projected-token');
    await writeFile(tokenFile, await serviceAccounts.mint(POD_AUDIENCE, { sub: 'system:serviceaccount:ci:deployer' }));
    const seen = apiServer.requests.length;
    await getPods('pod', [
      '--grant-type=token-file',
      `--token-file=${tokenFile}`,
      `--oidc-issuer-url=${serviceAccounts.issuer}`,
      `--oidc-client-id=${POD_AUDIENCE}`,
    ]);
    await getPods('pod-unverified', ['--grant-type=token-file', `--token-file=${tokenFile}`]);
    for (const request of apiServer.requests.slice(seen))
      assert.equal(request.username, `${serviceAccounts.issuer}#system:serviceaccount:ci:deployer`, request.error);
  });
});
