/**
 * How the client authenticates at the token endpoint. With a secret: in HTTP
 * Basic, form-urlencoded as RFC 6749 section 2.3.1 says and the Go kubelogin
 * sends it, so a provider that compares the raw Authorization header, without
 * percent-decoding it, accepts IDs and secrets that hold `-_.~!*'()` and
 * spaces. With --oidc-client-assertion-key: a private key (private_key_jwt,
 * RFC 7523) on client credentials, code exchange and refresh, with no shared
 * secret; the key selects the cache entry by its fingerprint, never its content.
 */
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import type { Middleware } from 'oidc-provider';
import { entryFiles } from '../../support/cache-entries.ts';
import { assertLoggedIn } from '../../support/cli-outcome.ts';
import { PASSWORD_LOGIN_FLAGS } from '../../support/get-token-args.ts';
import { KEY_CLIENT_KID, KEY_CLIENTS, makeKeyClients } from '../../support/provider/key-clients.ts';
import { API_AUDIENCE } from '../../support/provider/test-provider.ts';
import { parseExecCredential } from '../../support/run-cli.ts';
import { expiredUnsignedJwt } from '../../support/unsigned-jwt.ts';
import { worldForAll } from '../../support/world.ts';

/** Clients whose IDs and secrets hold every character form-urlencoding treats apart, and the raw credentials each must send. */
const ODD_CLIENTS = [
  { id: 'ci-runner_x.y~', secret: 's3cr3t-x_y.z~', raw: 'ci-runner_x.y~:s3cr3t-x_y.z~' },
  {
    id: "robot (ci)! it's*",
    secret: "pass word!*'()-_.~",
    raw: 'robot+%28ci%29%21+it%27s%2A:pass+word%21%2A%27%28%29-_.~',
  },
];

/** A token endpoint that takes the Basic credentials byte for byte, as some providers in production do. */
function rawBasicCredentials(accepted: ReadonlySet<string>, seen: string[]): Middleware {
  return async (ctx, next) => {
    if (ctx.method === 'POST' && ctx.path === '/token') {
      const header = String(ctx.headers['authorization']);
      seen.push(header);
      if (!accepted.has(header)) {
        ctx.status = 401;
        ctx.body = { error: 'invalid_client', error_description: 'unknown client credentials' };
        return;
      }
    }
    await next();
  };
}

describe('client credentials in HTTP Basic', () => {
  const seen: string[] = [];
  const basic = (raw: string) => `Basic ${Buffer.from(raw).toString('base64')}`;
  const world = worldForAll({
    provider: {
      clients: ODD_CLIENTS.map(({ id, secret }) => ({
        client_id: id,
        client_secret: secret,
        token_endpoint_auth_method: 'client_secret_basic',
        grant_types: ['password'],
        response_types: [],
        redirect_uris: [],
      })),
      middlewares: [rawBasicCredentials(new Set(ODD_CLIENTS.map(({ raw }) => basic(raw))), seen)],
    },
  });

  for (const { id, secret, raw } of ODD_CLIENTS) {
    it(`are form-urlencoded for the client ${JSON.stringify(id)}`, async () => {
      const args = world().args.filter(
        (arg) => !arg.startsWith('--oidc-client-id=') && !arg.startsWith('--oidc-extra-scope='),
      );
      const result = await world().run([
        ...args,
        `--oidc-client-id=${id}`,
        `--oidc-client-secret=${secret}`,
        ...PASSWORD_LOGIN_FLAGS,
      ]);
      assert.equal(seen.at(-1), basic(raw));
      assertLoggedIn(result);
    });
  }
});

const keys = makeKeyClients();

describe('--oidc-client-assertion-key (private_key_jwt)', () => {
  const world = worldForAll({
    provider: { clients: keys.metadata, jwtAccessTokenClients: [KEY_CLIENTS.rsa, KEY_CLIENTS.ec] },
    homeFiles: keys.files,
  });
  /** The path of a file in the world's HOME. */
  const homeFile = (name: string) => join(world().home.home, name);

  /** The world's flags for `clientId` and the key in the HOME's file `keyFile`. */
  const argsFor = (clientId: string, keyFile: string, extra: string[] = []) => [
    ...world().args.filter((arg) => !arg.startsWith('--oidc-client-id=')),
    `--oidc-client-id=${clientId}`,
    `--oidc-client-assertion-key=${homeFile(keyFile)}`,
    ...extra,
  ];
  /** The same, for client credentials, without the scopes (it takes none). */
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

  it('gets client credentials with an RSA key: a fresh RS256 assertion for the issuer alone, no secret', async () => {
    const { provider } = world();
    const run = await world().run(
      clientCredentials(KEY_CLIENTS.rsa, keys.rsa.privateKeyFile, [`--oidc-client-assertion-kid=${KEY_CLIENT_KID}`]),
    );
    assert.equal(run.code, 0, `${run.stderr}\n${provider.errors.join('\n')}`);
    assert.equal(decodeJwt(parseExecCredential(run.stdout).status.token).aud, API_AUDIENCE);
    const params = provider.lastClientCredentialsParams ?? {};
    assert.equal(provider.lastClientCredentialsAuthScheme, undefined, 'no HTTP Basic');
    assert.equal(params['client_assertion_type'], 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    const assertion = params['client_assertion'] as string;
    assert.deepEqual(decodeProtectedHeader(assertion), { alg: 'RS256', kid: KEY_CLIENT_KID });
    const claims = decodeJwt(assertion);
    assert.equal(claims.iss, KEY_CLIENTS.rsa);
    assert.equal(claims.sub, KEY_CLIENTS.rsa);
    // The issuer only (RFC 7523 section 3): never the token endpoint a discovery document names, which a hostile issuer could point at another provider.
    assert.equal(claims.aud, provider.issuer);
    assert.equal((claims.exp as number) - (claims.iat as number), 60);
    assert.equal(typeof claims.jti, 'string');
  });

  it('signs the assertion for the audiences of --oidc-client-assertion-audience instead, for providers that insist on the token endpoint', async () => {
    const { provider } = world();
    const tokenEndpoint = `${provider.issuer}/token`;
    const one = await world().run(
      clientCredentials(KEY_CLIENTS.rsa, keys.rsa.privateKeyFile, [
        `--oidc-client-assertion-audience=${tokenEndpoint}`,
        '--token-cache-storage=none',
      ]),
    );
    assert.equal(one.code, 0, `${one.stderr}\n${provider.errors.join('\n')}`);
    assert.equal(decodeJwt(provider.lastClientCredentialsParams?.['client_assertion'] as string).aud, tokenEndpoint);

    const both = await world().run(
      clientCredentials(KEY_CLIENTS.rsa, keys.rsa.privateKeyFile, [
        `--oidc-client-assertion-audience=${tokenEndpoint}`,
        `--oidc-client-assertion-audience=${provider.issuer}`,
        '--token-cache-storage=none',
      ]),
    );
    assert.equal(both.code, 0, `${both.stderr}\n${provider.errors.join('\n')}`);
    assert.deepEqual(decodeJwt(provider.lastClientCredentialsParams?.['client_assertion'] as string).aud, [
      tokenEndpoint,
      provider.issuer,
    ]);
    assertError(
      await world().run([...world().args, `--oidc-client-assertion-audience=${tokenEndpoint}`]),
      /^error: --oidc-client-assertion-audience needs --oidc-client-assertion-key$/m,
    );
  });

  it('gets client credentials with a P-256 key in SEC1 PEM, signing ES256 without being told', async () => {
    const { provider } = world();
    const run = await world().run(clientCredentials(KEY_CLIENTS.ec, keys.ec.privateKeyFile));
    assert.equal(run.code, 0, `${run.stderr}\n${provider.errors.join('\n')}`);
    assert.equal(
      decodeProtectedHeader(provider.lastClientCredentialsParams?.['client_assertion'] as string).alg,
      'ES256',
    );
  });

  it('authenticates the code exchange and the refresh with the key', async () => {
    const { provider, cacheDir } = world();
    const before = { ...provider.counts };
    const args = argsFor(KEY_CLIENTS.rsa, keys.rsa.privateKeyFile, ['--grant-type=authcode']);
    const login = await world().run(args);
    assert.equal(login.code, 0, `${login.stderr}\n${provider.errors.join('\n')}`);
    assert.equal(provider.counts.codeExchanges, before.codeExchanges + 1);
    // The client credentials runs above left entries too: expire the ID token of this login's, keeping its refresh token.
    for (const name of await entryFiles(cacheDir)) {
      const path = join(cacheDir, name);
      const entry = JSON.parse(await readFile(path, 'utf8'));
      if (entry.refresh_token === undefined) continue;
      await writeFile(path, JSON.stringify({ ...entry, id_token: expiredUnsignedJwt() }));
    }
    const refreshed = await world().run(args);
    assert.equal(refreshed.code, 0, `${refreshed.stderr}\n${provider.errors.join('\n')}`);
    assert.equal(provider.counts.refreshes, before.refreshes + 1, 'refreshed with the key, no new login');
    assert.equal(provider.counts.authorizations, before.authorizations + 1);
  });

  it('refuses a public key, a file that is not a key, a missing file, and a key given with a secret', async () => {
    assertError(
      await world().run(clientCredentials(KEY_CLIENTS.rsa, keys.rsa.publicKeyFile)),
      /^error: --oidc-client-assertion-key \S+rsa-public\.pem holds a public key, not the private key$/m,
    );
    await writeFile(homeFile('garbage.pem'), 'hello');
    assertError(
      await world().run(clientCredentials(KEY_CLIENTS.rsa, 'garbage.pem')),
      /^error: --oidc-client-assertion-key \S+garbage\.pem does not hold a PEM private key/m,
    );
    assertError(
      await world().run(clientCredentials(KEY_CLIENTS.rsa, 'absent.pem')),
      /^error: --oidc-client-assertion-key \S+absent\.pem: cannot read it \(no such file\)$/m,
    );
    assertError(
      await world().run(
        clientCredentials(KEY_CLIENTS.rsa, keys.rsa.privateKeyFile, ['--oidc-client-secret=s3cret-value']),
      ),
      /^error: --oidc-client-assertion-key and --oidc-client-secret exclude each other/m,
    );
    assertError(
      await world().run(
        clientCredentials(KEY_CLIENTS.ec, keys.ec.privateKeyFile, [
          '--oidc-client-assertion-alg=RS256',
          '--force-refresh',
        ]),
      ),
      /^error: --oidc-client-assertion-alg RS256 does not fit the prime256v1 key/m,
    );
  });
});
