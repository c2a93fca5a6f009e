/**
 * `kubelogin whoami`: the context's token beside the user the stand-in API server maps it to
 * (SelfSubjectReview), as kube-apiserver does with its claim mappings and prefixes.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { expireCachedIdToken, readOnlyEntry } from '../../support/cache-entries.ts';
import type { ApiServerOptions } from '../../support/cluster/api-server.ts';
import { writeKubeconfig } from '../../support/cluster/kubeconfig.ts';
import { legacyUserYaml, loginForTokens } from '../../support/cluster/legacy-kubeconfig.ts';
import { createSelfSignedCertificate } from '../../support/provider/self-signed-certificate.ts';
import { API_AUDIENCE, getFreePort, TEST_CLIENTS } from '../../support/provider/test-provider.ts';
import type { CliResult } from '../../support/run-cli.ts';
import { WORLD_CONTEXT as CONTEXT, type World, worldPerTest } from '../../support/world.ts';

/** A login and a few CLI runs; a hang fails the test instead of stalling the suite. */
const TEST_TIMEOUT_MS = 60_000;
/** The API server of these tests maps groups from the `groups` claim. */
const API_SERVER: Partial<ApiServerOptions> = { groupsClaim: 'groups' };

/** Runs whoami on the world's kubeconfig with `extra` flags. */
function whoami(world: World, extra: readonly string[] = []): Promise<CliResult> {
  return world.run(['whoami', `--kubeconfig=${world.kubeconfig}`, ...extra]);
}

/** Asserts no cached token appears in the run's output. */
async function assertNoToken(result: CliResult, cacheDir: string): Promise<void> {
  const entry = await readOnlyEntry(cacheDir);
  for (const token of [entry.id_token, entry.refresh_token, entry.access_token]) {
    if (token !== undefined)
      assert.ok(!result.stdout.includes(token) && !result.stderr.includes(token), 'a token was printed');
  }
}

/** The `sub` of the cached ID token. */
async function cachedSubject(cacheDir: string): Promise<string> {
  const { id_token: idToken } = await readOnlyEntry(cacheDir);
  return (
    JSON.parse(Buffer.from((idToken as string).split('.')[1] as string, 'base64url').toString('utf8')) as {
      sub: string;
    }
  ).sub;
}

describe('whoami', () => {
  const startWorld = worldPerTest({ apiServer: API_SERVER });

  it('shows the token and the user the API server maps by default (sub with the issuer# prefix)', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const fixture = await startWorld();
    const { apiServer } = fixture;
    assert.equal((await fixture.getToken()).code, 0);
    const result = await whoami(fixture);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, '');
    const sub = await cachedSubject(fixture.cacheDir);
    assert.match(result.stdout, new RegExp(`^Context ${CONTEXT} \\(user ${CONTEXT}\\) in `));
    assert.match(result.stdout, new RegExp(`\\n  issuer +${fixture.provider.issuer}\\n`));
    assert.match(result.stdout, new RegExp(`\\n  subject +${sub}\\n`));
    assert.match(result.stdout, /\n {2}expires +\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \(in \d+s\)\n/);
    assert.match(result.stdout, /\n {2}refresh token +held/);
    assert.match(result.stdout, /\n {2}cache entry +.*token-cache\/[0-9a-f]{64}\n/);
    assert.match(
      result.stdout,
      new RegExp(`The cluster ${apiServer.url} says\\n  username +${fixture.provider.issuer}#${sub}\\n`),
    );
    assert.match(result.stdout, /\n {2}groups +.*system:authenticated\n/);
    await assertNoToken(result, fixture.cacheDir);
    assert.equal(await fixture.browserRuns(), 1, 'whoami opened a browser');
  });

  it('-o json prints one document with the prefixed username and groups the API server maps', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const fixture = await startWorld({
      apiServer: { ...API_SERVER, usernameClaim: 'email', usernamePrefix: 'oidc:', groupsPrefix: 'oidc:' },
    });
    assert.equal((await fixture.getToken()).code, 0);
    const result = await whoami(fixture, ['-o', 'json']);
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout) as {
      context: string;
      token: {
        issuer: string;
        claims: { email?: string; groups?: string[] };
        refreshTokenHeld: boolean;
        secondsLeft: number;
      };
      cluster: { userInfo: { username: string; groups: string[] } };
    };
    assert.equal(report.context, CONTEXT);
    assert.equal(report.token.issuer, fixture.provider.issuer);
    assert.equal(report.token.refreshTokenHeld, true);
    assert.ok(report.token.secondsLeft > 0);
    assert.ok(report.token.claims.email, 'the token has no email to map');
    assert.equal(report.cluster.userInfo.username, `oidc:${report.token.claims.email}`);
    for (const group of report.token.claims.groups ?? [])
      assert.ok(report.cluster.userInfo.groups.includes(`oidc:${group}`));
    assert.ok(report.cluster.userInfo.groups.includes('system:authenticated'));
  });

  it('refreshes an expired token as get-token would, without a browser', { timeout: TEST_TIMEOUT_MS }, async () => {
    const fixture = await startWorld();
    assert.equal((await fixture.getToken()).code, 0);
    await expireCachedIdToken(fixture.cacheDir);
    const result = await whoami(fixture);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /The cluster .* says\n {2}username /);
    assert.equal(fixture.provider.counts.refreshes, 1);
    assert.equal(await fixture.browserRuns(), 1, 'whoami opened a browser');
  });

  it('with nothing cached fails without a browser, pointing to --login; with --login it logs in', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const fixture = await startWorld();
    const result = await whoami(fixture);
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.match(
      result.stderr,
      new RegExp(
        `^error: no usable token is cached for the user ${CONTEXT} of the context ${CONTEXT}, and a new one needs a login\\nhint: run kubelogin whoami --login`,
      ),
    );
    assert.equal(await fixture.browserRuns(), 0);
    const login = await whoami(fixture, ['--login']);
    assert.equal(login.code, 0, login.stderr);
    assert.equal(await fixture.browserRuns(), 1);
  });

  it('a token the API server rejects (another audience) exits 1 and names the likely check', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const fixture = await startWorld({ apiServer: { ...API_SERVER, audience: 'another-cluster' } });
    const { apiServer } = fixture;
    assert.equal((await fixture.getToken()).code, 0);
    const result = await whoami(fixture);
    assert.equal(result.code, 1);
    assert.match(
      result.stdout,
      new RegExp(
        `The cluster ${apiServer.url} rejected the token \\(HTTP 401: Unauthorized\\)\\n  likely check failed: issuer, audience or signature: .*audiences must contain "kubernetes"`,
      ),
    );
    assert.match(
      result.stderr,
      new RegExp(
        `^error: the API server ${apiServer.url} \\(context ${CONTEXT}\\) rejected the token with HTTP 401\\nhint: likely issuer, audience or signature`,
      ),
    );
    assert.doesNotMatch(result.stderr, /\n\s+at /);
    await assertNoToken(result, fixture.cacheDir);
  });
});

describe('whoami runs the plugin as kubectl does', () => {
  const startWorld = worldPerTest({ apiServer: API_SERVER });

  /** Rewrites the world's kubeconfig with these exec args and env. */
  async function execUser(world: World, args: readonly string[], env: Record<string, string> = {}): Promise<void> {
    await writeKubeconfig(world.kubeconfig, {
      server: world.apiServer.url,
      certificateAuthorityData: world.apiServer.certificateAuthorityData,
      execApiVersion: 'client.authentication.k8s.io/v1',
      command: 'kubelogin',
      args,
      env,
    });
  }

  it("with the exec block's env on top of its own: there the token cache is found", {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const fixture = await startWorld();
    const cacheBase = join(fixture.home.home, 'kube-cache-of-the-exec-env');
    const args = fixture.args.filter((arg) => !arg.startsWith('--token-cache-dir='));
    assert.equal((await fixture.run(args, { env: { KUBECACHEDIR: cacheBase } })).code, 0);
    await execUser(fixture, args, { KUBECACHEDIR: cacheBase });
    const result = await whoami(fixture);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, new RegExp(`\n {2}cache entry +${cacheBase}/oidc-login/[0-9a-f]{64}\n`));
    assert.equal(await fixture.browserRuns(), 1, 'whoami logged in');
  });

  it('gets the token of a grant that needs no person without --login, as get-token would', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const fixture = await startWorld({ apiServer: { ...API_SERVER, audience: API_AUDIENCE } });
    await execUser(fixture, [
      ...fixture.args.filter((arg) => !arg.startsWith('--oidc-client-id=') && !arg.startsWith('--oidc-extra-scope=')),
      `--oidc-client-id=${TEST_CLIENTS.confidential}`,
      `--oidc-client-secret=${TEST_CLIENTS.confidentialSecret}`,
      '--grant-type=client-credentials',
    ]);
    const result = await whoami(fixture);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /The cluster .* says\n {2}username /);
    assert.equal(fixture.provider.counts.clientCredentialsGrants, 1);
    assert.ok(
      !result.stdout.includes(TEST_CLIENTS.confidentialSecret) &&
        !result.stderr.includes(TEST_CLIENTS.confidentialSecret),
    );
  });
});

describe('whoami with a user of convert-kubeconfig', () => {
  const startWorld = worldPerTest({ apiServer: API_SERVER });

  it('uses the tokens convert-kubeconfig moved into the cache, without a login', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const fixture = await startWorld({ apiServer: { ...API_SERVER, usernameClaim: 'email' } });
    const { apiServer, kubeconfig } = fixture;
    const tokens = await loginForTokens(fixture, 'alice');
    const user = legacyUserYaml('legacy', {
      'idp-issuer-url': fixture.provider.issuer,
      'client-id': TEST_CLIENTS.native,
      'extra-scopes': 'email,offline_access',
      'id-token': tokens.idToken,
      'refresh-token': tokens.refreshToken,
    });
    await writeFile(
      kubeconfig,
      `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: ${apiServer.url}\n    certificate-authority-data: ${apiServer.certificateAuthorityData}\n` +
        `contexts:\n- name: legacy\n  context:\n    cluster: c\n    user: legacy\ncurrent-context: legacy\nusers:\n${user}`,
      { mode: 0o600 },
    );
    const converted = await fixture.run(['convert-kubeconfig', `--kubeconfig=${kubeconfig}`]);
    assert.equal(converted.code, 0, converted.stderr);
    const runs = await fixture.browserRuns();

    const result = await whoami(fixture, ['-o', 'json']);
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout) as { user: string; cluster: { userInfo: { username: string } } };
    assert.equal(report.user, 'legacy');
    assert.equal(report.cluster.userInfo.username, 'alice@example.com');
    assert.equal(await fixture.browserRuns(), runs, 'whoami logged in');
  });
});

describe('whoami bad input', () => {
  const startWorld = worldPerTest({ apiServer: API_SERVER });

  it('a missing kubeconfig names the file', { timeout: TEST_TIMEOUT_MS }, async () => {
    const world = await startWorld({ provider: false, apiServer: undefined });
    const result = await world.run(['whoami', '--kubeconfig=/nonexistent/kubeconfig']);
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /^error: cannot read the kubeconfig \/nonexistent\/kubeconfig: /);
  });

  it('a missing context, and a user that is not this plugin, name the context and the file', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const fixture = await startWorld();
    const { kubeconfig } = fixture;
    const missing = await whoami(fixture, ['--context=nope']);
    assert.equal(missing.code, 1);
    assert.equal(missing.stdout, '');
    assert.equal(
      missing.stderr,
      `error: the kubeconfig ${kubeconfig} has no context named nope\nhint: contexts: ${CONTEXT}\n`,
    );

    const other = join(kubeconfig, '..', 'other-kubeconfig');
    await writeFile(
      other,
      `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: https://127.0.0.1:1}\nusers:\n- name: u\n  user:\n    exec: {apiVersion: client.authentication.k8s.io/v1, command: aws, args: [eks, get-token], interactiveMode: Never}\ncontexts:\n- name: x\n  context: {cluster: c, user: u}\ncurrent-context: x\n`,
    );
    const notPlugin = await fixture.run(['whoami', `--kubeconfig=${other}`]);
    assert.equal(notPlugin.code, 1);
    assert.equal(notPlugin.stdout, '');
    assert.match(
      notPlugin.stderr,
      new RegExp(`^error: the user u of the context x in ${other} runs aws eks, not kubelogin get-token\\nhint: `),
    );
  });

  it('an unreachable cluster and a CA that does not match name the server and the context', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const fixture = await startWorld();
    const { apiServer, kubeconfig } = fixture;
    assert.equal((await fixture.getToken()).code, 0);
    const port = await getFreePort();
    await writeKubeconfig(kubeconfig, {
      server: `https://127.0.0.1:${port}`,
      certificateAuthorityData: apiServer.certificateAuthorityData,
      execApiVersion: 'client.authentication.k8s.io/v1',
      command: 'kubelogin',
      args: fixture.args,
    });
    const unreachable = await whoami(fixture);
    assert.equal(unreachable.code, 1);
    assert.equal(unreachable.stdout, '');
    assert.match(
      unreachable.stderr,
      new RegExp(
        `^error: cannot reach the API server https://127\\.0\\.0\\.1:${port} \\(context ${CONTEXT} in ${kubeconfig}\\): connection refused\\n`,
      ),
    );

    const otherCa = await createSelfSignedCertificate();
    await writeKubeconfig(kubeconfig, {
      server: apiServer.url,
      certificateAuthorityData: Buffer.from(otherCa.cert).toString('base64'),
      execApiVersion: 'client.authentication.k8s.io/v1',
      command: 'kubelogin',
      args: fixture.args,
    });
    const mismatch = await whoami(fixture);
    assert.equal(mismatch.code, 1);
    assert.equal(mismatch.stdout, '');
    assert.match(
      mismatch.stderr,
      new RegExp(
        `^error: cannot verify the TLS certificate of the API server ${apiServer.url} \\(context ${CONTEXT} in ${kubeconfig}\\): .*certificate-authority-data of the cluster ${CONTEXT} does not trust it\\n`,
      ),
    );
    await assertNoToken(mismatch, fixture.cacheDir);
  });
});
