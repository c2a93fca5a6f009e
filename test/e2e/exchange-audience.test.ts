/**
 * One browser login serving two clusters that each want their own audience:
 * kubectl with two kubeconfigs whose exec blocks differ only in
 * --exchange-audience, against two stand-in API servers trusting the same
 * provider with different audiences. One authorization, two exchanges.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { HTTP_LOGIN_COMMAND } from '../support/browser/drivers.ts';
import { CLI } from '../support/cli-command.ts';
import type { ApiServer } from '../support/cluster/api-server.ts';
import { DEMO_POD_NAME } from '../support/cluster/kube-api-responses.ts';
import { writeKubeconfig } from '../support/cluster/kubeconfig.ts';
import { runKubectl } from '../support/cluster/kubectl.ts';
import { getTokenArgs } from '../support/get-token-args.ts';
import { exchangingNativeClient } from '../support/provider/exchange-clients.ts';
import { describeRun } from '../support/run-process.ts';
import { worldForAll } from '../support/world.ts';

/** A public native client that may exchange its users' tokens. */
const CLIENT_ID = 'exchanging-native';
const AUDIENCES = ['cluster-a', 'cluster-b'];

describe('--exchange-audience through kubectl', () => {
  const world = worldForAll({
    runner: 'subprocess',
    provider: { clients: [exchangingNativeClient(CLIENT_ID)], tokenExchange: { trustedIssuers: [] } },
  });

  test('one authorization at the provider, one exchange per cluster, each cluster sees its own audience', async () => {
    const { provider, home, loginLog } = world();
    // One cluster per audience, each trusting the provider for its own audience only.
    const apiServers = await Promise.all(
      AUDIENCES.map((audience) => world().startApiServer({ audience, usernameClaim: 'sub' })),
    );
    const base = getTokenArgs({
      issuer: provider.issuer,
      clientId: CLIENT_ID,
      grantType: 'authcode',
      browserCommand: HTTP_LOGIN_COMMAND,
      tokenCacheDir: join(home.home, 'token-cache'),
    });
    for (const [index, audience] of AUDIENCES.entries()) {
      const apiServer = apiServers[index] as ApiServer;
      const kubeconfig = join(home.home, `${audience}.kubeconfig`);
      await writeKubeconfig(kubeconfig, {
        server: apiServer.url,
        certificateAuthorityData: apiServer.certificateAuthorityData,
        execApiVersion: 'client.authentication.k8s.io/v1',
        interactiveMode: 'Never',
        command: CLI.command,
        args: [...CLI.args, ...base, `--exchange-audience=${audience}`],
        env: { LOGIN_LOG: loginLog },
      });
      const result = await runKubectl([`--kubeconfig=${kubeconfig}`, 'get', 'pods'], { env: home.env });
      assert.equal(result.code, 0, describeRun('kubectl get pods', result));
      assert.match(result.stdout, new RegExp(`^${DEMO_POD_NAME}\\s`, 'm'));
      for (const request of apiServer.requests) assert.equal(request.status, 200, request.error);
    }
    assert.equal(provider.counts.authorizations, 1, 'one browser login');
    assert.deepEqual(provider.exchangedAudiences, AUDIENCES);
    assert.equal(await world().browserRuns(), 1);
  });
});
