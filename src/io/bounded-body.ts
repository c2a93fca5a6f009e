/**
 * Reading a response body whole but bounded, for every answer kubelogin reads
 * (the provider's, the API server's): an endless or hostile body stops at the
 * limit instead of filling the memory.
 */
import type { Response } from './transport.ts';

/**
 * The whole body of `response`, failing with `tooLarge()` once it passes
 * `maxBytes` (a Content-Length above it fails before any read); the rest is
 * not read, and the connection is dropped.
 */
export async function readBoundedBody(
  response: Response,
  maxBytes: number,
  tooLarge: () => Error,
): Promise<Uint8Array> {
  if (Number(response.headers.get('content-length') ?? 0) > maxBytes) {
    await response.body?.cancel();
    throw tooLarge();
  }
  if (response.body === null) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  // Leaving the loop by a throw cancels the stream, which aborts the request.
  for await (const chunk of response.body) {
    size += chunk.byteLength;
    if (size > maxBytes) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
