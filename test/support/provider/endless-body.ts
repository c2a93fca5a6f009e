/**
 * Bodies that never end, as a broken or hostile server streams them: the client
 * must stop reading on its own.
 */
import { createServer, type Server } from 'node:http';
import { Readable } from 'node:stream';
import { closeServer, listenOnLoopback } from './loopback-server.ts';

/** Size of each chunk pushed: large enough to fill memory fast without a cap. */
const CHUNK_BYTES = 64 * 1024;

/** A JSON-looking body that never ends, produced as fast as it is read. */
export function endlessBody(): Readable {
  const chunk = Buffer.alloc(CHUNK_BYTES, 'x');
  let started = false;
  return new Readable({
    read() {
      if (!started) {
        started = true;
        this.push('{"padding":"');
      }
      this.push(chunk);
    },
  });
}

/** An HTTP server on 127.0.0.1 that answers every request with 200, application/json and an endless body. */
export async function startEndlessServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    const body = endlessBody();
    response.on('close', () => body.destroy());
    body.pipe(response);
  });
  const port = await listenOnLoopback(server);
  return { url: `http://127.0.0.1:${port}`, close: () => closeServer(server) };
}
