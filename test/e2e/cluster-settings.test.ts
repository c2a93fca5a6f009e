/**
 * One exec user for many clusters through the real kubectl: the user says provideClusterInfo:
 * true, and each cluster's client.authentication.k8s.io/exec extension names its own issuer.
 * kubectl hands the plugin the extension of the cluster it calls (spec.cluster.config); each
 * cluster gets a token its API server accepts, with one login per issuer, and a cluster whose
 * extension contradicts the user's arguments is refused with its server named.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { HTTP_LOGIN_COMMAND } from '../support/browser/drivers.ts';
import { CLI } from '../support/cli-command.ts';
import type { ApiServer } from '../support/cluster/api-server.ts';
import { DEMO_POD_NAME } from '../support/cluster/kube-api-responses.ts';
import { runKubectl } from '../support/cluster/kubectl.ts';
import { TEST_CLIENTS } from '../support/provider/test-provider.ts';
import { describeRun } from '../support/run-process.ts';
import { worldForAll } from '../support/world.ts';

const EXEC_EXTENSION = 'client.authentication.k8s.io/exec';

/** A kubeconfig cluster entry for `server`, with `extension` as its exec extension when given. */
function clusterEntry(name: string, server: ApiServer, extension?: Record<string, unknown>) {
  return {
    name,
    cluster: {
      server: server.url,
      'certificate-authority-data': server.certificateAuthorityData,
      ...(extension ? { extensions: [{ name: EXEC_EXTENSION, extension }] } : {}),
    },
  };
}

describe('one exec user for clusters of two issuers (provideClusterInfo)', () => {
  // Two providers, each in its own world; the first world's HOME holds the kubeconfig and the cache.
  const first = worldForAll({ runner: 'subprocess' });
  const second = worldForAll({ runner: 'subprocess' });

  test('each cluster gets a token its API server accepts, one login per issuer; a conflicting cluster is refused', async () => {
    const { home, loginLog, cacheDir } = first();
    const issuers = [first().provider.issuer, second().provider.issuer];
    const [apiA, apiB, apiConflict, apiBare] = await Promise.all([
      first().startApiServer({ issuer: issuers[0] as string, usernameClaim: 'sub' }),
      first().startApiServer({ issuer: issuers[1] as string, usernameClaim: 'sub' }),
      first().startApiServer({ issuer: issuers[0] as string, usernameClaim: 'sub' }),
      first().startApiServer({ issuer: issuers[0] as string, usernameClaim: 'sub' }),
    ]);
    const settingsOf = (issuer: string) => ({ 'oidc-issuer-url': issuer, 'oidc-client-id': TEST_CLIENTS.native });
    const kubeconfig = join(home.home, 'clusters.kubeconfig');
    const contexts = ['a', 'b', 'conflict', 'bare'];
    await writeFile(
      kubeconfig,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [
          clusterEntry('a', apiA as ApiServer, settingsOf(issuers[0] as string)),
          clusterEntry('b', apiB as ApiServer, settingsOf(issuers[1] as string)),
          clusterEntry('conflict', apiConflict as ApiServer, {
            ...settingsOf(issuers[0] as string),
            'oidc-extra-scope': ['profile'],
          }),
          clusterEntry('bare', apiBare as ApiServer),
        ],
        users: [
          {
            name: 'oidc',
            user: {
              exec: {
                apiVersion: 'client.authentication.k8s.io/v1',
                command: CLI.command,
                args: [
                  ...CLI.args,
                  'get-token',
                  '--oidc-extra-scope=email,offline_access',
                  '--listen-address=127.0.0.1:0',
                  `--browser-command=${HTTP_LOGIN_COMMAND}`,
                  `--token-cache-dir=${cacheDir}`,
                ],
                env: [{ name: 'LOGIN_LOG', value: loginLog }],
                interactiveMode: 'Never',
                provideClusterInfo: true,
              },
            },
          },
        ],
        contexts: contexts.map((name) => ({ name, context: { cluster: name, user: 'oidc', namespace: 'default' } })),
        'current-context': 'a',
      }),
    );
    const kubectl = (context: string) =>
      runKubectl([`--kubeconfig=${kubeconfig}`, `--context=${context}`, 'get', 'pods'], { env: home.env });

    for (const round of [1, 2]) {
      for (const [context, apiServer] of [
        ['a', apiA],
        ['b', apiB],
      ] as const) {
        const result = await kubectl(context);
        assert.equal(result.code, 0, describeRun(`kubectl --context=${context} get pods (round ${round})`, result));
        assert.match(result.stdout, new RegExp(`^${DEMO_POD_NAME}\\s`, 'm'));
        for (const request of (apiServer as ApiServer).requests) assert.equal(request.status, 200, request.error);
      }
    }
    assert.equal(first().provider.counts.authorizations, 1, 'one login at the first issuer');
    assert.equal(second().provider.counts.authorizations, 1, 'one login at the second issuer');
    assert.equal(await first().browserRuns(), 2);

    const conflict = await kubectl('conflict');
    assert.notEqual(conflict.code, 0);
    assert.match(
      conflict.stderr,
      new RegExp(
        `error: the cluster ${(apiConflict as ApiServer).url.replaceAll('.', '\\.')} sets oidc-extra-scope in its client\\.authentication\\.k8s\\.io/exec extension, and the exec arguments give --oidc-extra-scope another value`,
      ),
    );
    assert.equal((apiConflict as ApiServer).requests.filter((request) => request.status === 200).length, 0);

    // A cluster without the extension comes with config null: the arguments alone then lack the issuer.
    const bare = await kubectl('bare');
    assert.notEqual(bare.code, 0);
    assert.match(bare.stderr, /error: --oidc-issuer-url is required/);
    assert.equal(await first().browserRuns(), 2, 'no login for a refused cluster');
  });
});
