/**
 * What a provider's error_description echoes never reaches stderr: the PKCE
 * code_verifier, and the client's credentials as sent (HTTP Basic, the
 * secret form-urlencoded) and the values of --oidc-request-header, at every
 * -v level.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Middleware } from 'oidc-provider';
import { answerWithError, formField } from '../../support/provider/provider-middleware.ts';
import { worldForAll } from '../../support/world.ts';

/** Refuses every code exchange with an error_description that quotes the verifier, and keeps the verifiers it saw. */
function echoingVerifier(seen: string[]): Middleware {
  return async (ctx, next) => {
    await next();
    if (ctx.method !== 'POST' || ctx.path !== '/token' || formField(ctx, 'grant_type') !== 'authorization_code') return;
    const verifier = formField(ctx, 'code_verifier') ?? '';
    seen.push(verifier);
    ctx.status = 400;
    ctx.body = { error: 'invalid_grant', error_description: `PKCE verification failed for the verifier ${verifier}` };
  };
}

describe('the PKCE code_verifier', () => {
  const seen: string[] = [];
  const world = worldForAll({ provider: { middlewares: [echoingVerifier(seen)] } });

  for (const level of ['-v0', '-v2']) {
    it(`is redacted from the provider's error at ${level}`, async () => {
      const result = await world().getToken([level, '--token-cache-storage=none']);
      assert.equal(result.code, 1, result.stderr);
      const verifier = seen.at(-1);
      assert.ok(verifier !== undefined && verifier.length >= 43, 'a verifier was sent');
      assert.match(
        result.stderr,
        /^error: the token request at .* failed: invalid_grant: PKCE verification failed for the verifier \[REDACTED\]$/m,
      );
      assert.ok(!result.stderr.includes(verifier), `the verifier is on stderr: ${result.stderr}`);
    });
  }
});

/** A client whose secret form-urlencoding changes, and the header sent to the provider. */
const ECHO_CLIENT = { id: 'echo-client', secret: "pass word!*'()~ of the echo client" };
const COMPANY_HEADER = { name: 'X-Company-Key', value: 'Bearer company-header-credential' };

/** A token endpoint that refuses every request, quoting the Authorization header, its decoding and the company header. */
const echoingCredentials: Middleware = async (ctx, next) => {
  if (ctx.method !== 'POST' || ctx.path !== '/token') return next();
  const authorization = String(ctx.headers['authorization'] ?? '');
  const decoded = Buffer.from(authorization.replace(/^Basic /, ''), 'base64').toString('utf8');
  const header = String(ctx.headers[COMPANY_HEADER.name.toLowerCase()] ?? '');
  answerWithError(
    ctx,
    'invalid_client',
    `got Authorization ${authorization} (${decoded}), key ${header} and ${header.split(' ')[1]}`,
  );
};

describe("the client's credentials and the request headers", () => {
  const world = worldForAll({
    provider: {
      clients: [
        {
          client_id: ECHO_CLIENT.id,
          client_secret: ECHO_CLIENT.secret,
          token_endpoint_auth_method: 'client_secret_basic',
          grant_types: ['client_credentials'],
          response_types: [],
          redirect_uris: [],
        },
      ],
      middlewares: [echoingCredentials],
    },
  });

  it('are redacted from what the provider echoes, in every form, at -v0 to -v9', async () => {
    const args = [
      ...world().args.filter((arg) => !arg.startsWith('--oidc-client-id=') && !arg.startsWith('--oidc-extra-scope=')),
      `--oidc-client-id=${ECHO_CLIENT.id}`,
      `--oidc-client-secret=${ECHO_CLIENT.secret}`,
      `--oidc-request-header=${COMPANY_HEADER.name}=${COMPANY_HEADER.value}`,
      '--grant-type=client-credentials',
      '--token-cache-storage=none',
    ];
    // The secret as HTTP Basic sends it (form-urlencoded, RFC 6749 section 2.3.1), and that in base64.
    const encoded = 'pass+word%21%2A%27%28%29~+of+the+echo+client';
    const basic = Buffer.from(`${ECHO_CLIENT.id}:${encoded}`).toString('base64');
    const secrets = [ECHO_CLIENT.secret, encoded, basic, COMPANY_HEADER.value, 'company-header-credential'];
    for (let level = 0; level <= 9; level++) {
      const result = await world().run([...args, `-v${level}`]);
      assert.equal(result.code, 1, result.stderr);
      assert.match(
        result.stderr,
        /^error: the client credentials grant at .* failed: invalid_client: got Authorization Basic \[REDACTED\] /m,
      );
      for (const secret of secrets)
        assert.ok(!result.stderr.includes(secret), `-v${level} printed ${JSON.stringify(secret)}: ${result.stderr}`);
    }
  });
});
