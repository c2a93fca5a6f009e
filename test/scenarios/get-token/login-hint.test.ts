/**
 * `--login-hint`: several accounts at one provider. The hint goes to the provider in the
 * authorization and device requests, each hint has its own cache entry (and its own logout), and
 * whoami and setup show it.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Middleware } from 'oidc-provider';
import { HTTP_DEVICE_APPROVE_COMMAND } from '../../support/browser/drivers.ts';
import { entryFiles } from '../../support/cache-entries.ts';
import { writeKubeconfig } from '../../support/cluster/kubeconfig.ts';
import { formField, routeOf } from '../../support/provider/provider-middleware.ts';
import { TEST_CLIENTS } from '../../support/provider/test-provider.ts';
import { parseExecCredential } from '../../support/run-cli.ts';
import { checkNamed, printedKubeconfigFragment, runSetup } from '../../support/setup-output.ts';
import { type World, worldPerTest } from '../../support/world.ts';

/** The two accounts of one person at the test provider, whose logins are `admin` and `me`. */
const ADMIN = 'admin@example.com';
const DAILY = 'me@example.com';

/** The `login_hint` of each authorization request the provider received, in order. */
function authorizationHints(world: World): (string | null)[] {
  return world.provider.requests
    .filter((request) => request.url.startsWith('/auth?'))
    .map((request) => new URL(request.url, world.provider.issuer).searchParams.get('login_hint'));
}

/** get-token with the world's flags for the account `hint`, logging in as `login` if the browser is asked. */
function getTokenAs(world: World, hint: string, login: string) {
  return world.getToken([`--login-hint=${hint}`], { env: { LOGIN_USER: login } });
}

/** The `sub` of the token a run printed. */
function subjectOf(stdout: string): string {
  const token = parseExecCredential(stdout).status.token;
  return JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString('utf8')).sub;
}

describe('--login-hint', () => {
  const startWorld = worldPerTest();

  it('sends login_hint in the authorization request, and keeps one cache entry per hint', async () => {
    const world = await startWorld();
    const admin = await getTokenAs(world, ADMIN, 'admin');
    assert.equal(admin.code, 0, admin.stderr);
    const daily = await getTokenAs(world, DAILY, 'me');
    assert.equal(daily.code, 0, daily.stderr);
    assert.deepEqual(authorizationHints(world), [ADMIN, DAILY]);
    assert.equal((await entryFiles(world.cacheDir)).length, 2);

    // Both accounts stay logged in side by side: each hint is answered from its own entry.
    const adminAgain = await getTokenAs(world, ADMIN, 'nobody');
    const dailyAgain = await getTokenAs(world, DAILY, 'nobody');
    assert.equal(subjectOf(adminAgain.stdout), 'admin');
    assert.equal(subjectOf(dailyAgain.stdout), 'me');
    assert.equal(await world.browserRuns(), 2);
    assert.equal(world.provider.counts.authorizations, 2);
  });

  it('logs out of one hint and leaves the other', async () => {
    const world = await startWorld();
    assert.equal((await getTokenAs(world, ADMIN, 'admin')).code, 0);
    assert.equal((await getTokenAs(world, DAILY, 'me')).code, 0);
    const logout = await world.run(['logout', ...world.args.slice(1), `--login-hint=${ADMIN}`]);
    assert.equal(logout.code, 0, logout.stderr);
    assert.match(logout.stderr, /^Logged out of /m);
    assert.equal((await entryFiles(world.cacheDir)).length, 1);
    const daily = await getTokenAs(world, DAILY, 'nobody');
    assert.equal(subjectOf(daily.stdout), 'me', 'the other account is still cached');
    assert.equal(await world.browserRuns(), 2);
  });

  it('sends login_hint in the device authorization request', async () => {
    const hints: (string | undefined)[] = [];
    const recordHint: Middleware = async (ctx, next) => {
      await next();
      if (routeOf(ctx) === 'device_authorization') hints.push(formField(ctx, 'login_hint'));
    };
    const world = await startWorld({ provider: { middlewares: [recordHint] } });
    const args = [
      ...world.args.filter((arg) => !arg.startsWith('--browser-command=')),
      '--grant-type=device-code',
      `--browser-command=${HTTP_DEVICE_APPROVE_COMMAND}`,
      `--login-hint=${ADMIN}`,
    ];
    const result = await world.run(args, { env: { LOGIN_USER: 'admin' } });
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(hints, [ADMIN]);
  });

  it('sends no login_hint without the flag', async () => {
    const world = await startWorld();
    assert.equal((await world.getToken()).code, 0);
    assert.deepEqual(authorizationHints(world), [null]);
  });

  it('refuses an empty hint in one line, with nothing on stdout', async () => {
    const world = await startWorld();
    const result = await world.getToken(['--login-hint=']);
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.equal(result.stderr, 'error: --login-hint must not be empty\n');
    assert.equal(await world.browserRuns(), 0);
  });

  it("shows in whoami, which reads it from the exec user's arguments with the entry it selects", async () => {
    const world = await startWorld({ apiServer: {} });
    const kubeconfig = join(world.home.home, 'admin.kubeconfig');
    await writeKubeconfig(kubeconfig, {
      server: world.apiServer.url,
      certificateAuthorityData: world.apiServer.certificateAuthorityData,
      execApiVersion: 'client.authentication.k8s.io/v1',
      command: 'kubelogin',
      args: [...world.args, `--login-hint=${ADMIN}`],
    });
    assert.equal((await getTokenAs(world, ADMIN, 'admin')).code, 0);
    const result = await world.run(['whoami', `--kubeconfig=${kubeconfig}`]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /\n {2}subject +admin\n/);
    assert.match(result.stdout, new RegExp(`\\n {2}login hint +${ADMIN}\\n`));
    const json = await world.run(['whoami', `--kubeconfig=${kubeconfig}`, '-o', 'json']);
    assert.equal(JSON.parse(json.stdout).token.loginHint, ADMIN);
    assert.equal(await world.browserRuns(), 1, 'whoami used the entry of the hint');
  });

  it('shows in setup: a check of the account logged in, and the flag in the exec block', async () => {
    const world = await startWorld();
    const matching = await runSetup(
      world,
      [`--oidc-client-id=${TEST_CLIENTS.native}`, '--oidc-extra-scope=email', `--login-hint=${ADMIN}`],
      {
        env: { LOGIN_USER: 'admin' },
      },
    );
    assert.equal(matching.code, 0, matching.stderr);
    assert.deepEqual(checkNamed(matching.stdout, 'login hint'), {
      status: 'pass',
      name: 'login hint',
      reason: `email is "${ADMIN}", as hinted`,
    });
    const [user] = printedKubeconfigFragment(matching.stdout).users;
    assert.deepEqual(
      (user?.user.exec['args'] as string[] | undefined)?.filter((arg) => arg.startsWith('--login-hint')),
      [`--login-hint=${ADMIN}`],
    );

    const other = await runSetup(
      world,
      [`--oidc-client-id=${TEST_CLIENTS.native}`, '--oidc-extra-scope=email', `--login-hint=${ADMIN}`],
      {
        env: { LOGIN_USER: 'me' },
      },
    );
    assert.equal(other.code, 0, other.stderr);
    const check = checkNamed(other.stdout, 'login hint');
    assert.equal(check.status, 'warn');
    assert.match(check.reason, /^the token names email "me@example\.com", sub "me", not "admin@example\.com"/);
  });
});
