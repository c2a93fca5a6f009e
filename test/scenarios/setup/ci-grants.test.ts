/**
 * `kubelogin setup` for the CI grants and `--exchange-audience`: the token is
 * obtained as get-token obtains it (fetched from the stand-in for GitHub's
 * token service, read from a file, exchanged), no cache is touched, and the
 * API server's AuthenticationConfiguration names the CI issuer, the audience
 * each cluster accepts, the required claims and a username prefix.
 */
import assert from 'node:assert/strict';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CI_JOB_CLAIMS } from '../../support/ci/ci-token-service.ts';
import { exchangeOnlyClient, exchangingNativeClient } from '../../support/provider/exchange-clients.ts';
import type { CliResult } from '../../support/run-cli.ts';
import {
  checkNamed,
  oneLineErrorProblem,
  printedApiServer,
  printedClaims,
  printedKubeconfigFragment,
  printedRoleBinding,
} from '../../support/setup-output.ts';
import { worldForAll } from '../../support/world.ts';

/** The audience a cluster trusting GitHub's issuer expects, as in Oracle's OKE guide. */
const AUDIENCE = 'kubernetes';
/** Why a CI grant's renewal is not tried. */
const NO_REFRESH = /this grant has no refresh token: get-token asks again each time$/;

/** The first JWT authenticator of the printed AuthenticationConfiguration. */
function jwtAuthenticator(stdout: string): {
  issuer: { url: string; audiences: string[] };
  claimMappings: { username: { claim: string; prefix: string } };
  claimValidationRules?: unknown[];
} {
  const { authentication } = printedApiServer(stdout);
  return (authentication['jwt'] as Array<ReturnType<typeof jwtAuthenticator>>)[0] as ReturnType<
    typeof jwtAuthenticator
  >;
}

/** Asserts that setup succeeded with the whole report on stdout. */
function assertReport(result: CliResult): void {
  assert.equal(result.code, 0, `setup failed:\n${result.stderr}`);
  assert.match(result.stdout, /^## Role binding$/m, 'the report is complete');
}

/** Asserts that the CI grant's refresh token and renewal checks pass, saying why there is none. */
function assertNoRefreshByDesign(stdout: string): void {
  for (const name of ['refresh token', 'renewal']) {
    const check = checkNamed(stdout, name);
    assert.equal(check.status, 'pass', `${name}: ${check.reason}`);
    assert.match(check.reason, NO_REFRESH);
  }
}

describe('setup with the CI grants', () => {
  const world = worldForAll({ provider: false, ci: true });

  it("github-actions: fetches the job's token and prints the issuer, audience, both required claims and the actions-oidc: prefix", async () => {
    const { ci, home, run } = world();
    const result = await run([
      'setup',
      '--grant-type=github-actions',
      `--oidc-issuer-url=${ci.issuer}`,
      `--oidc-client-id=${AUDIENCE}`,
      `--required-claim=repository=${CI_JOB_CLAIMS.repository}`,
      `--required-claim=ref=${CI_JOB_CLAIMS.ref}`,
    ]);
    assertReport(result);
    assert.deepEqual(ci.audiencesIssued, [AUDIENCE], 'the token was asked for once, for the client ID');
    assert.equal(printedClaims(result.stdout).claims['repository'], CI_JOB_CLAIMS.repository);
    assert.equal(checkNamed(result.stdout, 'issuer').status, 'pass');
    assert.equal(checkNamed(result.stdout, 'audience').status, 'pass');
    assertNoRefreshByDesign(result.stdout);

    const jwt = jwtAuthenticator(result.stdout);
    assert.equal(jwt.issuer.url, ci.issuer);
    assert.deepEqual(jwt.issuer.audiences, [AUDIENCE]);
    assert.deepEqual(jwt.claimMappings.username, { claim: 'sub', prefix: 'actions-oidc:' });
    assert.deepEqual(jwt.claimValidationRules, [
      { claim: 'repository', requiredValue: CI_JOB_CLAIMS.repository },
      { claim: 'ref', requiredValue: CI_JOB_CLAIMS.ref },
    ]);
    const { legacyFlags } = printedApiServer(result.stdout);
    assert.ok(legacyFlags.includes('--oidc-username-prefix=actions-oidc:'), legacyFlags.join('\n'));
    assert.ok(legacyFlags.includes(`--oidc-required-claim=ref=${CI_JOB_CLAIMS.ref}`), legacyFlags.join('\n'));
    assert.equal(printedRoleBinding(result.stdout).seenAs, `actions-oidc:${CI_JOB_CLAIMS.sub}`);

    const exec = printedKubeconfigFragment(result.stdout).users[0]?.user.exec as {
      args: string[];
      interactiveMode: string;
    };
    assert.deepEqual(exec.args, [
      'get-token',
      `--oidc-issuer-url=${ci.issuer}`,
      `--oidc-client-id=${AUDIENCE}`,
      '--grant-type=github-actions',
    ]);
    assert.equal(exec.interactiveMode, 'Never');
    assert.deepEqual(await readdir(join(home.home, '.kube', 'cache')).catch(() => []), [], 'no cache is written');
  });

  it('github-actions: --username-prefix overrides the prefix', async () => {
    const { ci, run } = world();
    const result = await run([
      'setup',
      '--grant-type=github-actions',
      `--oidc-issuer-url=${ci.issuer}`,
      `--oidc-client-id=${AUDIENCE}`,
      '--username-prefix=ci:',
    ]);
    assertReport(result);
    assert.deepEqual(jwtAuthenticator(result.stdout).claimMappings.username, { claim: 'sub', prefix: 'ci:' });
  });

  it("token-file: reads and verifies the file's token and prints that issuer and audience", async () => {
    const { ci, home, run } = world();
    const tokenFile = join(home.home, 'token');
    await writeFile(tokenFile, await ci.mint(AUDIENCE));
    const result = await run([
      'setup',
      '--grant-type=token-file',
      `--token-file=${tokenFile}`,
      `--oidc-issuer-url=${ci.issuer}`,
      `--oidc-client-id=${AUDIENCE}`,
      '--required-claim=repository=org/repo',
    ]);
    assertReport(result);
    assertNoRefreshByDesign(result.stdout);
    const jwt = jwtAuthenticator(result.stdout);
    assert.equal(jwt.issuer.url, ci.issuer);
    assert.deepEqual(jwt.issuer.audiences, [AUDIENCE]);
    assert.deepEqual(jwt.claimValidationRules, [{ claim: 'repository', requiredValue: 'org/repo' }]);
    const exec = printedKubeconfigFragment(result.stdout).users[0]?.user.exec as { args: string[] };
    assert.ok(exec.args.includes(`--token-file=${tokenFile}`), exec.args.join(' '));
  });

  it('token-file: needs --oidc-issuer-url, and refuses a token for another audience in one line', async () => {
    const { ci, home, run } = world();
    const tokenFile = join(home.home, 'token');
    const missing = await run(['setup', '--grant-type=token-file', `--token-file=${tokenFile}`]);
    assert.equal(missing.code, 1);
    assert.equal(missing.stdout, '');
    assert.equal(oneLineErrorProblem(missing.stderr, ['--oidc-issuer-url']), undefined);

    const token = await ci.mint('another-cluster');
    await writeFile(tokenFile, token);
    const refused = await run([
      'setup',
      '--grant-type=token-file',
      `--token-file=${tokenFile}`,
      `--oidc-issuer-url=${ci.issuer}`,
      `--oidc-client-id=${AUDIENCE}`,
    ]);
    assert.equal(refused.code, 1);
    assert.equal(refused.stdout, '');
    assert.equal(oneLineErrorProblem(refused.stderr, ['--token-file']), undefined);
    assert.ok(!refused.stderr.includes(token), 'the token is not in the message');
  });
});

/** A public native client that may also exchange its users' tokens. */
const EXCHANGING_NATIVE = 'exchanging-native';

const exchangingNative = exchangingNativeClient(EXCHANGING_NATIVE);

describe('setup with --exchange-audience', () => {
  const world = worldForAll({
    provider: { clients: [exchangingNative], tokenExchange: { trustedIssuers: [], refusedAudiences: [] } },
  });

  it('logs in, exchanges once, and prints the audience this cluster must accept from the provider', async () => {
    const fixture = world();
    const args = [
      'setup',
      ...fixture.args.filter(
        (arg) => arg !== 'get-token' && !arg.startsWith('--oidc-client-id=') && !arg.startsWith('--token-cache-dir='),
      ),
      `--oidc-client-id=${EXCHANGING_NATIVE}`,
      '--grant-type=authcode',
      '--exchange-audience=cluster-a',
    ];
    const result = await fixture.run(args);
    assert.equal(result.code, 0, `${result.stderr}\n${fixture.provider.errors.join('\n')}`);
    assert.deepEqual(fixture.provider.exchangedAudiences, ['cluster-a']);
    assert.equal(printedClaims(result.stdout).claims['aud'], 'cluster-a');
    assert.equal(checkNamed(result.stdout, 'audience').status, 'pass');
    assert.equal(checkNamed(result.stdout, 'renewal').status, 'pass', "the login's refresh renews it");

    const jwt = jwtAuthenticator(result.stdout);
    assert.equal(jwt.issuer.url, fixture.provider.issuer);
    assert.deepEqual(jwt.issuer.audiences, ['cluster-a']);
    assert.match(result.stdout, /accepts the audience cluster-a \(--exchange-audience\)/);
    const exec = printedKubeconfigFragment(result.stdout).users[0]?.user.exec as { args: string[] };
    assert.ok(exec.args.includes('--exchange-audience=cluster-a'), exec.args.join(' '));
    assert.deepEqual(await readdir(fixture.cacheDir).catch(() => []), [], 'no cache is written');
  });
});

/** A confidential client allowed to exchange CI tokens. */
const EXCHANGER = { id: 'exchanger', secret: 'exchanger-secret' };

describe('setup with --grant-type=token-exchange', () => {
  const world = worldForAll({
    ci: true,
    provider: { clients: [exchangeOnlyClient(EXCHANGER)], tokenExchange: { trustedIssuers: [] } },
  });

  it("exchanges the job's token once and prints the provider as issuer with the client ID as audience", async () => {
    const { provider, run } = world();
    const result = await run([
      'setup',
      '--grant-type=token-exchange',
      '--subject-token-source=github-actions',
      `--oidc-issuer-url=${provider.issuer}`,
      `--oidc-client-id=${EXCHANGER.id}`,
      `--oidc-client-secret=${EXCHANGER.secret}`,
      `--required-claim=sub=${CI_JOB_CLAIMS.sub}`,
    ]);
    assertReport(result);
    assert.deepEqual(provider.exchangedAudiences, [EXCHANGER.id]);
    assertNoRefreshByDesign(result.stdout);
    const jwt = jwtAuthenticator(result.stdout);
    assert.equal(jwt.issuer.url, provider.issuer);
    assert.deepEqual(jwt.issuer.audiences, [EXCHANGER.id]);
    assert.deepEqual(jwt.claimValidationRules, [{ claim: 'sub', requiredValue: CI_JOB_CLAIMS.sub }]);
  });
});
