import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, readFileSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { directOutput, type TextSink } from '../../../src/io/direct-output.ts';

/** More than any pipe holds (64 KiB on Linux), so that a non-blocking one fills up. */
const MORE_THAN_A_PIPE_HOLDS = 1024 * 1024;

/** A sink that keeps what it is given. */
function collectingSink(): TextSink & { bytes(): Buffer } {
  const chunks: Buffer[] = [];
  return {
    write: (text) => chunks.push(Buffer.from(text)),
    bytes: () => Buffer.concat(chunks),
  };
}

describe('directOutput', () => {
  const dir = mkdtempSync(join(tmpdir(), 'direct-output-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('writes every text whole, in order and as UTF-8, without the stream', () => {
    const file = join(dir, 'out');
    const fd = openSync(file, 'w');
    const texts = ['{"kind":"ExecCredential"}\n', 'Zoë 名前\n', 'x'.repeat(MORE_THAN_A_PIPE_HOLDS)];
    try {
      const output = directOutput(fd, () => assert.fail('the stream was opened'));
      for (const text of texts) output.write(text);
    } finally {
      closeSync(fd);
    }
    assert.equal(readFileSync(file, 'utf8'), texts.join(''));
  });

  it('hands the rest, and every later text, to the stream when a non-blocking pipe is full', () => {
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    // Read-write, so that opening needs no reader; non-blocking, as a reader's end sometimes leaves it.
    const fd = openSync(fifo, constants.O_RDWR | constants.O_NONBLOCK);
    try {
      const sink = collectingSink();
      const output = directOutput(fd, () => sink);
      const first = 'a'.repeat(MORE_THAN_A_PIPE_HOLDS);
      output.write(first);
      output.write('second\n');
      const inPipe = Buffer.alloc(MORE_THAN_A_PIPE_HOLDS);
      const readBytes = readSync(fd, inPipe);
      assert.ok(readBytes > 0 && readBytes < first.length, `the pipe took ${readBytes} bytes`);
      assert.equal(Buffer.concat([inPipe.subarray(0, readBytes), sink.bytes()]).toString('utf8'), `${first}second\n`);
    } finally {
      closeSync(fd);
    }
  });

  it('throws any other error, such as a descriptor open for reading only', () => {
    const file = join(dir, 'read-only');
    closeSync(openSync(file, 'w'));
    const fd = openSync(file, 'r');
    try {
      const output = directOutput(fd, () => assert.fail('the stream was opened'));
      assert.throws(() => output.write('text'), { code: 'EBADF' });
    } finally {
      closeSync(fd);
    }
  });
});
