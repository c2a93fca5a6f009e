/** A record of what a test server received, so tests can check what the CLI sent (headers included). */
import type { Server as HttpServer, IncomingHttpHeaders } from 'node:http';
import type { Server as HttpsServer } from 'node:https';

/** One request as it arrived. */
export interface RecordedRequest {
  method: string;
  /** Path and query. */
  url: string;
  /** Header names in lowercase, as Node gives them. */
  headers: IncomingHttpHeaders;
}

/** Records every request `server` receives, in order; call it before the server's own handler is added. */
export function recordRequests(server: HttpServer | HttpsServer): RecordedRequest[] {
  const requests: RecordedRequest[] = [];
  server.on('request', (request) => {
    requests.push({ method: request.method ?? '', url: request.url ?? '', headers: { ...request.headers } });
  });
  return requests;
}
