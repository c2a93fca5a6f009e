/**
 * What setup prints and what convert-kubeconfig writes, used by the real kubectl (v1.32) against
 * the test provider and a stand-in API server: the printed `kubectl config set-credentials` command
 * run through a shell, `setup --write-kubeconfig`, and a legacy auth-provider kubeconfig converted.
 * kubectl runs `kubelogin` from PATH, as the printed configuration says.
 */
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { delimiter, dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { linkCli } from '../support/cli-command.ts';
import type { ApiServer } from '../support/cluster/api-server.ts';
import { DEMO_POD_NAME } from '../support/cluster/kube-api-responses.ts';
import { entriesNamed, parseKubeconfig } from '../support/cluster/kubeconfig-samples.ts';
import { runKubectl } from '../support/cluster/kubectl.ts';
import { legacyUserYaml, loginForTokens } from '../support/cluster/legacy-kubeconfig.ts';
import { TEST_CLIENTS } from '../support/provider/test-provider.ts';
import type { CliResult } from '../support/run-cli.ts';
import { describeRun, runProcess } from '../support/run-process.ts';
import { printedKubeconfigFragment, printedSetCredentials, runSetup } from '../support/setup-output.ts';
import { type World, worldPerTest } from '../support/world.ts';

/** A login and a few kubectl runs per test; a hang fails it instead of stalling the suite. */
const TEST_TIMEOUT_MS = 120_000;
/** Long enough that no token expires during the file. */
const ID_TOKEN_TTL = 600;
const CLUSTER = 'stand-in';
const EXPECTED_USERNAME = 'alice@example.com';
const SETUP_FLAGS = [
  `--oidc-client-id=${TEST_CLIENTS.native}`,
  '--oidc-extra-scope=email,groups,offline_access',
  '--username-claim=email',
];

/** Each test's world: the provider, an API server mapping users by email and groups by `groups`, a HOME. */
const startWorld = worldPerTest({
  runner: 'subprocess',
  provider: { idTokenTTL: ID_TOKEN_TTL },
  apiServer: { usernameClaim: 'email', groupsClaim: 'groups' },
});

/** A user's machine in the world's HOME: `kubelogin` on PATH, and a kubeconfig that knows the cluster. */
interface Workstation {
  kubeconfig: string;
  /** The world's environment with PATH holding kubelogin and node; a browser that would open fails at once. */
  env: NodeJS.ProcessEnv;
  kubectl(args: readonly string[]): Promise<CliResult>;
}

/** The head of a kubeconfig with the stand-in API server as its one cluster. */
function kubeconfigHead(apiServer: ApiServer): string[] {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- cluster:',
    `    certificate-authority-data: ${apiServer.certificateAuthorityData}`,
    `    server: ${apiServer.url}`,
    `  name: ${CLUSTER}`,
  ];
}

/** The cluster entry (and nothing else) of a new kubeconfig, as an administrator hands it out. */
function clusterOnlyKubeconfig(apiServer: ApiServer): string {
  return [...kubeconfigHead(apiServer), 'contexts: []', 'users: []', 'current-context: ""', 'preferences: {}', ''].join(
    '\n',
  );
}

/** Sets up a workstation in the world's HOME with a kubeconfig holding `kubeconfigText`. */
async function workstation(world: World, kubeconfigText: string): Promise<Workstation> {
  const bin = join(world.home.home, 'bin');
  await mkdir(bin);
  const kubeloginPath = await linkCli(bin, 'kubelogin');
  const kubeconfig = join(world.home.home, 'kubeconfig.yaml');
  await writeFile(kubeconfig, kubeconfigText, { mode: 0o600 });
  const env: NodeJS.ProcessEnv = {
    ...world.env,
    // The login driver's `#!/usr/bin/env node` needs this node on PATH.
    PATH: [...new Set([...kubeloginPath, dirname(process.execPath)]), '/usr/local/bin', '/usr/bin', '/bin'].join(
      delimiter,
    ),
    BROWSER: '/bin/false',
  };
  return { kubeconfig, env, kubectl: (args) => runKubectl([`--kubeconfig=${kubeconfig}`, ...args], { env }) };
}

/** Asserts that kubectl listed the demo pod and every API request since `from` was the test user's. */
function assertPodsListed(apiServer: ApiServer, result: CliResult, from: number): void {
  assert.equal(result.code, 0, describeRun('kubectl get pods', result));
  assert.match(result.stdout, new RegExp(`^${DEMO_POD_NAME}\\s`, 'm'), describeRun('kubectl get pods', result));
  const requests = apiServer.requests.slice(from);
  assert.ok(requests.length > 0, 'kubectl sent no request to the API server');
  for (const request of requests) {
    assert.equal(request.status, 200, `${request.path} got ${request.status}: ${request.error ?? ''}`);
    assert.equal(request.username, EXPECTED_USERNAME);
  }
}

describe('setup output with the real kubectl', () => {
  it('the printed set-credentials command, run in a shell, makes kubectl get pods work', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const world = await startWorld();
    const { provider, apiServer } = world;
    const station = await workstation(world, clusterOnlyKubeconfig(apiServer));
    const setup = await runSetup(world, SETUP_FLAGS, { env: station.env });
    assert.equal(setup.code, 0, setup.stderr);
    // kubectl's dispatcher may already ask the server for /version (running the plugin) during
    // `kubectl config use-context`: logins are counted from here, after setup's own.
    const setupRuns = await world.browserRuns();
    const authorizationsAfterSetup = provider.counts.authorizations;
    const command = printedSetCredentials(setup.stdout);
    assert.match(command, / \\\n/, 'the command spans lines');

    const shell = await runProcess('/bin/sh', ['-c', `${command} --kubeconfig='${station.kubeconfig}'`], {
      env: station.env,
      timeoutMs: 30_000,
    });
    assert.equal(shell.code, 0, describeRun('the printed command', shell));
    assert.match(shell.stdout, /User "oidc" set\./);

    // What kubectl wrote is what the printed fragment says.
    const written = entriesNamed(parseKubeconfig(await readFile(station.kubeconfig, 'utf8')), 'users', 'oidc');
    assert.equal(written.length, 1);
    const exec = written[0]?.user['exec'] as Record<string, unknown>;
    const fragment = printedKubeconfigFragment(setup.stdout).users[0]?.user.exec;
    assert.ok(fragment !== undefined);
    for (const field of ['apiVersion', 'command', 'args', 'interactiveMode']) {
      assert.deepEqual(exec[field], fragment[field], `exec.${field}`);
    }

    for (const args of [
      ['config', 'set-context', 'oidc', `--cluster=${CLUSTER}`, '--user=oidc', '--namespace=default'],
      ['config', 'use-context', 'oidc'],
    ]) {
      const result = await station.kubectl(args);
      assert.equal(result.code, 0, describeRun(`kubectl ${args.join(' ')}`, result));
    }

    const from = apiServer.requests.length;
    const pods = await station.kubectl(['get', 'pods']);
    assertPodsListed(apiServer, pods, from);
    assert.equal(pods.stderr, '', 'kubectl and the plugin must be quiet on success');
    assert.equal(
      await world.browserRuns(),
      setupRuns + 1,
      'get-token logged in once through the printed --browser-command',
    );
    assert.equal(provider.counts.authorizations, authorizationsAfterSetup + 1);

    // And again from the cache: no login.
    const again = await station.kubectl(['get', 'pods']);
    assertPodsListed(apiServer, again, from);
    assert.equal(await world.browserRuns(), setupRuns + 1);
  });

  it('setup --write-kubeconfig with --context and --cluster makes kubectl --context work', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const world = await startWorld();
    const { apiServer } = world;
    const station = await workstation(world, clusterOnlyKubeconfig(apiServer));
    const setup = await runSetup(
      world,
      [
        ...SETUP_FLAGS,
        '--write-kubeconfig',
        `--kubeconfig=${station.kubeconfig}`,
        '--user=me',
        '--context=mine',
        `--cluster=${CLUSTER}`,
      ],
      {
        env: station.env,
      },
    );
    assert.equal(setup.code, 0, setup.stderr);
    const setupRuns = await world.browserRuns();
    const view = await station.kubectl([
      'config',
      'view',
      '-o',
      'jsonpath={.contexts[?(@.name=="mine")].context.user}',
    ]);
    assert.equal(view.code, 0, describeRun('kubectl config view', view));
    assert.equal(view.stdout, 'me');

    const from = apiServer.requests.length;
    const pods = await station.kubectl(['--context=mine', 'get', 'pods']);
    assertPodsListed(apiServer, pods, from);
    assert.equal(await world.browserRuns(), setupRuns + 1, 'get-token logged in once');
  });
});

describe('convert-kubeconfig with the real kubectl', () => {
  it('a legacy auth-provider kubeconfig works after conversion through kubelogin, with no login', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const world = await startWorld();
    const { provider, apiServer } = world;
    const tokens = await loginForTokens(world, 'alice');
    const legacy = [
      ...kubeconfigHead(apiServer),
      'contexts:',
      '- context:',
      `    cluster: ${CLUSTER}`,
      '    namespace: default',
      '    user: legacy',
      '  name: legacy',
      'current-context: legacy',
      'preferences: {}',
      'users:',
      legacyUserYaml('legacy', {
        'idp-issuer-url': provider.issuer,
        'client-id': TEST_CLIENTS.native,
        'extra-scopes': 'email,offline_access',
        'id-token': tokens.idToken,
        'refresh-token': tokens.refreshToken,
      }),
    ].join('\n');

    const station = await workstation(world, legacy);
    const converted = await world.run(['convert-kubeconfig', `--kubeconfig=${station.kubeconfig}`], {
      env: station.env,
    });
    assert.equal(converted.code, 0, converted.stderr);
    assert.match(converted.stderr, /Converted the user legacy/);
    const [user] = entriesNamed(parseKubeconfig(await readFile(station.kubeconfig, 'utf8')), 'users', 'legacy');
    assert.deepEqual(Object.keys(user?.user ?? {}), ['exec'], 'the user still has more than its exec block');

    const from = apiServer.requests.length;
    const before = { ...provider.counts };
    const pods = await station.kubectl(['get', 'pods']);
    assertPodsListed(apiServer, pods, from);
    assert.equal(await world.browserRuns(), 0, 'a browser login happened');
    assert.deepEqual(provider.counts, before, 'the provider was asked for a token');
  });
});
