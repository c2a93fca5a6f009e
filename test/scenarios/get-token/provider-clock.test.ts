/**
 * A provider whose clock is behind ours: a token that arrives already inside
 * its early-refresh margin is handed to kubectl until just before its `exp`
 * (never a time in the past), with one warning about the clock difference
 * from its `iat`, and served from the cache until then (one renewal per
 * token, not per run); one that arrives expired fails verification saying
 * so, with both clocks.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { LATE_ARRIVAL_MARGIN_SECONDS } from '../../../src/core/freshness.ts';
import { assertOneLineError } from '../../support/cli-outcome.ts';
import { PASSWORD_LOGIN_FLAGS } from '../../support/get-token-args.ts';
import { passwordOf } from '../../support/provider/password-grant.ts';
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

  it('gets a token inside the margin handed over until just before its exp, with one warning naming the difference', async () => {
    rewrite.idToken = issuedBehind(BEHIND_SECONDS);
    const result = await passwordLogin();
    assert.equal(result.code, 0, result.stderr);
    const { status } = parseExecCredential(result.stdout);
    const { exp } = decodeJwt(status.token);
    assert.equal(
      Date.parse(status.expirationTimestamp),
      ((exp as number) - LATE_ARRIVAL_MARGIN_SECONDS) * 1000,
      'the expiry is just before the token exp',
    );
    assert.ok(Date.parse(status.expirationTimestamp) > Date.now(), `${status.expirationTimestamp} is not in the past`);
    const lines = result.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 1, result.stderr);
    const behind =
      /^warning: the provider's clock seems (\d+)s behind this machine's \(by the token's iat\): the token arrived with only \d+s left, so it is used until just before it expires and renewed then; check both clocks \(NTP\)$/.exec(
        lines[0] as string,
      );
    assert.ok(behind, result.stderr);
    assert.ok(Math.abs(Number(behind[1]) - BEHIND_SECONDS) <= 3, `${behind[1]}s behind`);
  });

  it('serves a token that arrived inside the margin from the cache until just before its exp, then renews it once', async () => {
    rewrite.idToken = issuedBehind(BEHIND_SECONDS);
    const { provider } = world();
    const cached = (now?: number) =>
      world().getToken(['--grant-type=password', '--username=alice', `--password=${passwordOf('alice')}`], {
        ...(now === undefined ? {} : { now: () => now }),
      });
    const renewals = () => provider.counts.passwordGrants + provider.counts.refreshes;
    const before = renewals();
    const first = await cached();
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stderr, /^warning: the provider's clock seems \d+s behind/);
    const { token } = parseExecCredential(first.stdout).status;
    const exp = decodeJwt(token).exp as number;

    // Inside the usual margin, but before the late arrival's: the cached token, no request, no warning.
    const hit = await cached((exp - LATE_ARRIVAL_MARGIN_SECONDS - 1) * 1000);
    assert.equal(hit.code, 0, hit.stderr);
    assert.equal(hit.stderr, '');
    assert.equal(parseExecCredential(hit.stdout).status.token, token);
    assert.equal(renewals(), before + 1, 'one login so far');

    // Just before its exp: renewed, once.
    const renewed = await cached((exp - LATE_ARRIVAL_MARGIN_SECONDS) * 1000);
    assert.equal(renewed.code, 0, renewed.stderr);
    assert.equal(renewals(), before + 2, 'renewed');
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
