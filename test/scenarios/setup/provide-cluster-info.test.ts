/**
 * `setup --provide-cluster-info --cluster=NAME`: one user for many clusters. The user
 * (provideClusterInfo: true) keeps the flags all clusters share; the issuer, the client and the
 * audience go into the exec extension of the cluster, printed or written into the kubeconfig.
 */
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  entriesNamed,
  KUBECTL_STYLE_KUBECONFIG,
  parseKubeconfig,
  withoutEntries,
} from '../../support/cluster/kubeconfig-samples.ts';
import { TEST_CLIENTS } from '../../support/provider/test-provider.ts';
import { printedKubeconfigFragment, printedSetCredentials, runSetup } from '../../support/setup-output.ts';
import { worldPerTest } from '../../support/world.ts';

const CLIENT = `--oidc-client-id=${TEST_CLIENTS.native}`;
const SCOPES = '--oidc-extra-scope=email,offline_access';
const EXEC_EXTENSION = 'client.authentication.k8s.io/exec';

describe('setup --provide-cluster-info', () => {
  const startWorld = worldPerTest();

  it("prints a user with provideClusterInfo: true holding the shared flags, and the cluster's extension", async () => {
    const world = await startWorld();
    const result = await runSetup(world, [CLIENT, SCOPES, '--provide-cluster-info', '--cluster=prod']);
    assert.equal(result.code, 0, result.stderr);
    const fragment = printedKubeconfigFragment(result.stdout);
    const exec = fragment.users[0]?.user.exec;
    assert.equal(exec?.['provideClusterInfo'], true);
    const args = exec?.['args'] as string[];
    assert.ok(args.includes('--oidc-extra-scope=offline_access'), args.join(' '));
    assert.ok(!args.some((arg) => /^--oidc-(issuer-url|client-id)=/.test(arg)), args.join(' '));
    assert.deepEqual(fragment.clusters, [
      {
        name: 'prod',
        cluster: {
          extensions: [
            {
              name: EXEC_EXTENSION,
              extension: { 'oidc-issuer-url': world.provider.issuer, 'oidc-client-id': TEST_CLIENTS.native },
            },
          ],
        },
      },
    ]);
    assert.match(printedSetCredentials(result.stdout), /--exec-provide-cluster-info=true/);
  });

  it('writes the user, the context and the extension of the cluster, leaving the other clusters as they were', async () => {
    const world = await startWorld();
    const path = join(world.home.home, 'configs', 'kubeconfig.yaml');
    await mkdir(join(path, '..'), { recursive: true });
    await writeFile(path, KUBECTL_STYLE_KUBECONFIG);
    const result = await runSetup(world, [
      CLIENT,
      SCOPES,
      '--provide-cluster-info',
      '--write-kubeconfig',
      `--kubeconfig=${path}`,
      '--user=oidc',
      '--context=oidc-prod',
      '--cluster=prod',
    ]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(
      result.stderr,
      new RegExp(
        `Wrote the user oidc, the context oidc-prod and the exec extension of the cluster prod to ${path} \\(the previous file`,
      ),
    );
    const data = parseKubeconfig(await readFile(path, 'utf8'));
    const [prod] = entriesNamed(data, 'clusters', 'prod');
    assert.deepEqual(prod?.cluster, {
      'certificate-authority-data': 'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==',
      server: 'https://prod.example:6443',
      extensions: [
        {
          name: EXEC_EXTENSION,
          extension: { 'oidc-issuer-url': world.provider.issuer, 'oidc-client-id': TEST_CLIENTS.native },
        },
      ],
    });
    assert.deepEqual(entriesNamed(data, 'users', 'oidc')[0]?.user, {
      exec: printedKubeconfigFragment(result.stdout).users[0]?.user.exec,
    });
    assert.deepEqual(
      withoutEntries(data, { clusters: ['prod'], users: ['oidc'], contexts: ['oidc-prod'] }),
      withoutEntries(parseKubeconfig(KUBECTL_STYLE_KUBECONFIG), { clusters: ['prod'] }),
    );

    // The written user with the written extension, as kubectl hands both over, is the login setup checked.
    const user = entriesNamed(data, 'users', 'oidc')[0]?.user['exec'] as { args: string[] };
    const [extension] = (prod?.cluster['extensions'] ?? []) as { extension: unknown }[];
    const execInfo = JSON.stringify({
      kind: 'ExecCredential',
      apiVersion: 'client.authentication.k8s.io/v1',
      spec: { interactive: false, cluster: { server: 'https://prod.example:6443', config: extension?.extension } },
    });
    const getToken = await world.run([...user.args, `--token-cache-dir=${world.cacheDir}`], {
      env: { KUBERNETES_EXEC_INFO: execInfo },
    });
    assert.equal(getToken.code, 0, getToken.stderr);
  });

  it('a cluster the kubeconfig lacks is a one-line error before any login, naming it', async () => {
    const world = await startWorld();
    const path = join(world.home.home, 'kubeconfig.yaml');
    await writeFile(path, KUBECTL_STYLE_KUBECONFIG);
    const result = await runSetup(world, [
      CLIENT,
      '--provide-cluster-info',
      '--write-kubeconfig',
      `--kubeconfig=${path}`,
      '--cluster=nowhere',
    ]);
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.match(
      result.stderr,
      /^error: the kubeconfig has no cluster named nowhere\nhint: clusters: prod, staging\n$/,
    );
    assert.equal(world.provider.counts.authorizations, 0);
    assert.equal(await readFile(path, 'utf8'), KUBECTL_STYLE_KUBECONFIG);
  });

  it('--provide-cluster-info without --cluster is a one-line error', async () => {
    const world = await startWorld();
    const result = await runSetup(world, [CLIENT, '--provide-cluster-info']);
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /^error: --provide-cluster-info needs --cluster/);
    assert.equal(world.provider.counts.authorizations, 0);
  });
});
