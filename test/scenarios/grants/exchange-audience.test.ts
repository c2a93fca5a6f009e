/**
 * --exchange-audience: one browser login, its token exchanged (RFC 8693) for
 * one per cluster audience, each cached on its own; an expired exchanged
 * token is exchanged again from the login's current token.
 */
import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import type { OpenBrowser } from '../../../src/io/browser.ts';
import { entryFiles } from '../../support/cache-entries.ts';
import { browserStandIn } from '../../support/in-process/browser-stand-in.ts';
import { exchangingNativeClient } from '../../support/provider/exchange-clients.ts';
import { parseExecCredential } from '../../support/run-cli.ts';
import { expiredUnsignedJwt } from '../../support/unsigned-jwt.ts';
import { worldForAll } from '../../support/world.ts';

/** A public native client that may also exchange its users' tokens. */
const EXCHANGING_NATIVE = 'exchanging-native';
/** An audience the provider refuses to issue for. */
const REFUSED_AUDIENCE = 'cluster-refused';

const exchangingNative = exchangingNativeClient(EXCHANGING_NATIVE);

describe('--exchange-audience', () => {
  const world = worldForAll({
    provider: {
      clients: [exchangingNative],
      tokenExchange: { trustedIssuers: [], refusedAudiences: [REFUSED_AUDIENCE] },
    },
  });

  const args = (audience: string) => [
    ...world().args.filter((arg) => !arg.startsWith('--oidc-client-id=')),
    `--oidc-client-id=${EXCHANGING_NATIVE}`,
    '--grant-type=authcode',
    `--exchange-audience=${audience}`,
  ];
  const run = (audience: string) => world().run(args(audience));

  it("logs in once and exchanges the login's token for each audience, each cached on its own", async () => {
    const fixture = world();
    const a = await run('cluster-a');
    assert.equal(a.code, 0, `${a.stderr}\n${fixture.provider.errors.join('\n')}`);
    const tokenA = parseExecCredential(a.stdout).status.token;
    assert.equal(decodeJwt(tokenA).aud, 'cluster-a');
    assert.equal(decodeJwt(tokenA).iss, fixture.provider.issuer);

    const b = await run('cluster-b');
    assert.equal(b.code, 0, b.stderr);
    assert.equal(decodeJwt(parseExecCredential(b.stdout).status.token).aud, 'cluster-b');
    assert.equal(await fixture.browserRuns(), 1, 'one browser login serves both clusters');
    assert.equal(fixture.provider.counts.authorizations, 1);
    assert.deepEqual(fixture.provider.exchangedAudiences, ['cluster-a', 'cluster-b']);
    assert.equal((await entryFiles(fixture.cacheDir)).length, 3, 'the login and each audience');

    const again = await run('cluster-a');
    assert.equal(parseExecCredential(again.stdout).status.token, tokenA, 'a cache hit');
    assert.deepEqual(fixture.provider.exchangedAudiences, ['cluster-a', 'cluster-b']);
  });

  it('exchanges again when the exchanged token expires, refreshing the login first when it expired too', async () => {
    const fixture = world();
    // Expire every cached token: the login's keeps its refresh token.
    for (const name of await entryFiles(fixture.cacheDir)) {
      const path = join(fixture.cacheDir, name);
      const entry = JSON.parse(await readFile(path, 'utf8'));
      await writeFile(
        path,
        JSON.stringify({
          ...entry,
          ...(entry.id_token ? { id_token: expiredUnsignedJwt() } : {}),
          ...(entry.access_token ? { access_token: expiredUnsignedJwt() } : {}),
        }),
      );
    }
    const refreshesBefore = fixture.provider.counts.refreshes;
    const result = await run('cluster-a');
    assert.equal(result.code, 0, `${result.stderr}\n${fixture.provider.errors.join('\n')}`);
    assert.equal(decodeJwt(parseExecCredential(result.stdout).status.token).aud, 'cluster-a');
    assert.equal(fixture.provider.counts.refreshes, refreshesBefore + 1, 'the login was refreshed, not repeated');
    assert.equal(await fixture.browserRuns(), 1);
    assert.deepEqual(fixture.provider.exchangedAudiences, ['cluster-a', 'cluster-b', 'cluster-a']);
  });

  it("names the provider's answer when it refuses the audience, and refuses the flag with a CI grant", async () => {
    const refused = await run(REFUSED_AUDIENCE);
    assert.equal(refused.code, 1);
    assert.equal(refused.stdout, '');
    assert.match(
      refused.stderr,
      /^error: the token exchange for --exchange-audience cluster-refused at 127\.0\.0\.1:\d+ failed: invalid_target/m,
    );
    assert.doesNotMatch(refused.stderr, /eyJ/);

    const ci = await world().run([
      'get-token',
      '--grant-type=github-actions',
      '--oidc-client-id=kubernetes',
      '--exchange-audience=x',
    ]);
    assert.equal(ci.code, 1);
    assert.match(ci.stderr, /^error: --exchange-audience does not go with --grant-type=github-actions$/m);
  });
});

describe('--exchange-audience, several clusters at once', () => {
  const world = worldForAll({
    provider: { clients: [exchangingNative], tokenExchange: { trustedIssuers: [] } },
  });
  const AUDIENCES = ['cluster-x', 'cluster-y', 'cluster-z'];

  it("runs for three audiences at once share one login; each holds its audience's lock while it takes the login's", async () => {
    const fixture = world();
    const args = (audience: string) => [
      ...fixture.args.filter((arg) => !arg.startsWith('--oidc-client-id=')),
      `--oidc-client-id=${EXCHANGING_NATIVE}`,
      '--grant-type=authcode',
      `--exchange-audience=${audience}`,
    ];
    // The locks held when the browser opens, i.e. while the login's lock is held for the login.
    const locksAtLogin: string[][] = [];
    const browser = browserStandIn(fixture.env);
    const openBrowser: OpenBrowser = async (url, settings, logger) => {
      locksAtLogin.push((await readdir(fixture.cacheDir)).filter((name) => name.endsWith('.lock')).sort());
      return browser.openBrowser(url, settings, logger);
    };
    const results = await Promise.all(AUDIENCES.map((audience) => fixture.run(args(audience), { openBrowser })));
    for (const [i, result] of results.entries()) {
      assert.equal(result.code, 0, `${AUDIENCES[i]}: ${result.stderr}`);
      assert.equal(decodeJwt(parseExecCredential(result.stdout).status.token).aud, AUDIENCES[i]);
    }
    assert.deepEqual(await browser.settled(), []);
    assert.equal(fixture.provider.counts.authorizations, 1, 'one login for the three clusters');
    assert.deepEqual([...fixture.provider.exchangedAudiences].sort(), AUDIENCES);
    assert.equal(locksAtLogin.length, 1);
    // At the login every run holds its audience's lock, taken first, and one of them the login's:
    // the other two wait for the login's lock while holding their own, never the other way round.
    assert.equal(locksAtLogin[0]?.length, AUDIENCES.length + 1, `locks at the login: ${locksAtLogin[0]?.join(', ')}`);
    assert.deepEqual(await entryFiles(fixture.cacheDir).then((names) => names.length), AUDIENCES.length + 1);
  });
});
