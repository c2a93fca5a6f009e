/**
 * A provider whose clock is behind ours: a token that arrives already inside
 * its early-refresh margin is handed to kubectl until its `exp` (never a time
 * in the past), with one warning about the clock difference from its `iat`;
 * one that arrives expired fails verification saying so, with both clocks.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { assertOneLineError } from '../../support/cli-outcome.ts';
import { PASSWORD_LOGIN_FLAGS } from '../../support/get-token-args.ts';
import { type TokenRewrite, tokenRewriter } from '../../support/provider/token-rewriter.ts';
import { parseExecCredential } from '../../support/run-cli.ts';
import { worldForAll } from '../../support/world.ts';

/** ID token lifetime: its early-refresh margin is then the cap, 60 s. */
const TOKEN_TTL_SECONDS = 600;
/** How far the provider's clock is behind: the token arrives with 30 s left, inside the margin. */
const BEHIND_SECONDS = 570;
/** Behind by more than the lifetime: the token arrives expired. */
const FAR_BEHIND_SECONDS = 700;

/** Moves a token's times `seconds` into the past, as a provider whose clock is that far behind would set them. */
const issuedBehind =
  (seconds: number) =>
  (claims: Record<string, unknown>): Record<string, unknown> => ({
    ...claims,
    iat: (claims['iat'] as number) - seconds,
    exp: (claims['exp'] as number) - seconds,
    ...(typeof claims['auth_time'] === 'number' ? { auth_time: claims['auth_time'] - seconds } : {}),
  });

/** What the provider's tokens are changed into; each test sets it. */
const rewrite: TokenRewrite = {};
const rewriter = await tokenRewriter(rewrite);

describe('a provider whose clock is behind', () => {
  const world = worldForAll({ provider: { idTokenTTL: TOKEN_TTL_SECONDS, middlewares: [rewriter] } });

  const passwordLogin = () => world().getToken([...PASSWORD_LOGIN_FLAGS]);

  it('gets a token inside the margin handed over until its exp, with one warning naming the difference', async () => {
    rewrite.idToken = issuedBehind(BEHIND_SECONDS);
    const result = await passwordLogin();
    assert.equal(result.code, 0, result.stderr);
    const { status } = parseExecCredential(result.stdout);
    const { exp } = decodeJwt(status.token);
    assert.equal(Date.parse(status.expirationTimestamp), (exp as number) * 1000, 'the expiry is the token exp');
    assert.ok(Date.parse(status.expirationTimestamp) > Date.now(), `${status.expirationTimestamp} is not in the past`);
    const lines = result.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 1, result.stderr);
    const behind =
      /^warning: the provider's clock seems (\d+)s behind this machine's \(by the token's iat\): the token arrived with only \d+s left, so every run renews it; check both clocks \(NTP\)$/.exec(
        lines[0] as string,
      );
    assert.ok(behind, result.stderr);
    assert.ok(Math.abs(Number(behind[1]) - BEHIND_SECONDS) <= 3, `${behind[1]}s behind`);
  });

  it('refuses a token that arrives expired, naming both clocks', async () => {
    rewrite.idToken = issuedBehind(FAR_BEHIND_SECONDS);
    const result = await passwordLogin();
    assertOneLineError(
      result,
      /^error: the ID token from http:\/\/127\.0\.0\.1:\d+ failed verification: it expired at \S+Z \(this machine's clock says \S+Z\)$/,
    );
    assert.match(result.stderr, /^hint: check that this machine's clock and the provider's are right \(NTP\)$/m);
  });
});
