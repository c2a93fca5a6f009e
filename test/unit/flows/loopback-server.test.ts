/**
 * The loopback server on real sockets (127.0.0.1, port 0 or ports known to be
 * taken), driven with fetch and `redirect: 'manual'` as a browser would.
 */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:net';
import { describe, it } from 'node:test';
import { AuthError, ConfigError, TimeoutError } from '../../../src/core/errors.ts';
import {
  type BoundServer,
  bindLoopbackServer,
  type CallbackHandling,
  serveCallback,
} from '../../../src/flows/loopback-server.ts';

const AUTHORIZATION_URL = 'https://issuer.example.com/auth?client_id=kubernetes&state=the-state';
const STATE = 'the-state';

/** Occupies a free port on 127.0.0.1 and returns it with the blocking server. */
async function occupyPort(): Promise<{ blocker: Server; port: number }> {
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen({ host: '127.0.0.1', port: 0 }, resolve));
  return { blocker, port: (blocker.address() as AddressInfo).port };
}

function closeServer(server: Server | import('node:http').Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

function handling<T>(
  overrides: Partial<CallbackHandling<T>> & Pick<CallbackHandling<T>, 'exchange'>,
): CallbackHandling<T> {
  return {
    callbackPath: '/',
    authorizationUrl: AUTHORIZATION_URL,
    expectedState: STATE,
    successRedirect: undefined,
    timeoutMs: 10_000,
    allowedHosts: new Set(['localhost', '127.0.0.1', '[::1]']),
    ...overrides,
  };
}

function titleOf(html: string): string | undefined {
  return /<title>([^<]*)<\/title>/.exec(html)?.[1];
}

async function bindAny(): Promise<BoundServer & { base: string }> {
  const bound = await bindLoopbackServer(['127.0.0.1:0']);
  return { ...bound, base: `http://127.0.0.1:${bound.port}` };
}

/** Attaches a no-op catch so a rejection seen later is not reported as unhandled. */
function settleLater<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

describe('bindLoopbackServer', () => {
  it('binds port 0 to a free port', async () => {
    const bound = await bindLoopbackServer(['127.0.0.1:0']);
    try {
      assert.ok(bound.port > 0);
      assert.equal((bound.server.address() as AddressInfo).port, bound.port);
    } finally {
      await closeServer(bound.server);
    }
  });

  it('takes the next address when the first is in use', async () => {
    const { blocker, port } = await occupyPort();
    try {
      const bound = await bindLoopbackServer([`127.0.0.1:${port}`, '127.0.0.1:0']);
      try {
        assert.notEqual(bound.port, port);
        assert.ok(bound.port > 0);
        assert.equal(bound.server.listening, true);
        assert.deepEqual(bound.server.address(), { address: '127.0.0.1', family: 'IPv4', port: bound.port });
      } finally {
        await closeServer(bound.server);
      }
    } finally {
      await closeServer(blocker);
    }
  });

  it('throws a ConfigError listing every address when all are in use', async () => {
    const first = await occupyPort();
    const second = await occupyPort();
    try {
      const addresses = [`127.0.0.1:${first.port}`, `127.0.0.1:${second.port}`];
      await assert.rejects(bindLoopbackServer(addresses), (error: unknown) => {
        assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
        for (const address of addresses) assert.ok(error.message.includes(address), error.message);
        assert.match(error.message, /in use/);
        return true;
      });
    } finally {
      await closeServer(first.blocker);
      await closeServer(second.blocker);
    }
  });
});

describe('serveCallback', () => {
  it('redirects the root to the authorization URL', async () => {
    const bound = await bindAny();
    const done = settleLater(
      serveCallback(bound, handling({ callbackPath: '/callback', exchange: async () => 'never', timeoutMs: 5_000 })),
    );
    try {
      const response = await fetch(`${bound.base}/`, { redirect: 'manual' });
      await response.arrayBuffer();
      assert.equal(response.status, 302);
      assert.equal(response.headers.get('location'), AUTHORIZATION_URL);
    } finally {
      // End the login through its own path: a provider error on the callback.
      const end = await fetch(`${bound.base}/callback?error=access_denied&state=${STATE}`, { redirect: 'manual' });
      await end.arrayBuffer();
      await assert.rejects(done, AuthError);
    }
  });

  it("answers 400 to an error callback without this login's state, and keeps waiting for the real callback", async () => {
    const bound = await bindAny();
    const done = serveCallback(bound, handling({ exchange: async (code) => `tokens for ${code}` }));
    const response = await fetch(`${bound.base}/?error=access_denied&error_description=forged`, { redirect: 'manual' });
    await response.arrayBuffer();
    assert.equal(response.status, 400);
    const real = await fetch(`${bound.base}/?code=good&state=${STATE}`, { redirect: 'manual' });
    await real.arrayBuffer();
    assert.equal(await done, 'tokens for good');
  });

  it('answers 421 to a Host other than a loopback name, and keeps waiting for the real callback', async () => {
    const bound = await bindAny();
    const done = serveCallback(bound, handling({ exchange: async (code) => `tokens for ${code}` }));
    const { request } = await import('node:http');
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const forged = request(
        {
          host: '127.0.0.1',
          port: bound.port,
          path: `/?code=evil&state=${STATE}`,
          headers: { host: 'attacker.example:8000' },
        },
        (response) => {
          response.resume();
          resolve(response.statusCode);
        },
      );
      forged.on('error', reject);
      forged.end();
    });
    assert.equal(status, 421);
    const response = await fetch(`${bound.base}/?code=good&state=${STATE}`, { redirect: 'manual' });
    await response.arrayBuffer();
    assert.equal(await done, 'tokens for good');
  });

  it('resolves with the exchanged tokens even when the browser goes away before the page is sent', async () => {
    const bound = await bindAny();
    let exchanged!: () => void;
    const exchangeStarted = new Promise<void>((resolve) => (exchanged = resolve));
    const done = serveCallback(
      bound,
      handling({
        timeoutMs: 5_000,
        exchange: async (code) => {
          exchanged();
          await new Promise((resolve) => setTimeout(resolve, 200));
          return `tokens for ${code}`;
        },
      }),
    );
    const controller = new AbortController();
    const abandoned = fetch(`${bound.base}/?code=the-code&state=${STATE}`, { signal: controller.signal }).catch(
      () => undefined,
    );
    await exchangeStarted;
    controller.abort();
    await abandoned;
    assert.equal(await done, 'tokens for the-code');
  });

  it('exchanges the code of a callback with the right state, shows "Authenticated" and resolves with the result', async () => {
    const bound = await bindAny();
    const codes: string[] = [];
    const done = serveCallback(
      bound,
      handling({
        callbackPath: '/callback',
        exchange: async (code) => {
          codes.push(code);
          return { token: `for-${code}` };
        },
      }),
    );
    const response = await fetch(`${bound.base}/callback?code=the-code&state=${STATE}`, { redirect: 'manual' });
    const html = await response.text();
    assert.equal(response.status, 200);
    assert.equal(titleOf(html), 'Authenticated');
    assert.deepEqual(await done, { token: 'for-the-code' });
    assert.deepEqual(codes, ['the-code']);
    assert.equal(bound.server.listening, false, 'the server is closed after the login');
  });

  it('serves the callback on the root path when that is the redirect path', async () => {
    const bound = await bindAny();
    const done = serveCallback(bound, handling({ callbackPath: '/', exchange: async (code) => code }));
    const response = await fetch(`${bound.base}/?state=${STATE}&code=root-code`, { redirect: 'manual' });
    assert.equal(titleOf(await response.text()), 'Authenticated');
    assert.equal(await done, 'root-code');
  });

  it("rejects with an AuthError carrying the provider's error and shows an error page", async () => {
    const bound = await bindAny();
    let exchanged = false;
    const done = settleLater(
      serveCallback(
        bound,
        handling({
          exchange: async () => {
            exchanged = true;
            return 'x';
          },
        }),
      ),
    );
    const response = await fetch(`${bound.base}/?error=access_denied&error_description=User+said+no&state=${STATE}`, {
      redirect: 'manual',
    });
    const html = await response.text();
    assert.equal(response.status, 400);
    assert.equal(titleOf(html), 'Authentication error');
    assert.match(html, /access_denied/);
    await assert.rejects(done, (error: unknown) => {
      assert.ok(error instanceof AuthError, `expected an AuthError, got ${String(error)}`);
      assert.equal(error.oauthError, 'access_denied');
      assert.match(error.message, /access_denied/);
      assert.match(error.message, /User said no/);
      return true;
    });
    assert.equal(exchanged, false);
  });

  it('answers 400 to a callback with a wrong state or none without exchanging its code, and keeps waiting', async () => {
    const bound = await bindAny();
    const codes: string[] = [];
    const done = serveCallback(
      bound,
      handling({
        exchange: async (code) => {
          codes.push(code);
          return code;
        },
      }),
    );
    for (const query of ['code=forged-1&state=forged', 'code=forged-2', 'error=access_denied&state=forged']) {
      const response = await fetch(`${bound.base}/?${query}`, { redirect: 'manual' });
      const html = await response.text();
      assert.equal(response.status, 400, query);
      assert.equal(titleOf(html), 'Authentication error');
    }
    assert.equal(bound.server.listening, true, 'still listening');
    const real = await fetch(`${bound.base}/?code=the-code&state=${STATE}`, { redirect: 'manual' });
    assert.equal(titleOf(await real.text()), 'Authenticated');
    assert.equal(await done, 'the-code');
    assert.deepEqual(codes, ['the-code']);
  });

  it('rejects a callback without a code', async () => {
    const bound = await bindAny();
    const done = settleLater(serveCallback(bound, handling({ exchange: async () => 'x' })));
    const response = await fetch(`${bound.base}/?state=${STATE}`, { redirect: 'manual' });
    assert.equal(titleOf(await response.text()), 'Authentication error');
    await assert.rejects(done, AuthError);
  });

  it('shows an error page and rejects when the exchange fails', async () => {
    const bound = await bindAny();
    const done = settleLater(
      serveCallback(
        bound,
        handling({
          exchange: async () =>
            Promise.reject(new AuthError('the provider refused the code', { oauthError: 'invalid_grant' })),
        }),
      ),
    );
    const response = await fetch(`${bound.base}/?code=c&state=${STATE}`, { redirect: 'manual' });
    const html = await response.text();
    assert.equal(response.status, 400);
    assert.match(html, /the provider refused the code/);
    await assert.rejects(done, (error: unknown) => error instanceof AuthError && error.oauthError === 'invalid_grant');
  });

  it('rejects with a TimeoutError when no callback comes in time', async () => {
    const bound = await bindAny();
    const started = Date.now();
    await assert.rejects(
      serveCallback(bound, handling({ exchange: async () => 'x', timeoutMs: 150 })),
      (error: unknown) => {
        assert.ok(error instanceof TimeoutError, `expected a TimeoutError, got ${String(error)}`);
        assert.match(
          error.hint ?? '',
          /run the command again and finish the login within 0s, or raise --authentication-timeout-sec/,
        );
        return true;
      },
    );
    assert.ok(Date.now() - started >= 100, 'not before the timeout');
    assert.equal(bound.server.listening, false, 'the server is closed after the timeout');
  });

  it('stops the timeout when the callback arrives: the exchange may take longer', async () => {
    const bound = await bindAny();
    const done = serveCallback(
      bound,
      handling({
        timeoutMs: 100,
        exchange: async (code) => {
          await new Promise((resolve) => setTimeout(resolve, 300));
          return code;
        },
      }),
    );
    const response = await fetch(`${bound.base}/?code=slow&state=${STATE}`, { redirect: 'manual' });
    assert.equal(titleOf(await response.text()), 'Authenticated');
    assert.equal(await done, 'slow');
  });

  it('answers 302 to successRedirect after a successful exchange', async () => {
    const bound = await bindAny();
    const done = serveCallback(
      bound,
      handling({ exchange: async () => 'ok', successRedirect: 'https://done.example.com/welcome' }),
    );
    const response = await fetch(`${bound.base}/?code=c&state=${STATE}`, { redirect: 'manual' });
    await response.arrayBuffer();
    assert.equal(response.status, 302);
    assert.equal(response.headers.get('location'), 'https://done.example.com/welcome');
    assert.equal(await done, 'ok');
  });

  it('answers 409 to a second callback while the first is exchanged, and exchanges once', async () => {
    const bound = await bindAny();
    let calls = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let markStarted!: () => void;
    const started = new Promise<void>((resolve) => (markStarted = resolve));
    const done = serveCallback(
      bound,
      handling({
        exchange: async (code) => {
          calls++;
          markStarted();
          await gate;
          return code;
        },
      }),
    );
    const first = fetch(`${bound.base}/?code=first&state=${STATE}`, { redirect: 'manual' });
    await started;
    const second = await fetch(`${bound.base}/?code=second&state=${STATE}`, { redirect: 'manual' });
    await second.arrayBuffer();
    assert.equal(second.status, 409);
    release();
    const firstResponse = await first;
    assert.equal(titleOf(await firstResponse.text()), 'Authenticated');
    assert.equal(await done, 'first');
    assert.equal(calls, 1);
  });

  it('answers 404 to other paths without ending the login', async () => {
    const bound = await bindAny();
    const done = serveCallback(bound, handling({ callbackPath: '/callback', exchange: async (code) => code }));
    const other = await fetch(`${bound.base}/favicon.ico`, { redirect: 'manual' });
    await other.arrayBuffer();
    assert.equal(other.status, 404);
    const response = await fetch(`${bound.base}/callback?code=c&state=${STATE}`, { redirect: 'manual' });
    await response.arrayBuffer();
    assert.equal(await done, 'c');
  });
});

describe('serveCallback beside another way in', () => {
  it("calls onClaim when this login's callback arrives, before the exchange, and not for another state", async () => {
    const bound = await bindAny();
    const events: string[] = [];
    const result = serveCallback(
      bound,
      handling({
        exchange: async (code) => {
          events.push(`exchange ${code}`);
          return code;
        },
        onClaim: () => events.push('claim'),
      }),
    );
    await fetch(`${bound.base}/?code=x&state=another`);
    assert.deepEqual(events, []);
    await fetch(`${bound.base}/?code=the-code&state=${STATE}`);
    assert.equal(await result, 'the-code');
    assert.deepEqual(events, ['claim', 'exchange the-code']);
  });

  it('closes the server at once when the signal aborts, and never settles', async () => {
    const bound = await bindAny();
    const controller = new AbortController();
    let settled = false;
    void serveCallback(
      bound,
      handling({ exchange: async () => 'never', timeoutMs: 100, signal: controller.signal }),
    ).then(
      () => (settled = true),
      () => (settled = true),
    );
    controller.abort();
    await assert.rejects(fetch(`${bound.base}/`));
    assert.equal(bound.server.listening, false);
    // Past the timeout: an aborted wait reports nothing, the login is another waiter's.
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(settled, false);
  });
});
