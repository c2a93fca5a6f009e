/**
 * `kubelogin setup` against the test provider: the claims, every check in each of its outcomes,
 * the printed configuration, no token cache, and `--write-kubeconfig` on real-looking files.
 */
import assert from 'node:assert/strict';
import { chmod, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { describe, it } from 'node:test';
import { HTTP_LOGIN_COMMAND } from '../../support/browser/drivers.ts';
import { entryFiles } from '../../support/cache-entries.ts';
import {
  entriesNamed,
  KUBECTL_STYLE_KUBECONFIG,
  ODD_KUBECONFIG,
  parseKubeconfig,
  withoutEntries,
} from '../../support/cluster/kubeconfig-samples.ts';
import { lineDiff } from '../../support/cluster/line-diff.ts';
import { refreshRejected, refreshWithoutIdToken } from '../../support/provider/refresh-quirks.ts';
import { API_AUDIENCE, passwordOf, TEST_CLIENTS } from '../../support/provider/test-provider.ts';
import type { CliResult } from '../../support/run-cli.ts';
import {
  CHECK_NAMES,
  checkNamed,
  oneLineErrorProblem,
  printedApiServer,
  printedChecks,
  printedClaims,
  printedKubeconfigFragment,
  printedKuberc,
  printedRoleBinding,
  printedSetCredentials,
  printedTimes,
  runSetup,
  section,
  timeAtOffset,
} from '../../support/setup-output.ts';
import type { TempHome } from '../../support/temp-home.ts';
import { type World, worldPerTest } from '../../support/world.ts';

/** Each test logs in once or twice; a hang fails it instead of stalling the suite. */
const TEST_TIMEOUT_MS = 60_000;
/** Scopes that put email, groups and a refresh token into the ID token and the response. */
const SCOPES = '--oidc-extra-scope=email,groups,offline_access';
const CLIENT = `--oidc-client-id=${TEST_CLIENTS.native}`;
/** A zone without daylight saving time and with a half-hour offset, so that local times are unmistakable. */
const TIME_ZONE = 'Asia/Kolkata';
const TIME_ZONE_OFFSET_MINUTES = 5 * 60 + 30;
const DAY_SECONDS = 24 * 60 * 60;

/** Runs setup and asserts it succeeded with the whole report on stdout. */
async function setupOk(world: World, extra: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  const result = await runSetup(world, extra, { env });
  assert.equal(result.code, 0, `setup failed:\n${result.stderr}`);
  assert.match(result.stdout, /^## Role binding$/m, 'the report is complete');
  return result;
}

/** Statuses by check name. */
function statuses(stdout: string): Record<string, string> {
  return Object.fromEntries(printedChecks(stdout).map((check) => [check.name, check.status]));
}

/** What every check says for a token that a default API server accepts, except `overrides`. */
function allPassExcept(overrides: Record<string, string>, withEmail = true): Record<string, string> {
  const names = CHECK_NAMES.filter((name) => withEmail || name !== 'email_verified');
  // The test provider's issuer is http, which the API server refuses: that check fails unless told otherwise.
  return Object.fromEntries(
    names.map((name) => [name, overrides[name] ?? (name === 'https issuer' ? 'fail' : 'pass')]),
  );
}

/** Every file under `dir`, relative, recursively; none when it does not exist. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true }).catch(() => [] as string[]);
  return entries.map(String).sort();
}

describe('setup: claims and checks', () => {
  const startWorld = worldPerTest();

  it('shows the claims as pretty JSON, iat/exp as local times with the lifetime, and passes every check', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const world = await startWorld();
    const result = await setupOk(world, [CLIENT, SCOPES, '--username-claim=email'], { TZ: TIME_ZONE });

    const { claims, json } = printedClaims(result.stdout);
    assert.equal(json, JSON.stringify(claims, null, 2), 'the claims are pretty-printed with two spaces');
    assert.equal(claims['iss'], world.provider.issuer);
    assert.equal(claims['aud'], TEST_CLIENTS.native);
    assert.equal(claims['sub'], 'alice');
    assert.equal(claims['email'], 'alice@example.com');
    assert.equal(claims['email_verified'], true);
    assert.deepEqual(claims['groups'], ['developers']);

    const iat = claims['iat'] as number;
    const exp = claims['exp'] as number;
    assert.equal(exp - iat, 30, 'the provider issues 30 s ID tokens by default');
    const times = printedTimes(result.stdout);
    assert.equal(times.iat, timeAtOffset(iat, TIME_ZONE_OFFSET_MINUTES));
    assert.equal(times.exp, `${timeAtOffset(exp, TIME_ZONE_OFFSET_MINUTES)} (lifetime 30s)`);

    assert.deepEqual(statuses(result.stdout), allPassExcept({}), result.stdout);
    assert.deepEqual(
      printedChecks(result.stdout).map((check) => check.name),
      CHECK_NAMES,
      'every check is shown, in order',
    );
    assert.equal(checkNamed(result.stdout, 'issuer').reason, `iss is ${world.provider.issuer}`);
    assert.match(checkNamed(result.stdout, 'signing algorithm').reason, /^RS256\b/);
    assert.match(checkNamed(result.stdout, 'username claim').reason, /alice@example\.com/);
    assert.equal(checkNamed(result.stdout, 'lifetime').reason, '30s');
    assert.equal(world.provider.counts.authorizations, 1);
  });

  it("writes no token cache: HOME holds nothing but the login driver's log", { timeout: TEST_TIMEOUT_MS }, async () => {
    const world = await startWorld();
    await setupOk(world, [CLIENT, SCOPES]);
    assert.deepEqual(await filesUnder(world.home.home), [basename(world.loginLog)], 'setup left files under HOME');
  });

  it('reads no token cache: it logs in even when get-token has a fresh entry for the same flags, which stays as it was', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const world = await startWorld({ provider: { idTokenTTL: 600 } });
    const loginFlags = [
      `--oidc-issuer-url=${world.provider.issuer}`,
      CLIENT,
      SCOPES,
      '--listen-address=127.0.0.1:0',
      `--browser-command=${HTTP_LOGIN_COMMAND}`,
    ];
    const login = await world.run(['get-token', ...loginFlags]);
    assert.equal(login.code, 0, login.stderr);
    const [file] = await entryFiles(world.home.cacheDir);
    assert.ok(file !== undefined, 'get-token cached its tokens');
    const cached = await readFile(join(world.home.cacheDir, file), 'utf8');
    const listing = await filesUnder(world.home.cacheDir);
    assert.equal(world.provider.counts.authorizations, 1);

    await setupOk(world, [CLIENT, SCOPES]);
    assert.equal(world.provider.counts.authorizations, 2, 'setup logged in instead of using the cache');
    assert.equal(await readFile(join(world.home.cacheDir, file), 'utf8'), cached, 'the cache entry is unchanged');
    assert.deepEqual(await filesUnder(world.home.cacheDir), listing, 'no file was added to or removed from the cache');
  });

  it('fails the email_verified check when the provider says the email is unverified', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const world = await startWorld({ provider: { claims: { alice: { email_verified: false } } } });
    const result = await setupOk(world, [CLIENT, SCOPES, '--username-claim=email']);
    assert.equal(printedClaims(result.stdout).claims['email_verified'], false);
    assert.deepEqual(statuses(result.stdout), allPassExcept({ email_verified: 'fail' }), result.stdout);
    assert.match(checkNamed(result.stdout, 'email_verified').reason, /false/);
  });

  it('does not check email_verified when the username claim is not email', { timeout: TEST_TIMEOUT_MS }, async () => {
    const world = await startWorld({ provider: { claims: { alice: { email_verified: false } } } });
    const result = await setupOk(world, [CLIENT, SCOPES]);
    assert.deepEqual(statuses(result.stdout), allPassExcept({}, false), result.stdout);
    assert.equal(checkNamed(result.stdout, 'username claim').reason, 'sub is "alice"');
  });

  it('passes a groups claim that is a single string, saying so', { timeout: TEST_TIMEOUT_MS }, async () => {
    const world = await startWorld({ provider: { claims: { alice: { groups: 'admins' } } } });
    const result = await setupOk(world, [CLIENT, SCOPES, '--username-claim=email']);
    assert.equal(printedClaims(result.stdout).claims['groups'], 'admins');
    assert.deepEqual(statuses(result.stdout), allPassExcept({}), result.stdout);
    assert.match(checkNamed(result.stdout, 'groups claim').reason, /string/);
    assert.match(checkNamed(result.stdout, 'groups claim').reason, /"admins"/);
  });

  it('fails a groups claim that is neither a string nor a list of strings', { timeout: TEST_TIMEOUT_MS }, async () => {
    const world = await startWorld({ provider: { claims: { alice: { groups: 42 } } } });
    const result = await setupOk(world, [CLIENT, SCOPES, '--username-claim=email']);
    assert.equal(printedClaims(result.stdout).claims['groups'], 42);
    assert.deepEqual(statuses(result.stdout), allPassExcept({ 'groups claim': 'fail' }), result.stdout);
    assert.match(checkNamed(result.stdout, 'groups claim').reason, /42/);
  });

  it('checks the claim named by --groups-claim, and warns when the token lacks it', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const world = await startWorld();
    const result = await setupOk(world, [CLIENT, SCOPES, '--username-claim=email', '--groups-claim=roles']);
    assert.deepEqual(statuses(result.stdout), allPassExcept({ 'groups claim': 'warn' }), result.stdout);
    assert.match(checkNamed(result.stdout, 'groups claim').reason, /roles/);
    // The API server section maps no groups claim that the token does not have.
    assert.ok(!printedApiServer(result.stdout).legacyFlags.some((flag) => flag.startsWith('--oidc-groups-claim')));
  });

  it('warns when no refresh token comes back (offline_access dropped without prompt=consent)', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const world = await startWorld({ provider: { refreshTokenPolicy: 'provider-default' } });
    const result = await setupOk(world, [CLIENT, SCOPES, '--username-claim=email']);
    assert.deepEqual(
      statuses(result.stdout),
      allPassExcept({ 'refresh token': 'warn', renewal: 'warn' }),
      result.stdout,
    );
    assert.match(checkNamed(result.stdout, 'renewal').reason, /^not tried: /);
    assert.match(checkNamed(result.stdout, 'refresh token').reason, /offline_access/);
  });

  it('passes the refresh token check when prompt=consent keeps offline_access', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const world = await startWorld({ provider: { refreshTokenPolicy: 'provider-default' } });
    const result = await setupOk(world, [
      CLIENT,
      SCOPES,
      '--username-claim=email',
      '--oidc-auth-request-extra-params=prompt=consent',
    ]);
    assert.deepEqual(statuses(result.stdout), allPassExcept({}), result.stdout);
  });

  it('proves renewal: one refresh after the login returns a new ID token and a rotated refresh token', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const world = await startWorld({ provider: { rotateRefreshToken: true } });
    const result = await setupOk(world, [CLIENT, SCOPES, '--username-claim=email']);
    const renewal = checkNamed(result.stdout, 'renewal');
    assert.equal(renewal.status, 'pass', result.stdout);
    assert.match(
      renewal.reason,
      /^a refresh returned a new ID token and a new refresh token: kubectl keeps working without a browser$/,
    );
    assert.equal(world.provider.counts.refreshes, 1);
  });

  it('fails the renewal check when the provider returns no ID token on refresh, naming the login interval and what avoids it; still exits 0', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const world = await startWorld({ provider: { middlewares: [refreshWithoutIdToken()] } });
    const result = await setupOk(world, [CLIENT, SCOPES, '--username-claim=email']);
    assert.deepEqual(statuses(result.stdout), allPassExcept({ renewal: 'fail' }), result.stdout);
    assert.match(
      checkNamed(result.stdout, 'renewal').reason,
      /^a refresh returned no new ID token \(OIDC allows it\): kubectl will need a browser login every 30s; --oidc-use-access-token avoids it when the API server accepts the access token, or set the provider to return an ID token on refresh$/,
    );
  });

  it("fails the renewal check with the provider's error when it rejects the refresh; still exits 0", {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const world = await startWorld({
      provider: { middlewares: [refreshRejected('refresh is disabled for this client')] },
    });
    const result = await setupOk(world, [CLIENT, SCOPES, '--username-claim=email']);
    assert.deepEqual(statuses(result.stdout), allPassExcept({ renewal: 'fail' }), result.stdout);
    assert.match(
      checkNamed(result.stdout, 'renewal').reason,
      /^a refresh failed: the token refresh at 127\.0\.0\.1:\d+ failed: invalid_grant: refresh is disabled for this client$/,
    );
  });

  it('fails the https issuer check for an http issuer, which the API server refuses; still exits 0', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const world = await startWorld();
    const result = await setupOk(world, [CLIENT, SCOPES, '--username-claim=email']);
    const check = checkNamed(result.stdout, 'https issuer');
    assert.equal(check.status, 'fail');
    assert.equal(
      check.reason,
      `${world.provider.issuer} is not https: the API server refuses an issuer URL that is not https`,
    );
  });

  it('--required-claim becomes claimValidationRules and --oidc-required-claim', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const world = await startWorld();
    const result = await setupOk(world, [
      CLIENT,
      SCOPES,
      '--username-claim=email',
      '--required-claim=hd=example.com',
      '--required-claim',
      'tier=gold,team=ops',
    ]);
    const apiServer = printedApiServer(result.stdout);
    const [jwt] = apiServer.authentication['jwt'] as Record<string, unknown>[];
    assert.deepEqual(jwt?.['claimValidationRules'], [
      { claim: 'hd', requiredValue: 'example.com' },
      { claim: 'tier', requiredValue: 'gold' },
      { claim: 'team', requiredValue: 'ops' },
    ]);
    assert.deepEqual(
      apiServer.legacyFlags.filter((flag) => flag.startsWith('--oidc-required-claim')),
      ['--oidc-required-claim=hd=example.com', '--oidc-required-claim=tier=gold', '--oidc-required-claim=team=ops'],
    );
    assert.ok(
      !printedSetCredentials(result.stdout).includes('required-claim'),
      'a setup flag leaked into the exec args',
    );
  });

  it('warns about an ID token that lives longer than a day, with the lifetime shown', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const world = await startWorld({ provider: { idTokenTTL: DAY_SECONDS + 3600 + 60 } });
    const result = await setupOk(world, [CLIENT, SCOPES, '--username-claim=email']);
    assert.deepEqual(statuses(result.stdout), allPassExcept({ lifetime: 'warn' }), result.stdout);
    assert.match(checkNamed(result.stdout, 'lifetime').reason, /^1d 1h 1m\b/);
    assert.match(printedTimes(result.stdout).exp ?? '', /\(lifetime 1d 1h 1m\)$/);
  });

  it('passes an ID token of exactly one day', { timeout: TEST_TIMEOUT_MS }, async () => {
    const world = await startWorld({ provider: { idTokenTTL: DAY_SECONDS } });
    const result = await setupOk(world, [CLIENT, SCOPES, '--username-claim=email']);
    assert.deepEqual(statuses(result.stdout), allPassExcept({}), result.stdout);
    assert.equal(checkNamed(result.stdout, 'lifetime').reason, '1d');
  });

  // An ID token whose aud lacks the client ID never reaches the checks: the CLI verifies every ID
  // token (aud included) first, as get-token does (the failing branch is unit-tested). With the
  // client credentials grant kubectl gets the access token, meant for the API (aud kubernetes-api):
  // the API server must be configured with that audience, and setup says so.
  it('checks and configures the API audience for a client credentials access token', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const world = await startWorld();
    const result = await setupOk(world, [
      `--oidc-client-id=${TEST_CLIENTS.confidential}`,
      `--oidc-client-secret=${TEST_CLIENTS.confidentialSecret}`,
      '--grant-type=client-credentials',
    ]);
    assert.equal(printedClaims(result.stdout).claims['aud'], API_AUDIENCE);
    const audience = checkNamed(result.stdout, 'audience');
    assert.equal(audience.status, 'pass', result.stdout);
    assert.match(audience.reason, new RegExp(`aud contains ${API_AUDIENCE}`));
    assert.match(result.stdout, new RegExp(`audiences:\\n\\s*- ${API_AUDIENCE}`));
    assert.match(result.stdout, new RegExp(`--oidc-client-id=${API_AUDIENCE}`));
    assert.equal(checkNamed(result.stdout, 'issuer').status, 'pass');
    assert.equal(world.provider.counts.clientCredentialsGrants, 1);
  });

  // With --oidc-use-access-token, get-token hands kubectl the access token, so that is the token the
  // API server must accept and the one setup must show and check.
  it('with --oidc-use-access-token shows and checks the access token kubectl will send', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const world = await startWorld({ provider: { jwtAccessTokens: true } });
    const result = await setupOk(world, [CLIENT, SCOPES, '--oidc-use-access-token']);
    const { claims } = printedClaims(result.stdout);
    assert.equal(
      claims['aud'],
      API_AUDIENCE,
      `setup showed a token for ${JSON.stringify(claims['aud'])}, not the access token kubectl gets`,
    );
    assert.equal(claims['nonce'], undefined, 'an access token has no nonce: this is the ID token');
  });

  it('with --oidc-use-access-token and an opaque access token says the API server needs a webhook for it', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const world = await startWorld();
    const result = await runSetup(world, [CLIENT, SCOPES, '--oidc-use-access-token']);
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.equal(oneLineErrorProblem(result.stderr, [world.provider.issuer, 'not a JWT', 'webhook']), undefined);
  });
});

describe('setup: notes for the providers it recognises', () => {
  const startWorld = worldPerTest();

  it("tells the users of a provider with GitLab's discovery document the settings GitLab needs", {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const world = await startWorld({
      provider: {
        quirks: {
          discoveryOmits: ['device_authorization_endpoint'],
          discoveryAdds: { claims_supported: ['sub', 'email', 'groups_direct'] },
        },
      },
    });
    const result = await setupOk(world, [CLIENT, SCOPES]);
    const notes = section(result.stdout, 'Notes for GitLab');
    assert.ok(
      notes.includes(`--oidc-device-authorization-endpoint=${world.provider.issuer}/oauth/authorize_device`),
      notes,
    );
    assert.match(notes, /--groups-claim=groups_direct/);
  });

  it('prints no notes for a provider it does not recognise', { timeout: TEST_TIMEOUT_MS }, async () => {
    const world = await startWorld();
    const result = await setupOk(world, [CLIENT, SCOPES]);
    assert.doesNotMatch(result.stdout, /^## Notes for/m);
  });
});

describe('setup: the configuration it prints', () => {
  const startWorld = worldPerTest();

  it('prints a set-credentials command and a kubeconfig fragment mirroring the flags, the API server side and a role binding', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const world = await startWorld();
    const flags = [CLIENT, SCOPES, '--username-claim=email', '--user=my-oidc'];
    const result = await setupOk(world, flags);
    const expectedArgs = [
      'get-token',
      `--oidc-issuer-url=${world.provider.issuer}`,
      CLIENT,
      '--oidc-extra-scope=email',
      '--oidc-extra-scope=groups',
      '--oidc-extra-scope=offline_access',
      '--listen-address=127.0.0.1:0',
      `--browser-command=${HTTP_LOGIN_COMMAND}`,
    ];

    const command = printedSetCredentials(result.stdout);
    assert.equal(
      command,
      [
        'kubectl config set-credentials my-oidc',
        '--exec-api-version=client.authentication.k8s.io/v1',
        '--exec-interactive-mode=IfAvailable',
        '--exec-command=kubelogin',
        ...expectedArgs.map((arg) => `--exec-arg=${arg}`),
      ].join(' \\\n  '),
    );

    const fragment = printedKubeconfigFragment(result.stdout);
    assert.deepEqual(fragment, {
      users: [
        {
          name: 'my-oidc',
          user: {
            exec: {
              apiVersion: 'client.authentication.k8s.io/v1',
              command: 'kubelogin',
              args: expectedArgs,
              interactiveMode: 'IfAvailable',
              provideClusterInfo: false,
            },
          },
        },
      ],
    });

    const apiServer = printedApiServer(result.stdout);
    assert.match(
      section(result.stdout, 'API server'),
      /apiserver\.config\.k8s\.io\/v1 is Kubernetes 1\.34 and later, for 1\.30 to 1\.33 write apiserver\.config\.k8s\.io\/v1beta1/,
    );
    assert.match(
      section(result.stdout, 'API server'),
      /legacy flags \(still supported, but the API server refuses to start with both them and --authentication-config\)/,
    );
    assert.doesNotMatch(result.stdout, /removed in Kubernetes/);
    assert.deepEqual(printedKuberc(result.stdout), {
      apiVersion: 'kubectl.config.k8s.io/v1beta1',
      kind: 'Preference',
      credentialPluginPolicy: 'Allowlist',
      credentialPluginAllowlist: [{ name: 'kubelogin' }],
    });
    assert.deepEqual(apiServer.authentication, {
      apiVersion: 'apiserver.config.k8s.io/v1',
      kind: 'AuthenticationConfiguration',
      jwt: [
        {
          issuer: { url: world.provider.issuer, audiences: [TEST_CLIENTS.native] },
          claimMappings: { username: { claim: 'email', prefix: '' }, groups: { claim: 'groups', prefix: '' } },
        },
      ],
    });
    assert.deepEqual(apiServer.legacyFlags, [
      `--oidc-issuer-url=${world.provider.issuer}`,
      `--oidc-client-id=${TEST_CLIENTS.native}`,
      '--oidc-username-claim=email',
      '--oidc-groups-claim=groups',
    ]);

    const { binding, seenAs } = printedRoleBinding(result.stdout);
    assert.equal(seenAs, 'alice@example.com');
    assert.equal(binding['kind'], 'ClusterRoleBinding');
    assert.deepEqual(binding['subjects'], [
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'alice@example.com' },
    ]);
    assert.deepEqual(binding['roleRef'], {
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name: 'cluster-admin',
    });
  });

  it('with the default username claim sub, prefixes the username with the issuer as the API server does', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const world = await startWorld();
    const result = await setupOk(world, [CLIENT, SCOPES]);
    const expected = `${world.provider.issuer}#alice`;
    assert.equal(printedRoleBinding(result.stdout).seenAs, expected);
    const subjects = printedRoleBinding(result.stdout).binding['subjects'] as Array<{ name: string }>;
    assert.equal(subjects[0]?.name, expected);
    const jwt = (
      printedApiServer(result.stdout).authentication['jwt'] as Array<{ claimMappings: { username: unknown } }>
    )[0];
    assert.deepEqual(jwt?.claimMappings.username, { claim: 'sub', prefix: `${world.provider.issuer}#` });
    // The printed user is named oidc unless --user says otherwise.
    assert.match(printedSetCredentials(result.stdout), /^kubectl config set-credentials oidc \\$/m);
  });

  it('never writes a password into the exec args, and lets get-token prompt for it (interactiveMode IfAvailable)', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const world = await startWorld();
    const result = await setupOk(world, [
      CLIENT,
      SCOPES,
      '--grant-type=password',
      '--username=alice',
      `--password=${passwordOf('alice')}`,
    ]);
    assert.equal(world.provider.counts.passwordGrants, 1);
    assert.ok(!result.stdout.includes(passwordOf('alice')), 'the password appears in the report');
    const exec = printedKubeconfigFragment(result.stdout).users[0]?.user.exec;
    assert.ok(exec !== undefined);
    const args = exec['args'] as string[];
    assert.ok(args.includes('--grant-type=password') && args.includes('--username=alice'), JSON.stringify(args));
    assert.ok(!args.some((arg) => arg.startsWith('--password')), JSON.stringify(args));
    // get-token will need the password that is not in the args: only a terminal can give it.
    assert.equal(
      exec['interactiveMode'],
      'IfAvailable',
      'get-token with these args must prompt for the password, which interactiveMode Never forbids',
    );
  });
});

describe('setup: usage errors', () => {
  const startWorld = worldPerTest();

  it('a missing --oidc-issuer-url is a one-line error', { timeout: TEST_TIMEOUT_MS }, async () => {
    const world = await startWorld({ provider: false });
    const result = await world.run(['setup', CLIENT]);
    assert.notEqual(result.code, 0);
    assert.equal(result.stdout, '');
    assert.equal(oneLineErrorProblem(result.stderr, ['--oidc-issuer-url']), undefined);
  });

  it('--context without --cluster (and the reverse) is a one-line error before any login', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const world = await startWorld();
    const noCluster = await runSetup(world, [CLIENT, '--write-kubeconfig', '--context=c']);
    assert.notEqual(noCluster.code, 0);
    assert.equal(noCluster.stdout, '');
    assert.equal(oneLineErrorProblem(noCluster.stderr, ['--context', '--cluster']), undefined);
    const noContext = await runSetup(world, [CLIENT, '--write-kubeconfig', '--cluster=k']);
    assert.notEqual(noContext.code, 0);
    assert.equal(oneLineErrorProblem(noContext.stderr, ['--cluster', '--context']), undefined);
    assert.equal(world.provider.counts.authorizations, 0);
    assert.deepEqual(await filesUnder(world.home.home), []);
  });
});

describe('setup --write-kubeconfig', () => {
  const startWorld = worldPerTest();

  /** Writes `text` to a kubeconfig in HOME with `mode` and returns its path. */
  async function kubeconfigFile(home: TempHome, text: string, mode = 0o640): Promise<string> {
    const dir = join(home.home, 'configs');
    await mkdir(dir, { recursive: true });
    const path = join(dir, 'kubeconfig.yaml');
    await writeFile(path, text);
    await chmod(path, mode);
    return path;
  }

  /** Asserts the file is exactly `original` and no backup was written next to it. */
  async function assertUntouched(path: string, original: string): Promise<void> {
    assert.equal(await readFile(path, 'utf8'), original, 'the kubeconfig was changed');
    assert.deepEqual(
      await readdir(join(path, '..')),
      ['kubeconfig.yaml'],
      'a backup or temporary file was left beside the kubeconfig',
    );
  }

  const WRITE_FLAGS = ['--write-kubeconfig', '--user=oidc-prod', '--context=oidc-prod', '--cluster=prod'];

  it('adds the user and the context to a kubectl-style file with comments, keeping the rest byte for byte, the mode, and a backup', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const world = await startWorld();
    const path = await kubeconfigFile(world.home, KUBECTL_STYLE_KUBECONFIG);
    const result = await setupOk(world, [CLIENT, SCOPES, ...WRITE_FLAGS, `--kubeconfig=${path}`]);
    const written = await readFile(path, 'utf8');

    assert.deepEqual(
      lineDiff(KUBECTL_STYLE_KUBECONFIG, written).removed,
      [],
      'lines of the original file were changed or lost',
    );
    const data = parseKubeconfig(written);
    const users = entriesNamed(data, 'users', 'oidc-prod');
    assert.equal(users.length, 1);
    assert.deepEqual(users[0]?.user, { exec: printedKubeconfigFragment(result.stdout).users[0]?.user.exec });
    assert.deepEqual(
      entriesNamed(data, 'contexts', 'oidc-prod').map((entry) => entry.context),
      [{ cluster: 'prod', user: 'oidc-prod' }],
    );
    assert.deepEqual(
      withoutEntries(data, { users: ['oidc-prod'], contexts: ['oidc-prod'] }),
      parseKubeconfig(KUBECTL_STYLE_KUBECONFIG),
    );

    assert.equal(await readFile(`${path}.kubelogin-backup`, 'utf8'), KUBECTL_STYLE_KUBECONFIG);
    assert.equal((await stat(path)).mode & 0o777, 0o640, 'the mode of the kubeconfig changed');
    assert.match(result.stderr, new RegExp(`Wrote the user oidc-prod and the context oidc-prod to ${path}`));
    assert.deepEqual((await readdir(join(path, '..'))).sort(), ['kubeconfig.yaml', 'kubeconfig.yaml.kubelogin-backup']);
  });

  it('keeps odd-but-valid formatting of the rest of the file byte for byte', { timeout: TEST_TIMEOUT_MS }, async () => {
    const world = await startWorld();
    const path = await kubeconfigFile(world.home, ODD_KUBECONFIG);
    await setupOk(world, [CLIENT, SCOPES, ...WRITE_FLAGS, `--kubeconfig=${path}`]);
    const written = await readFile(path, 'utf8');
    const data = parseKubeconfig(written);
    assert.equal(entriesNamed(data, 'users', 'oidc-prod').length, 1);
    assert.equal(entriesNamed(data, 'contexts', 'oidc-prod').length, 1);
    assert.deepEqual(
      withoutEntries(data, { users: ['oidc-prod'], contexts: ['oidc-prod'] }),
      parseKubeconfig(ODD_KUBECONFIG),
      'the meaning of the rest changed',
    );
    assert.equal(await readFile(`${path}.kubelogin-backup`, 'utf8'), ODD_KUBECONFIG);
    assert.deepEqual(
      lineDiff(ODD_KUBECONFIG, written).removed,
      [],
      `lines of the original file were reformatted; the file became:\n${written}`,
    );
  });

  it('running it twice replaces the user and context instead of adding them again', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const world = await startWorld();
    const path = await kubeconfigFile(world.home, KUBECTL_STYLE_KUBECONFIG);
    await setupOk(world, [CLIENT, SCOPES, ...WRITE_FLAGS, `--kubeconfig=${path}`]);
    const first = await readFile(path, 'utf8');
    await setupOk(world, [CLIENT, SCOPES, '--oidc-extra-scope=profile', ...WRITE_FLAGS, `--kubeconfig=${path}`]);
    const second = await readFile(path, 'utf8');
    const data = parseKubeconfig(second);
    const users = entriesNamed(data, 'users', 'oidc-prod');
    assert.equal(users.length, 1, 'the user is in the file twice');
    assert.equal(entriesNamed(data, 'contexts', 'oidc-prod').length, 1, 'the context is in the file twice');
    const exec = users[0]?.user['exec'] as { args: string[] } | undefined;
    assert.ok(exec?.args.includes('--oidc-extra-scope=profile'), 'the user was not replaced');
    assert.deepEqual(
      lineDiff(first, second).removed.filter((line) => !line.includes('oidc-extra-scope')),
      [],
      'the second run changed more than the user',
    );
    assert.equal(
      await readFile(`${path}.kubelogin-backup`, 'utf8'),
      first,
      'the backup holds the file as it was before the second run',
    );
    assert.equal((data.users ?? []).length, 3);
    assert.equal((data.contexts ?? []).length, 3);
  });

  it('without --kubeconfig writes the first file of KUBECONFIG, creating it 0600 with no backup', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const world = await startWorld();
    const first = join(world.home.home, 'kube', 'first.yaml');
    const second = join(world.home.home, 'second.yaml');
    await setupOk(world, [CLIENT, SCOPES, '--write-kubeconfig'], { KUBECONFIG: `${first}:${second}` });
    const data = parseKubeconfig(await readFile(first, 'utf8'));
    assert.equal(entriesNamed(data, 'users', 'oidc').length, 1);
    assert.equal((await stat(first)).mode & 0o777, 0o600);
    assert.deepEqual(await readdir(join(world.home.home, 'kube')), ['first.yaml']);
    assert.deepEqual(
      (await readdir(world.home.home)).sort(),
      [basename(world.loginLog), 'kube'].sort(),
      'nothing else, neither the second file nor ~/.kube, was written',
    );
  });

  it('without --kubeconfig or KUBECONFIG writes ~/.kube/config', { timeout: TEST_TIMEOUT_MS }, async () => {
    const world = await startWorld();
    await setupOk(world, [CLIENT, SCOPES, '--write-kubeconfig', '--user=me']);
    const data = parseKubeconfig(await readFile(join(world.home.home, '.kube', 'config'), 'utf8'));
    assert.equal(entriesNamed(data, 'users', 'me').length, 1);
    assert.equal(data['apiVersion'], 'v1');
    assert.equal(data['kind'], 'Config');
  });

  it('malformed YAML: exit 1, a one-line error naming the file, the file untouched, no backup, no login', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const world = await startWorld();
    const malformed = 'apiVersion: v1\nusers:\n- name: a\n  user: {token: x}\n - name: b\n';
    const path = await kubeconfigFile(world.home, malformed);
    const result = await runSetup(world, [CLIENT, ...WRITE_FLAGS, `--kubeconfig=${path}`]);
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.equal(oneLineErrorProblem(result.stderr, [path]), undefined);
    await assertUntouched(path, malformed);
    assert.equal(world.provider.counts.authorizations, 0, 'setup logged in before finding the file unusable');
  });

  it('a kubeconfig that is YAML but not a mapping is an error, untouched', { timeout: TEST_TIMEOUT_MS }, async () => {
    const world = await startWorld();
    const list = '- just\n- a list\n';
    const path = await kubeconfigFile(world.home, list);
    const result = await runSetup(world, [CLIENT, ...WRITE_FLAGS, `--kubeconfig=${path}`]);
    assert.equal(result.code, 1);
    assert.equal(oneLineErrorProblem(result.stderr, [path]), undefined);
    await assertUntouched(path, list);
    assert.equal(world.provider.counts.authorizations, 0);
  });

  it('--cluster naming a cluster not in the file: an error naming it, the file untouched, no login', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const world = await startWorld();
    const path = await kubeconfigFile(world.home, KUBECTL_STYLE_KUBECONFIG);
    const result = await runSetup(world, [
      CLIENT,
      '--write-kubeconfig',
      '--context=c',
      '--cluster=nowhere',
      `--kubeconfig=${path}`,
    ]);
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.equal(oneLineErrorProblem(result.stderr, ['nowhere']), undefined);
    await assertUntouched(path, KUBECTL_STYLE_KUBECONFIG);
    assert.equal(world.provider.counts.authorizations, 0);
  });

  // Tests run as root, which may write any file: the CLI honours the mode bits on purpose.
  it('a read-only kubeconfig (0444): an error naming the file, untouched, before any login', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const world = await startWorld();
    const path = await kubeconfigFile(world.home, KUBECTL_STYLE_KUBECONFIG, 0o444);
    const result = await runSetup(world, [CLIENT, ...WRITE_FLAGS, `--kubeconfig=${path}`]);
    assert.equal(result.code, 1);
    assert.equal(oneLineErrorProblem(result.stderr, [path]), undefined);
    assert.match(result.stderr, /read-only/);
    await assertUntouched(path, KUBECTL_STYLE_KUBECONFIG);
    assert.equal((await stat(path)).mode & 0o777, 0o444);
    assert.equal(world.provider.counts.authorizations, 0, 'setup made the user log in, then refused to write the file');
  });
});
