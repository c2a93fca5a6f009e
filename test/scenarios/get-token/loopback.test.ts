/**
 * The loopback server of a browser login. Stray callbacks do not end it:
 * while it waits, requests without this login's state (any web page can make
 * the browser send one) get 400, and the real browser then logs in. With
 * --local-server-cert and --local-server-key it speaks HTTPS with a
 * certificate generated here, the default redirect URI says https, and a
 * provider that matches redirect URIs exactly accepts it in both requests.
 * With --skip-open-browser it only prints the URL of the loopback server.
 */
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { openBrowser } from '../../../src/io/browser.ts';
import { assertLoggedIn } from '../../support/cli-outcome.ts';
import { createSelfSignedCertificate } from '../../support/provider/self-signed-certificate.ts';
import { getFreePort, TEST_CLIENTS } from '../../support/provider/test-provider.ts';
import { worldForAll, worldPerTest } from '../../support/world.ts';

/** How long the fake browser waits before it logs in: time for the stray requests. */
const BROWSER_DELAY_MS = '2000';
/** Callbacks a page elsewhere could make the browser send, without the login's state or with a guessed one. */
const STRAY_CALLBACKS = [
  '/?code=x',
  '/?code=x&state=wrong',
  '/?error=access_denied',
  '/?error=access_denied&state=wrong',
];

describe('stray callbacks during a browser login', () => {
  const world = worldForAll();

  it('are answered 400 and the login goes on to succeed', async () => {
    const run = world().start([...world().args, '-v1', '--token-cache-storage=none'], {
      env: { LOGIN_DELAY_MS: BROWSER_DELAY_MS },
    });
    const [, port] = await run.waitForStderr(/listening on port (\d+)/);
    for (const path of STRAY_CALLBACKS) {
      const response = await fetch(`http://127.0.0.1:${port}${path}`, { redirect: 'manual' });
      await response.arrayBuffer();
      assert.equal(response.status, 400, path);
    }
    const result = await run.result;
    assertLoggedIn(result);
    assert.deepEqual(result.browserFailures, [], 'the browser reached the success page');
    assert.equal(await world().browserRuns(), 1);
    assert.equal(world().provider.counts.codeExchanges, 1);
  });
});

describe('an HTTPS loopback server', () => {
  const startWorld = worldPerTest();

  it('serves the login over https and sends redirect_uri https://localhost:<port> byte for byte', async () => {
    const port = await getFreePort();
    const world = await startWorld({ provider: { exactRedirectUris: [`https://localhost:${port}`] } });
    const certificate = await createSelfSignedCertificate();
    const certFile = join(world.home.home, 'loopback.pem');
    const keyFile = join(world.home.home, 'loopback-key.pem');
    await writeFile(certFile, certificate.cert);
    await writeFile(keyFile, certificate.key);
    const args = [
      ...world.args.filter((arg) => !arg.startsWith('--listen-address=') && !arg.startsWith('--oidc-client-id=')),
      `--oidc-client-id=${TEST_CLIENTS.exactWeb}`,
      `--oidc-client-secret=${TEST_CLIENTS.exactWebSecret}`,
      `--listen-address=127.0.0.1:${port}`,
      `--local-server-cert=${certFile}`,
      `--local-server-key=${keyFile}`,
    ];
    // The browser trusts the certificate through NODE_EXTRA_CA_CERTS, which is read when a process starts:
    // this run's browser is the fake browser's executable, started as the CLI starts a --browser-command.
    const browserEnv = { ...world.env, NODE_EXTRA_CA_CERTS: certFile };
    const result = await world.run(args, {
      openBrowser: (url, settings, logger) => openBrowser(url, settings, browserEnv, logger),
    });
    assertLoggedIn(result);
    assert.equal(world.provider.counts.codeExchanges, 1, world.provider.errors.join('\n'));
    const opened = (await readFile(world.env['LOGIN_LOG'] as string, 'utf8')).trim();
    assert.equal(opened, `https://localhost:${port}/`, 'the browser was sent to the https loopback root');
    const authorization = world.provider.requests.find((request) => request.url.startsWith('/auth?'));
    assert.equal(
      new URL(authorization?.url ?? '', world.provider.issuer).searchParams.get('redirect_uri'),
      `https://localhost:${port}`,
    );
  });
});

describe('--skip-open-browser', () => {
  const world = worldForAll();

  it('prints the URL and waits (for the timeout), opening nothing, though a display is set', async () => {
    const args = world().args.filter((arg) => !arg.startsWith('--browser-command='));
    const result = await world().run([...args, '--skip-open-browser', '--authentication-timeout-sec=1'], {
      env: { DISPLAY: ':99' },
    });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^Please visit the following URL in your browser: http:\/\/localhost:\d+\/$/m);
    assert.match(result.stderr, /^error: the browser login did not finish within 1s$/m);
    assert.equal(await world().browserRuns(), 0, 'no browser was started');
  });
});
