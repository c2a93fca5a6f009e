/**
 * A forward proxy on 127.0.0.1 for tests: CONNECT tunnels (https) and
 * absolute-URI requests (http), each target recorded. `hosts` maps names such
 * as `provider.test` to addresses, so a host that exists only behind the proxy
 * proves a client went through it (it cannot resolve the name itself).
 */
import { createServer, type IncomingMessage, request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { closeServer, listenOnLoopback } from './loopback-server.ts';

/** A running proxy. */
export interface RecordingProxy {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /** `host:port` of every tunnel and forwarded request, in order. */
  targets: string[];
  close(): Promise<void>;
}

/** Options of {@link startRecordingProxy}. */
export interface RecordingProxyOptions {
  /** Addresses of names the proxy resolves itself. */
  hosts?: Record<string, string>;
  /** Answer every CONNECT with this status instead of opening the tunnel (e.g. 407). */
  refuseWith?: number;
}

/** Starts the proxy. */
export async function startRecordingProxy(options: RecordingProxyOptions = {}): Promise<RecordingProxy> {
  const targets: string[] = [];
  const tunnels = new Set<Socket>();
  const addressOf = (hostname: string) => options.hosts?.[hostname] ?? hostname;

  const server = createServer((incoming: IncomingMessage, outgoing) => {
    const target = new URL(incoming.url ?? '');
    targets.push(target.host);
    const upstream = request(
      {
        host: addressOf(target.hostname),
        port: target.port,
        method: incoming.method,
        path: `${target.pathname}${target.search}`,
        headers: incoming.headers,
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    upstream.on('error', () => outgoing.writeHead(502).end());
    incoming.pipe(upstream);
  });

  server.on('connect', (incoming: IncomingMessage, client: Socket, head: Buffer) => {
    targets.push(incoming.url ?? '');
    tunnels.add(client);
    client.on('close', () => tunnels.delete(client));
    client.on('error', () => client.destroy());
    if (options.refuseWith !== undefined) {
      client.end(`HTTP/1.1 ${options.refuseWith} Refused\r\ncontent-length: 0\r\n\r\n`);
      return;
    }
    const { hostname, port } = new URL(`http://${incoming.url}`);
    const upstream = connect(Number(port), addressOf(hostname), () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    tunnels.add(upstream);
    upstream.on('close', () => tunnels.delete(upstream));
    upstream.on('error', () => client.end('HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n'));
  });

  const port = await listenOnLoopback(server);
  return {
    url: `http://127.0.0.1:${port}`,
    targets,
    close: async () => {
      for (const socket of tunnels) socket.destroy();
      await closeServer(server);
    },
  };
}
