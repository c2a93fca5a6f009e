/**
 * Timeouts of requests to the provider: a server that accepts connections and
 * never answers fails the run within the limit, with an error saying what
 * stalled, while a browser or device login still waits for the person longer
 * than that; a token request that hangs after the browser part finished is
 * reported as the token request's timeout. KUBELOGIN_TEST_PROVIDER_TIMEOUT_MS
 * (test-only) shortens the connect and response timeouts (10 s and 30 s).
 */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { createServer, type Server, type Socket } from 'node:net';
import { describe, it } from 'node:test';
import type { Middleware } from 'oidc-provider';
import { HTTP_DEVICE_APPROVE_COMMAND } from '../../support/browser/drivers.ts';
import { assertLoggedIn, assertOneLineError } from '../../support/cli-outcome.ts';
import { serverForAll } from '../../support/server-for-all.ts';
import { worldForAll } from '../../support/world.ts';

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

/** The response timeout of requests to the provider in this run (test-only variable). */
const TOKEN_REQUEST_TIMEOUT_MS = 8_000;
/**
 * The browser login's deadline: the fake browser is done long before (a first in-process login,
 * which loads the slow modules, took over 2 s on a loaded machine), and the hanging token request
 * is still waited for after it.
 */
const AUTHENTICATION_TIMEOUT_SEC = 5;

/** A token endpoint that never answers a code exchange. */
const hangingCodeExchange: Middleware = async (ctx, next) => {
  if (ctx.method === 'POST' && ctx.path === '/token') return new Promise<void>(() => undefined);
  return next();
};

// The runs mostly wait out timeouts and a slow person: the worlds run side by side.
describe('provider timeouts', { concurrency: true }, () => {
  describe('a provider that accepts connections and never answers', () => {
    const world = worldForAll();
    const silent = serverForAll(startSilentServer);

    /** Runs get-token against the silent server and returns the result and how long it took. */
    async function runAgainstSilent(scheme: string) {
      const started = Date.now();
      const result = await world().getToken([`--oidc-issuer-url=${scheme}://127.0.0.1:${silent().port}`], {
        env: TIMEOUT_ENV,
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
  });

  describe('a person slower than the provider timeouts', { concurrency: true }, () => {
    describe('in a browser login', () => {
      const world = worldForAll();

      it('is still waited for', async () => {
        assertLoggedIn(
          await world().getToken(['--token-cache-storage=none'], {
            env: { ...TIMEOUT_ENV, LOGIN_DELAY_MS: PERSON_DELAY_MS },
          }),
        );
        assert.equal(await world().browserRuns(), 1);
      });
    });

    describe('in a device login', () => {
      const world = worldForAll();

      it('is still waited for, polling within the provider timeouts', async () => {
        const { args, provider } = world();
        const deviceArgs = [
          ...args.filter((arg) => !arg.startsWith('--browser-command=')),
          '--grant-type=device-code',
          `--browser-command=${HTTP_DEVICE_APPROVE_COMMAND}`,
          '--token-cache-storage=none',
        ];
        assertLoggedIn(await world().run(deviceArgs, { env: { ...TIMEOUT_ENV, LOGIN_DELAY_MS: PERSON_DELAY_MS } }));
        assert.ok(provider.counts.devicePolls >= 2, `${provider.counts.devicePolls} polls`);
      });
    });
  });

  describe('a token exchange that hangs after the browser finished', () => {
    const world = worldForAll({ provider: { middlewares: [hangingCodeExchange] } });

    it("is reported as the token request's timeout, not as an unfinished browser login", async () => {
      const result = await world().getToken(
        [`--authentication-timeout-sec=${AUTHENTICATION_TIMEOUT_SEC}`, '--token-cache-storage=none'],
        { env: { KUBELOGIN_TEST_PROVIDER_TIMEOUT_MS: String(TOKEN_REQUEST_TIMEOUT_MS) } },
      );
      assertOneLineError(
        result,
        /^error: the OIDC provider at 127\.0\.0\.1:\d+ did not answer within 8s \(the token request\)$/,
      );
      assert.doesNotMatch(result.stderr, /browser login did not finish/);
      assert.equal(await world().browserRuns(), 1);
    });
  });
});
