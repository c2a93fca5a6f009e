/** The size limit of response bodies, on undici Responses made here. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Response } from 'undici';
import { UnusableResponse } from '../../../src/provider/errors.ts';
import { bufferedResponse, MAX_RESPONSE_BYTES } from '../../../src/provider/response-body.ts';

const HOST = 'sso.example';

/** A body stream that records how much of it was pulled. */
function countingStream(total: number): { stream: ReadableStream<Uint8Array>; pulled: () => number } {
  let pulled = 0;
  const chunk = new Uint8Array(64 * 1024);
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled >= total) return controller.close();
      pulled += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
  return { stream, pulled: () => pulled };
}

describe('bufferedResponse', () => {
  it('hands on a body up to the limit with its status and headers', async () => {
    const body = JSON.stringify({ padding: 'x'.repeat(MAX_RESPONSE_BYTES - 20) });
    const response = await bufferedResponse(
      new Response(body, { status: 201, headers: { 'content-type': 'application/json' } }),
      HOST,
    );
    assert.equal(response.status, 201);
    assert.equal(response.headers.get('content-type'), 'application/json');
    assert.equal(((await response.json()) as { padding: string }).padding.length, MAX_RESPONSE_BYTES - 20);
  });

  it('stops reading a body at the limit', async () => {
    const { stream, pulled } = countingStream(Number.POSITIVE_INFINITY);
    await assert.rejects(bufferedResponse(new Response(stream), HOST), (error: unknown) => {
      assert.ok(error instanceof UnusableResponse);
      assert.equal(error.host, HOST);
      assert.equal(error.message, 'the response is larger than the limit of 1 MiB');
      return true;
    });
    assert.ok(pulled() <= MAX_RESPONSE_BYTES + 2 * 64 * 1024, `pulled ${pulled()} bytes`);
  });

  it('refuses a declared Content-Length over the limit without reading the body', async () => {
    const { stream, pulled } = countingStream(2 * MAX_RESPONSE_BYTES);
    const response = new Response(stream, { headers: { 'content-length': String(2 * MAX_RESPONSE_BYTES) } });
    await assert.rejects(bufferedResponse(response, HOST), UnusableResponse);
    assert.ok(pulled() <= 2 * 64 * 1024, `pulled ${pulled()} bytes`);
  });

  it('refuses a success that is not JSON, naming its status and content type', async () => {
    const page = new Response('<html>proxy login</html>', { status: 200, headers: { 'content-type': 'text/html' } });
    await assert.rejects(bufferedResponse(page, HOST), (error: unknown) => {
      assert.ok(error instanceof UnusableResponse);
      assert.equal(error.message, 'the answer is not JSON (HTTP 200, content type text/html)');
      return true;
    });
  });

  it('hands on an empty success, as a revocation endpoint answers (RFC 7009)', async () => {
    const response = await bufferedResponse(
      new Response('', { status: 200, headers: { 'content-type': 'text/plain' } }),
      HOST,
    );
    assert.equal(response.status, 200);
    assert.equal(await response.text(), '');
  });

  it('hands on a failure whatever its body, for its status to be reported', async () => {
    const response = await bufferedResponse(new Response('<html>bad gateway</html>', { status: 502 }), HOST);
    assert.equal(response.status, 502);
    assert.equal(await response.text(), '<html>bad gateway</html>');
  });
});
