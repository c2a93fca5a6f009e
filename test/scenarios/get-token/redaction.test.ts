/**
 * The PKCE code_verifier is a secret: a provider whose error_description
 * echoes it does not get it onto stderr, at -v0 or -v2.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Middleware } from 'oidc-provider';
import { formField } from '../../support/provider/provider-middleware.ts';
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
