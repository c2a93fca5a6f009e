/**
 * Per-cluster settings: with `provideClusterInfo: true` kubectl puts the cluster's
 * `client.authentication.k8s.io/exec` extension into KUBERNETES_EXEC_INFO (spec.cluster.config),
 * and its keys fill in the get-token flags the exec arguments leave out. The cache key comes from
 * the merged flags; every mistake in the extension is one line naming the cluster.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { entryFiles } from '../../support/cache-entries.ts';
import { TEST_CLIENTS } from '../../support/provider/test-provider.ts';
import type { CliResult } from '../../support/run-cli.ts';
import { type World, worldForAll, worldPerTest } from '../../support/world.ts';

/** The server kubectl names the cluster by. */
const SERVER = 'https://prod.example:6443';

/** KUBERNETES_EXEC_INFO as kubectl sends it for a user with provideClusterInfo: true. */
function execInfoWith(config: unknown, server = SERVER): string {
  return JSON.stringify({
    kind: 'ExecCredential',
    apiVersion: 'client.authentication.k8s.io/v1',
    spec: { interactive: false, cluster: { server, 'insecure-skip-tls-verify': false, config } },
  });
}

/** The world's get-token arguments without the issuer and the client ID: what all clusters share. */
function sharedArgs(world: World): string[] {
  return world.args.filter((arg) => !/^--oidc-(issuer-url|client-id)=/.test(arg));
}

/** The extension of a cluster whose provider is the world's. */
function providerSettings(world: World, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { 'oidc-issuer-url': world.provider.issuer, 'oidc-client-id': TEST_CLIENTS.native, ...extra };
}

/** Asserts a refused run: exit 1, nothing on stdout, one error line, no browser. */
async function assertRefused(world: World, result: CliResult, error: RegExp): Promise<void> {
  assert.equal(result.code, 1, result.stderr);
  assert.equal(result.stdout, '');
  assert.match(result.stderr, error);
  assert.equal(result.stderr.split('\n').filter((line) => line.startsWith('error: ')).length, 1, result.stderr);
  assert.equal(await world.browserRuns(), 0);
}

describe("settings from the cluster's exec extension", () => {
  const startWorld = worldPerTest();

  it('logs in with the issuer and client ID of the extension, sharing the entry of the same flags as arguments', async () => {
    const world = await startWorld();
    const run = await world.run(sharedArgs(world), {
      env: { KUBERNETES_EXEC_INFO: execInfoWith(providerSettings(world)) },
    });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /"kind":"ExecCredential"/);
    // The same settings given as arguments select the same cache entry: no second login.
    const asFlags = await world.getToken();
    assert.equal(asFlags.code, 0, asFlags.stderr);
    assert.equal(await world.browserRuns(), 1);
    assert.equal((await entryFiles(world.cacheDir)).length, 1);
  });

  it('keys the cache by the merged settings: clusters that differ get their own login, alike ones share it', async () => {
    const world = await startWorld();
    const asCluster = (server: string, scopes: string[]) =>
      world.run(
        sharedArgs(world).filter((arg) => !arg.startsWith('--oidc-extra-scope=')),
        {
          env: { KUBERNETES_EXEC_INFO: execInfoWith(providerSettings(world, { 'oidc-extra-scope': scopes }), server) },
        },
      );
    for (const [server, scopes] of [
      ['https://a.example', ['email']],
      ['https://b.example', ['email', 'groups']],
      ['https://c.example', ['email']],
    ] as const) {
      const result = await asCluster(server, [...scopes]);
      assert.equal(result.code, 0, result.stderr);
    }
    assert.equal(await world.browserRuns(), 2, 'a and c share one login');
    assert.equal((await entryFiles(world.cacheDir)).length, 2);
  });

  it('takes a key the arguments give with the same value', async () => {
    const world = await startWorld();
    const result = await world.getToken([], {
      env: { KUBERNETES_EXEC_INFO: execInfoWith(providerSettings(world)) },
    });
    assert.equal(result.code, 0, result.stderr);
  });
});

describe("mistakes in the cluster's exec extension", () => {
  const world = worldForAll();

  const refusedWith = async (config: unknown, error: RegExp, args?: readonly string[]) => {
    const result = await world().run(args ?? sharedArgs(world()), {
      env: { KUBERNETES_EXEC_INFO: execInfoWith(config) },
    });
    await assertRefused(world(), result, error);
    return result;
  };

  it('refuses a key the arguments set to another value, naming the server and the flag', async () => {
    const result = await refusedWith(
      { 'oidc-client-id': 'another-client' },
      /^error: the cluster https:\/\/prod\.example:6443 sets oidc-client-id in its client\.authentication\.k8s\.io\/exec extension, and the exec arguments give --oidc-client-id another value$/m,
      world().args,
    );
    assert.match(result.stderr, /^hint: keep what all clusters share in the arguments/m);
  });

  it('refuses an extension that is not a mapping', async () => {
    await refusedWith(
      ['oidc-issuer-url'],
      /^error: the client\.authentication\.k8s\.io\/exec extension of the cluster https:\/\/prod\.example:6443 is a list, not a mapping of get-token's flags$/m,
    );
  });

  it('refuses an unknown key, naming it', async () => {
    await refusedWith(
      { 'oidc-issuer': world().provider.issuer },
      /^error: the client\.authentication\.k8s\.io\/exec extension of the cluster https:\/\/prod\.example:6443 has the unknown key "oidc-issuer"$/m,
    );
  });

  it('refuses a value of the wrong type without printing it', async () => {
    const result = await refusedWith(
      { 'oidc-client-secret': ['a-secret-value'] },
      /^error: the client\.authentication\.k8s\.io\/exec extension of the cluster https:\/\/prod\.example:6443 has oidc-client-secret a list; it takes a string$/m,
    );
    assert.ok(!result.stderr.includes('a-secret-value'));
  });

  it('says what is missing when neither the arguments nor the extension name the issuer', async () => {
    await refusedWith({ 'oidc-client-id': TEST_CLIENTS.native }, /^error: --oidc-issuer-url is required$/m);
  });
});

describe('whoami with one user for several clusters', () => {
  const startWorld = worldPerTest();

  it("reads the context's cluster extension when the user has provideClusterInfo: true, as kubectl hands it over", async () => {
    const world = await startWorld({ apiServer: {} });
    const kubeconfig = join(world.home.home, 'shared-user.kubeconfig');
    const document = {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        {
          name: 'prod',
          cluster: {
            server: world.apiServer.url,
            'certificate-authority-data': world.apiServer.certificateAuthorityData,
            extensions: [{ name: 'client.authentication.k8s.io/exec', extension: providerSettings(world) }],
          },
        },
      ],
      users: [
        {
          name: 'oidc',
          user: {
            exec: {
              apiVersion: 'client.authentication.k8s.io/v1',
              command: 'kubelogin',
              args: sharedArgs(world),
              interactiveMode: 'Never',
              provideClusterInfo: true,
            },
          },
        },
      ],
      contexts: [{ name: 'prod', context: { cluster: 'prod', user: 'oidc' } }],
      'current-context': 'prod',
    };
    await writeFile(kubeconfig, JSON.stringify(document));
    assert.equal((await world.getToken()).code, 0);
    const result = await world.run(['whoami', `--kubeconfig=${kubeconfig}`]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, new RegExp(`\\n {2}issuer +${world.provider.issuer}\\n`));
    assert.equal(await world.browserRuns(), 1, 'whoami found the entry of the merged settings');

    // Without provideClusterInfo kubectl sends no cluster, and whoami reads the arguments alone.
    document.users[0]!.user.exec.provideClusterInfo = false;
    await writeFile(kubeconfig, JSON.stringify(document));
    const alone = await world.run(['whoami', `--kubeconfig=${kubeconfig}`]);
    assert.equal(alone.code, 1);
    assert.match(alone.stderr, /^error: the user oidc of the context prod in .*: --oidc-issuer-url is required$/m);
  });
});
