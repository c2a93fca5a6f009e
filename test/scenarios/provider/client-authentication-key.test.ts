/**
 * --oidc-client-assertion-key: the client authenticates with a private key
 * (private_key_jwt, RFC 7523) on client credentials, code exchange and
 * refresh, with no shared secret; the key selects the cache entry by its
 * fingerprint, never its content.
 */
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { type CliFixture, startCliFixture } from '../../support/cli-fixture.ts';
import { KEY_CLIENT_KID, KEY_CLIENTS, type KeyClients, makeKeyClients } from '../../support/provider/key-clients.ts';
import { API_AUDIENCE } from '../../support/provider/test-provider.ts';
import { parseExecCredential, runCli } from '../../support/run-cli.ts';
import { makeTempHome, type TempHome } from '../../support/temp-home.ts';
import { tokenFiles } from '../../support/token-files.ts';
import { expiredUnsignedJwt } from '../../support/unsigned-jwt.ts';

describe('--oidc-client-assertion-key (private_key_jwt)', () => {
  let keysHome: TempHome;
  let keys: KeyClients;
  let fixture: CliFixture;

  before(async () => {
    keysHome = await makeTempHome();
    keys = await makeKeyClients(keysHome.home);
    fixture = await startCliFixture({
      clients: keys.metadata,
      jwtAccessTokenClients: [KEY_CLIENTS.rsa, KEY_CLIENTS.ec],
    });
  });
  after(async () => {
    await fixture.close();
    await keysHome.cleanup();
  });

  /** The fixture's flags for `clientId`, without its scopes (client credentials takes none). */
  const argsFor = (clientId: string, keyFile: string, extra: string[] = []) => [
    ...fixture.args.filter((arg) => !arg.startsWith('--oidc-client-id=')),
    `--oidc-client-id=${clientId}`,
    `--oidc-client-assertion-key=${keyFile}`,
    ...extra,
  ];
  const clientCredentials = (clientId: string, keyFile: string, extra: string[] = []) =>
    argsFor(clientId, keyFile, extra)
      .filter((arg) => !arg.startsWith('--oidc-extra-scope='))
      .concat('--grant-type=client-credentials');

  function assertError(result: { code: number | null; stdout: string; stderr: string }, pattern: RegExp): void {
    assert.equal(result.code, 1, `${result.stderr}${result.stdout}`);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, pattern);
    assert.doesNotMatch(result.stderr, /PRIVATE KEY|^\s+at /m, 'no key content, no stack');
  }

  it('gets client credentials with an RSA key: a fresh RS256 assertion for the token endpoint and the issuer, no secret', async () => {
    const run = await runCli(
      clientCredentials(KEY_CLIENTS.rsa, keys.rsa.privateKeyFile, [`--oidc-client-assertion-kid=${KEY_CLIENT_KID}`]),
      { env: fixture.env },
    );
    assert.equal(run.code, 0, `${run.stderr}\n${fixture.provider.errors.join('\n')}`);
    assert.equal(decodeJwt(parseExecCredential(run.stdout).status.token).aud, API_AUDIENCE);
    const params = fixture.provider.lastClientCredentialsParams ?? {};
    assert.equal(fixture.provider.lastClientCredentialsAuthScheme, undefined, 'no HTTP Basic');
    assert.equal(params['client_assertion_type'], 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    const assertion = params['client_assertion'] as string;
    assert.deepEqual(decodeProtectedHeader(assertion), { alg: 'RS256', kid: KEY_CLIENT_KID });
    const claims = decodeJwt(assertion);
    assert.equal(claims.iss, KEY_CLIENTS.rsa);
    assert.equal(claims.sub, KEY_CLIENTS.rsa);
    assert.deepEqual(claims.aud, [`${fixture.provider.issuer}/token`, fixture.provider.issuer]);
    assert.equal((claims.exp as number) - (claims.iat as number), 60);
    assert.equal(typeof claims.jti, 'string');
  });

  it('gets client credentials with a P-256 key in SEC1 PEM, signing ES256 without being told', async () => {
    const run = await runCli(clientCredentials(KEY_CLIENTS.ec, keys.ec.privateKeyFile), { env: fixture.env });
    assert.equal(run.code, 0, `${run.stderr}\n${fixture.provider.errors.join('\n')}`);
    assert.equal(
      decodeProtectedHeader(fixture.provider.lastClientCredentialsParams?.['client_assertion'] as string).alg,
      'ES256',
    );
  });

  it('authenticates the code exchange and the refresh with the key', async () => {
    const before = { ...fixture.provider.counts };
    const args = argsFor(KEY_CLIENTS.rsa, keys.rsa.privateKeyFile, ['--grant-type=authcode']);
    const login = await runCli(args, { env: fixture.env });
    assert.equal(login.code, 0, `${login.stderr}\n${fixture.provider.errors.join('\n')}`);
    assert.equal(fixture.provider.counts.codeExchanges, before.codeExchanges + 1);
    // The client credentials runs above left entries too: expire the ID token of this login's, keeping its refresh token.
    for (const name of await tokenFiles(fixture.cacheDir)) {
      const path = join(fixture.cacheDir, name);
      const entry = JSON.parse(await readFile(path, 'utf8'));
      if (entry.refresh_token === undefined) continue;
      await writeFile(path, JSON.stringify({ ...entry, id_token: expiredUnsignedJwt() }));
    }
    const refreshed = await runCli(args, { env: fixture.env });
    assert.equal(refreshed.code, 0, `${refreshed.stderr}\n${fixture.provider.errors.join('\n')}`);
    assert.equal(fixture.provider.counts.refreshes, before.refreshes + 1, 'refreshed with the key, no new login');
    assert.equal(fixture.provider.counts.authorizations, before.authorizations + 1);
  });

  it('refuses a public key, a file that is not a key, a missing file, and a key given with a secret', async () => {
    assertError(
      await runCli(clientCredentials(KEY_CLIENTS.rsa, keys.rsa.publicKeyFile), { env: fixture.env }),
      /^error: --oidc-client-assertion-key \S+rsa-public\.pem holds a public key, not the private key$/m,
    );
    const garbage = join(keysHome.home, 'garbage.pem');
    await writeFile(garbage, 'hello');
    assertError(
      await runCli(clientCredentials(KEY_CLIENTS.rsa, garbage), { env: fixture.env }),
      /^error: --oidc-client-assertion-key \S+garbage\.pem does not hold a PEM private key/m,
    );
    assertError(
      await runCli(clientCredentials(KEY_CLIENTS.rsa, join(keysHome.home, 'absent.pem')), { env: fixture.env }),
      /^error: --oidc-client-assertion-key \S+absent\.pem: cannot read it \(no such file\)$/m,
    );
    assertError(
      await runCli(clientCredentials(KEY_CLIENTS.rsa, keys.rsa.privateKeyFile, ['--oidc-client-secret=s3cret-value']), {
        env: fixture.env,
      }),
      /^error: --oidc-client-assertion-key and --oidc-client-secret exclude each other/m,
    );
    assertError(
      await runCli(
        clientCredentials(KEY_CLIENTS.ec, keys.ec.privateKeyFile, [
          '--oidc-client-assertion-alg=RS256',
          '--force-refresh',
        ]),
        { env: fixture.env },
      ),
      /^error: --oidc-client-assertion-alg RS256 does not fit the prime256v1 key/m,
    );
  });
});
