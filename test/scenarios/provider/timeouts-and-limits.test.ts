/**
 * Timeouts of requests to the provider: a server that accepts connections and
 * never answers fails the run within the limit, with an error saying what
 * stalled, while a browser or device login still waits for the person longer
 * than that. KUBELOGIN_TEST_PROVIDER_TIMEOUT_MS (test-only) shortens the
 * connect and response timeouts (10 s and 30 s) to one second.
 */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { createServer, type Server, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { HTTP_DEVICE_APPROVE_COMMAND } from '../../support/browser/drivers.ts';
import { type CliFixture, startCliFixture } from '../../support/cli-fixture.ts';
import { assertLoggedIn, assertOneLineError } from '../../support/cli-outcome.ts';
import { runCli } from '../../support/run-cli.ts';

/** The provider timeouts of these runs. */
const TIMEOUT_ENV = { KUBELOGIN_TEST_PROVIDER_TIMEOUT_MS: '1000' };
/** A run against a stalled server must end well within this: the timeouts, undici's coarse timers, start-up. */
const STALLED_RUN_LIMIT_MS = 8_000;
/** How long the fake person takes to log in or approve: longer than the provider timeouts. */
const PERSON_DELAY_MS = '2500';

/** A TCP server that accepts connections and never sends a byte. */
async function startSilentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

describe('a provider that accepts connections and never answers', () => {
  let fixture: CliFixture;
  let silent: Awaited<ReturnType<typeof startSilentServer>>;
  before(async () => {
    fixture = await startCliFixture();
    silent = await startSilentServer();
  });
  after(async () => {
    await silent.close();
    await fixture.close();
  });

  /** Runs get-token against the silent server and returns the result and how long it took. */
  async function runAgainstSilent(scheme: string) {
    const started = Date.now();
    const result = await runCli([...fixture.args, `--oidc-issuer-url=${scheme}://127.0.0.1:${silent.port}`], {
      env: { ...fixture.env, ...TIMEOUT_ENV },
    });
    return { result, elapsedMs: Date.now() - started };
  }

  it('fails within the response timeout over http', async () => {
    const { result, elapsedMs } = await runAgainstSilent('http');
    assertOneLineError(
      result,
      /^error: the OIDC provider at 127\.0\.0\.1:\d+ did not answer within 1s \(OIDC discovery\)$/,
    );
    assert.ok(elapsedMs < STALLED_RUN_LIMIT_MS, `took ${elapsedMs} ms`);
  });

  it('fails within the connect timeout when the TLS handshake stalls', async () => {
    const { result, elapsedMs } = await runAgainstSilent('https');
    assertOneLineError(
      result,
      /^error: the OIDC provider at 127\.0\.0\.1:\d+ did not accept a connection within 1s \(OIDC discovery\)$/,
    );
    assert.ok(elapsedMs < STALLED_RUN_LIMIT_MS, `took ${elapsedMs} ms`);
  });

  it('still waits for the person in a browser login longer than the provider timeouts', async () => {
    assertLoggedIn(
      await fixture.getToken(['--token-cache-storage=none'], {
        env: { ...TIMEOUT_ENV, LOGIN_DELAY_MS: PERSON_DELAY_MS },
      }),
    );
    assert.equal(await fixture.browserRuns(), 1);
  });

  it('still waits for the person in a device login, polling within the provider timeouts', async () => {
    const args = [
      ...fixture.args.filter((arg) => !arg.startsWith('--browser-command=')),
      '--grant-type=device-code',
      `--browser-command=${HTTP_DEVICE_APPROVE_COMMAND}`,
      '--token-cache-storage=none',
    ];
    assertLoggedIn(await runCli(args, { env: { ...fixture.env, ...TIMEOUT_ENV, LOGIN_DELAY_MS: PERSON_DELAY_MS } }));
    assert.ok(fixture.provider.counts.devicePolls >= 2, `${fixture.provider.counts.devicePolls} polls`);
  });
});
