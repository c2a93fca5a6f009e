/**
 * The loopback server of the browser login: its root redirects the browser to
 * the provider, and its callback path receives the authorization code. It
 * speaks HTTPS when given a certificate (`--local-server-cert`).
 */
import { createServer, type Server as HttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { AuthError, ConfigError, KubeloginError, UnfinishedLoginError } from '../core/errors.ts';
import type { LoopbackTls } from './loopback-tls.ts';
import { errorPage, successPage } from './pages.ts';

/** The loopback server, plain or TLS. */
type Server = HttpServer | HttpsServer;

/** Bind errors after which the next listen address is tried. */
const RETRYABLE_BIND_ERRORS = new Set(['EADDRINUSE', 'EACCES', 'EADDRNOTAVAIL']);

/** A bound loopback server. */
export interface BoundServer {
  server: Server;
  port: number;
}

/** What the callback must carry and what to do with its code. */
export interface CallbackHandling<T> {
  callbackPath: string;
  /** Where the root URL redirects: the provider's authorization URL. */
  authorizationUrl: string;
  expectedState: string;
  /** Exchanges the code; its failure is shown on the page and ends the login. */
  exchange(code: string): Promise<T>;
  /** Where the success page redirects instead of showing itself. */
  successRedirect: string | undefined;
  /** How long the browser part may take: until the callback of this login arrives. */
  timeoutMs: number;
  /** Host names the browser may use for this server: loopback names and the redirect URL's host. */
  allowedHosts: ReadonlySet<string>;
  /** Called when this login's callback arrives, before its exchange: no other way in may finish the login now. */
  onClaim?(): void;
  /** Aborted when the login came in another way (a pasted code): the server closes and the promise never settles. */
  signal?: AbortSignal;
}

/** Loopback host names a browser uses for a server on this machine. */
export const LOOPBACK_HOSTNAMES: readonly string[] = ['localhost', '127.0.0.1', '[::1]'];

/** The host name of a Host header, without the port. */
function hostnameOf(host: string | undefined): string {
  return (host ?? '').replace(/:\d+$/, '').toLowerCase();
}

/** Splits `host:port` (IPv6 hosts in brackets). */
function parseAddress(address: string): { host: string; port: number } {
  const separator = address.lastIndexOf(':');
  return { host: address.slice(0, separator).replace(/^\[(.*)\]$/, '$1'), port: Number(address.slice(separator + 1)) };
}

function listenOn(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => {
      server.off('listening', onListening);
      reject(error);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen({ host, port, exclusive: true });
  });
}

/** Binds the first free address of `addresses`, in order; with `tls`, the server speaks HTTPS. */
export async function bindLoopbackServer(addresses: readonly string[], tls?: LoopbackTls): Promise<BoundServer> {
  const server = tls ? createHttpsServer(tls) : createServer();
  const failures: string[] = [];
  for (const address of addresses) {
    const { host, port } = parseAddress(address);
    try {
      await listenOn(server, host, port);
      return { server, port: (server.address() as AddressInfo).port };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'error';
      if (!RETRYABLE_BIND_ERRORS.has(code)) {
        throw new ConfigError(`cannot listen on ${address}: ${code}`, { hint: 'set --listen-address', cause: error });
      }
      failures.push(`${address} (${code === 'EADDRINUSE' ? 'in use' : code})`);
    }
  }
  throw new ConfigError(`cannot listen on any listen address: ${failures.join(', ')}`, {
    hint: 'free one of them or set --listen-address=127.0.0.1:0 and register that redirect URL',
  });
}

function respond(response: ServerResponse, status: number, html: string, done?: () => void): void {
  response.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'close',
  });
  response.end(html, done);
}

/**
 * Serves the login until the first callback with the expected state settles
 * it or the timeout passes, then closes the server; callbacks with another
 * state or none get 400 and change nothing. The timeout bounds the browser
 * part only: it stops when that callback arrives. Resolves with what
 * `exchange` returned. When `signal` aborts first, the server closes at once
 * and the promise stays pending: the login is another waiter's to settle.
 */
export function serveCallback<T>(bound: BoundServer, handling: CallbackHandling<T>): Promise<T> {
  const { server } = bound;
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    // Only the first callback with this login's state counts; a second one (a reload) must not start another exchange.
    let callbackSeen = false;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      handling.signal?.removeEventListener('abort', stop);
      server.close();
      server.closeAllConnections();
      outcome();
    };
    const stop = () => finish(() => undefined);
    // Cleared when this login's callback arrives: firing, it means the person never finished the browser part.
    const timer = setTimeout(() => {
      finish(() =>
        reject(
          new UnfinishedLoginError(
            `the browser login did not finish within ${Math.round(handling.timeoutMs / 1000)}s`,
            {
              hint: `run the command again and finish the login within ${Math.round(handling.timeoutMs / 1000)}s, or raise --authentication-timeout-sec`,
            },
          ),
        ),
      );
    }, handling.timeoutMs);
    if (handling.signal?.aborted) return stop();
    handling.signal?.addEventListener('abort', stop, { once: true });

    /** Settles once the page is sent, or once the browser went away: the outcome must not wait for the tab. */
    const settleAfter = (response: ServerResponse, outcome: () => void) => {
      if (response.destroyed || response.closed) finish(outcome);
      else response.once('close', () => finish(outcome));
    };
    const fail = (response: ServerResponse, error: KubeloginError) => {
      settleAfter(response, () => reject(error));
      respond(response, 400, errorPage(error.message));
    };

    /** Settles the login with the callback of this login's state: its error, or the exchange of its code. */
    const onCallback = async (params: URLSearchParams, response: ServerResponse) => {
      const providerError = params.get('error');
      if (providerError !== null) {
        const description = params.get('error_description');
        return fail(
          response,
          new AuthError(`the provider returned ${providerError}${description ? `: ${description}` : ''}`, {
            oauthError: providerError,
          }),
        );
      }
      const code = params.get('code');
      if (!code) return fail(response, new AuthError('the callback carried no authorization code'));
      try {
        const result = await handling.exchange(code);
        settleAfter(response, () => resolve(result));
        if (handling.successRedirect !== undefined) {
          response.writeHead(302, { location: handling.successRedirect, connection: 'close' });
          response.end();
        } else {
          respond(response, 200, successPage());
        }
      } catch (error) {
        const failure =
          error instanceof KubeloginError
            ? error
            : new AuthError(String((error as Error).message ?? error), { cause: error });
        fail(response, failure);
      }
    };

    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      if (!handling.allowedHosts.has(hostnameOf(request.headers.host))) {
        // A page on another name resolving here (DNS rebinding) must not read the redirect or deliver a code.
        respond(response, 421, errorPage('This server answers only for localhost'));
        return;
      }
      const url = new URL(request.url ?? '/', 'http://localhost');
      const isCallback =
        url.pathname === handling.callbackPath &&
        (url.searchParams.has('state') || url.searchParams.has('code') || url.searchParams.has('error'));
      if (settled || (isCallback && callbackSeen)) {
        respond(response, 409, errorPage('This login has already ended'));
      } else if (isCallback && url.searchParams.get('state') !== handling.expectedState) {
        // Any web page can make the browser send one (an <img> to localhost): only this login's state ends the wait.
        respond(response, 400, errorPage('This callback does not belong to the login in progress'));
      } else if (isCallback) {
        callbackSeen = true;
        // The browser part is over: the token request that follows is bounded, and reported, by its own timeouts.
        clearTimeout(timer);
        handling.onClaim?.();
        void onCallback(url.searchParams, response);
      } else if (url.pathname === '/') {
        response.writeHead(302, { location: handling.authorizationUrl, 'cache-control': 'no-store' });
        response.end();
      } else {
        respond(response, 404, errorPage('Not found'));
      }
    });
  });
}
