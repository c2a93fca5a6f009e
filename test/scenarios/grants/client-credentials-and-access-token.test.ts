/**
 * Tokens without a person (client credentials) and access-token mode, where
 * kubectl gets the access token (a JWT for the API server's audience; opaque
 * access tokens: opaque-access-token.test.ts).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { entryFiles, readOnlyEntry } from '../../support/cache-entries.ts';
import { API_AUDIENCE, TEST_CLIENTS } from '../../support/provider/test-provider.ts';
import { parseExecCredential } from '../../support/run-cli.ts';
import { type World, worldPerTest } from '../../support/world.ts';

describe('client credentials', () => {
  const startWorld = worldPerTest();

  const clientCredentialsArgs = (world: World, withSecret = true) => [
    ...world.args.filter((arg) => !arg.startsWith('--oidc-client-id=') && !arg.startsWith('--oidc-extra-scope=')),
    `--oidc-client-id=${TEST_CLIENTS.confidential}`,
    ...(withSecret ? [`--oidc-client-secret=${TEST_CLIENTS.confidentialSecret}`] : []),
    '--grant-type=client-credentials',
    '--oidc-auth-request-extra-params=team=platform,purpose=ci',
  ];

  it('authenticates the client with HTTP Basic, sends extra params as form fields, and caches the JWT access token', async () => {
    const world = await startWorld();
    const result = await world.run(clientCredentialsArgs(world));
    assert.equal(result.code, 0, `${result.stderr}\n${world.provider.errors.join('\n')}`);
    assert.equal(result.stderr, '');
    const last = world.provider.lastClientCredentialsParams;
    assert.equal(world.provider.lastClientCredentialsAuthScheme, 'Basic');
    assert.equal(last?.['team'], 'platform');
    assert.equal(last?.['purpose'], 'ci');
    assert.equal(last?.['client_secret'], undefined, 'the secret is not in the form');
    const token = parseExecCredential(result.stdout).status.token;
    const claims = decodeJwt(token);
    assert.equal(claims.iss, world.provider.issuer);
    assert.equal(claims.aud, API_AUDIENCE);
    assert.equal((await readOnlyEntry(world.cacheDir)).access_token, token);
    assert.equal(await world.browserRuns(), 0);

    await world.stopProvider();
    const again = await world.run(clientCredentialsArgs(world));
    assert.equal(again.code, 0, again.stderr);
    assert.equal(parseExecCredential(again.stdout).status.token, token, 'answered from the cache');
  });

  it('needs a client secret', async () => {
    const world = await startWorld();
    const result = await world.run(clientCredentialsArgs(world, false));
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /^error: --grant-type=client-credentials needs --oidc-client-secret$/m);
  });

  it('reports a wrong client secret as the provider says it', async () => {
    const world = await startWorld();
    const args = clientCredentialsArgs(world).map((arg) =>
      arg.startsWith('--oidc-client-secret=') ? '--oidc-client-secret=not-the-secret' : arg,
    );
    const result = await world.run(args);
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /^error: the client credentials grant at 127\.0\.0\.1:\d+ failed: invalid_client/);
    assert.ok(!result.stderr.includes('not-the-secret'));
  });
});

describe('access-token mode', () => {
  const startWorld = worldPerTest();

  it('hands kubectl the verified access token, cached under its own key', async () => {
    const world = await startWorld({ provider: { jwtAccessTokens: true } });
    const accessMode = await world.getToken(['--oidc-use-access-token']);
    assert.equal(accessMode.code, 0, `${accessMode.stderr}\n${world.provider.errors.join('\n')}`);
    const accessToken = parseExecCredential(accessMode.stdout).status.token;
    assert.equal(decodeJwt(accessToken).aud, API_AUDIENCE);

    const idMode = await world.getToken();
    assert.equal(idMode.code, 0, idMode.stderr);
    const idToken = parseExecCredential(idMode.stdout).status.token;
    assert.equal(decodeJwt(idToken).aud, TEST_CLIENTS.native);
    assert.equal((await entryFiles(world.cacheDir)).length, 2, 'one cache entry per mode');
    assert.equal(await world.browserRuns(), 2);

    const again = await world.getToken(['--oidc-use-access-token']);
    assert.equal(parseExecCredential(again.stdout).status.token, accessToken);
  });
});
