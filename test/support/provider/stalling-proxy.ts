/**
 * A reverse proxy in front of a test provider that can make its token endpoint hang, as a provider
 * does that fails after the browser part of a login has finished. The provider is started with
 * the issuer host {@link STALLING_PROXY_HOST} and listens on 127.0.0.1; the proxy listens on the
 * same port of that other loopback address (Linux routes all of 127.0.0.0/8 to the loopback), so
 * the CLI and the browser drivers reach the provider only through it.
 */
import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** The issuer's host name: a loopback address other than the provider's own 127.0.0.1. */
export const STALLING_PROXY_HOST = '127.0.0.2';
/** The address the test provider listens on. */
const PROVIDER_ADDRESS = '127.0.0.1';
/** The path of oidc-provider's token endpoint. */
const TOKEN_PATH = '/token';

/** A running proxy. */
export interface StallingProxy {
  /** While true, POSTs to the token endpoint are held without an answer. */
  stallTokenRequests: boolean;
  /** Token requests held so far. */
  stalledRequests: number;
  close(): Promise<void>;
}

/** Passes `incoming` on to the provider on `port` and its answer back. */
function forward(incoming: IncomingMessage, outgoing: ServerResponse, port: number): void {
  const upstream = request(
    { host: PROVIDER_ADDRESS, port, method: incoming.method, path: incoming.url, headers: incoming.headers },
    (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(outgoing);
    },
  );
  upstream.on('error', () => outgoing.writeHead(502).end());
  incoming.pipe(upstream);
}

/** Starts the proxy for the provider whose issuer is `http://127.0.0.2:<port>`. */
export async function startStallingProxy(issuer: string): Promise<StallingProxy> {
  const { hostname, port } = new URL(issuer);
  if (hostname !== STALLING_PROXY_HOST)
    throw new Error(`the provider's issuer must name ${STALLING_PROXY_HOST}, not ${hostname}`);
  const sockets = new Set<Socket>();
  const proxy: StallingProxy = {
    stallTokenRequests: false,
    stalledRequests: 0,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
  const server = createServer((incoming, outgoing) => {
    if (proxy.stallTokenRequests && incoming.method === 'POST' && incoming.url === TOKEN_PATH) {
      proxy.stalledRequests += 1;
      incoming.resume();
      return;
    }
    forward(incoming, outgoing, Number(port));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(Number(port), STALLING_PROXY_HOST, () => resolve());
  });
  return proxy;
}
