/**
 * Tokens without a person (client credentials) and access-token mode, where
 * kubectl gets the access token (a JWT for the API server's audience).
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { type CliFixture, startCliFixture } from '../../support/cli-fixture.ts';
import { API_AUDIENCE, TEST_CLIENTS } from '../../support/provider/test-provider.ts';
import { parseExecCredential, runCli } from '../../support/run-cli.ts';
import { readOnlyEntry, tokenFiles } from '../../support/token-files.ts';

describe('client credentials', () => {
  let fixture: CliFixture;
  afterEach(() => fixture.close());

  const clientCredentialsArgs = (withSecret = true) => [
    ...fixture.args.filter((arg) => !arg.startsWith('--oidc-client-id=') && !arg.startsWith('--oidc-extra-scope=')),
    `--oidc-client-id=${TEST_CLIENTS.confidential}`,
    ...(withSecret ? [`--oidc-client-secret=${TEST_CLIENTS.confidentialSecret}`] : []),
    '--grant-type=client-credentials',
    '--oidc-auth-request-extra-params=team=platform,purpose=ci',
  ];

  it('authenticates the client with HTTP Basic, sends extra params as form fields, and caches the JWT access token', async () => {
    fixture = await startCliFixture();
    const result = await runCli(clientCredentialsArgs(), { env: fixture.env });
    assert.equal(result.code, 0, `${result.stderr}\n${fixture.provider.errors.join('\n')}`);
    assert.equal(result.stderr, '');
    const last = fixture.provider.lastClientCredentialsParams;
    assert.equal(fixture.provider.lastClientCredentialsAuthScheme, 'Basic');
    assert.equal(last?.['team'], 'platform');
    assert.equal(last?.['purpose'], 'ci');
    assert.equal(last?.['client_secret'], undefined, 'the secret is not in the form');
    const token = parseExecCredential(result.stdout).status.token;
    const claims = decodeJwt(token);
    assert.equal(claims.iss, fixture.provider.issuer);
    assert.equal(claims.aud, API_AUDIENCE);
    assert.equal((await readOnlyEntry(fixture.cacheDir)).access_token, token);
    assert.equal(await fixture.browserRuns(), 0);

    await fixture.stopProvider();
    const again = await runCli(clientCredentialsArgs(), { env: fixture.env });
    assert.equal(again.code, 0, again.stderr);
    assert.equal(parseExecCredential(again.stdout).status.token, token, 'answered from the cache');
  });

  it('needs a client secret', async () => {
    fixture = await startCliFixture();
    const result = await runCli(clientCredentialsArgs(false), { env: fixture.env });
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /^error: --grant-type=client-credentials needs --oidc-client-secret$/m);
  });

  it('reports a wrong client secret as the provider says it', async () => {
    fixture = await startCliFixture();
    const args = clientCredentialsArgs().map((arg) =>
      arg.startsWith('--oidc-client-secret=') ? '--oidc-client-secret=not-the-secret' : arg,
    );
    const result = await runCli(args, { env: fixture.env });
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /^error: the client credentials grant at 127\.0\.0\.1:\d+ failed: invalid_client/);
    assert.ok(!result.stderr.includes('not-the-secret'));
  });
});

describe('access-token mode', () => {
  let fixture: CliFixture;
  afterEach(() => fixture.close());

  it('hands kubectl the verified access token, cached under its own key', async () => {
    fixture = await startCliFixture({ jwtAccessTokens: true });
    const accessMode = await runCli([...fixture.args, '--oidc-use-access-token'], { env: fixture.env });
    assert.equal(accessMode.code, 0, `${accessMode.stderr}\n${fixture.provider.errors.join('\n')}`);
    const accessToken = parseExecCredential(accessMode.stdout).status.token;
    assert.equal(decodeJwt(accessToken).aud, API_AUDIENCE);

    const idMode = await runCli(fixture.args, { env: fixture.env });
    assert.equal(idMode.code, 0, idMode.stderr);
    const idToken = parseExecCredential(idMode.stdout).status.token;
    assert.equal(decodeJwt(idToken).aud, TEST_CLIENTS.native);
    assert.equal((await tokenFiles(fixture.cacheDir)).length, 2, 'one cache entry per mode');
    assert.equal(await fixture.browserRuns(), 2);

    const again = await runCli([...fixture.args, '--oidc-use-access-token'], { env: fixture.env });
    assert.equal(parseExecCredential(again.stdout).status.token, accessToken);
  });

  it('refuses an access token that is not a JWT', async () => {
    fixture = await startCliFixture({ jwtAccessTokens: false });
    const result = await runCli([...fixture.args, '--oidc-use-access-token'], { env: fixture.env });
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /^error: the access token from http:\/\/127\.0\.0\.1:\d+ failed verification: /m);
  });
});
