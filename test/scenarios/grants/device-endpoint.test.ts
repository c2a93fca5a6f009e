/**
 * `--oidc-device-authorization-endpoint`: the device flow against a provider whose discovery
 * document names no device endpoint though it has one (GitLab), the flag replacing an endpoint
 * discovery names, and the flag's bad values.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HTTP_DEVICE_APPROVE_COMMAND } from '../../support/browser/drivers.ts';
import { assertOneLineError } from '../../support/cli-outcome.ts';
import { parseExecCredential } from '../../support/run-cli.ts';
import { type World, worldPerTest } from '../../support/world.ts';

/** The test provider's device authorization endpoint, by its path. */
const DEVICE_PATH = '/device/auth';

/** get-token arguments for the device flow with the HTTP approval driver as the browser. */
function deviceArgs(world: World, extra: readonly string[] = []): string[] {
  return [
    ...world.args.filter((arg) => !arg.startsWith('--browser-command=')),
    '--grant-type=device-code',
    `--browser-command=${HTTP_DEVICE_APPROVE_COMMAND}`,
    ...extra,
  ];
}

/** The device authorization requests the provider received, by path and query. */
function deviceRequests(world: World): string[] {
  return world.provider.requests
    .filter((request) => request.method === 'POST' && request.url.startsWith(DEVICE_PATH))
    .map((request) => request.url);
}

describe('--oidc-device-authorization-endpoint', () => {
  const startWorld = worldPerTest();
  const gitLabLike = { provider: { quirks: { discoveryOmits: ['device_authorization_endpoint'] } } };

  it('names the flag when discovery has no device endpoint', async () => {
    const world = await startWorld(gitLabLike);
    const result = await world.run(deviceArgs(world));
    assertOneLineError(result, /has no device authorization endpoint/);
    assert.match(result.stderr, /^hint: .*--oidc-device-authorization-endpoint/m);
  });

  it('logs in with the device flow at the endpoint given where discovery names none', async () => {
    const world = await startWorld(gitLabLike);
    const flag = `--oidc-device-authorization-endpoint=${world.provider.issuer}${DEVICE_PATH}`;
    const result = await world.run(deviceArgs(world, [flag]));
    assert.equal(result.code, 0, result.stderr);
    assert.ok(parseExecCredential(result.stdout).status.token);
    assert.equal(world.provider.counts.deviceApprovals, 1);
    assert.deepEqual(deviceRequests(world), [DEVICE_PATH]);
  });

  it('replaces the endpoint discovery names', async () => {
    const world = await startWorld();
    const given = `${DEVICE_PATH}?from=flag`;
    const result = await world.run(
      deviceArgs(world, [`--oidc-device-authorization-endpoint=${world.provider.issuer}${given}`]),
    );
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(deviceRequests(world), [given]);
  });

  it('refuses a value that is not an http(s) URL, naming the flag', async () => {
    const world = await startWorld();
    for (const value of ['device/auth', 'ftp://127.0.0.1/device']) {
      const result = await world.run(deviceArgs(world, [`--oidc-device-authorization-endpoint=${value}`]));
      assertOneLineError(
        result,
        /^error: --oidc-device-authorization-endpoint must be an (absolute )?http or https URL/,
      );
      assert.deepEqual(deviceRequests(world), []);
    }
  });
});
