/**
 * Standard output written straight to its file descriptor. The first touch of
 * the process's stdout object builds a stream (a socket for a pipe): about 3 ms of a
 * Node cache hit, and in the standalone executable more than the rest of the
 * hit together. A cache hit writes one line and exits, so it needs none of it.
 */
import { writeSync } from 'node:fs';

/** Where text goes once the descriptor cannot take it at once: a stream that waits until it can. */
export interface TextSink {
  write(text: string | Uint8Array): unknown;
}

/**
 * Writes each text whole and synchronously to `fd`, so nothing is lost when
 * the process exits. A descriptor that is non-blocking and full (EAGAIN, a
 * reader slower than us) hands the rest of that text, and every later one,
 * to `fallback()`, which keeps the order and waits for the reader.
 */
export function directOutput(fd: number, fallback: () => TextSink): { write(text: string): unknown } {
  let stream: TextSink | undefined;
  return {
    write(text) {
      if (stream !== undefined) return stream.write(text);
      const bytes = Buffer.from(text, 'utf8');
      let written = 0;
      try {
        while (written < bytes.length) written += writeSync(fd, bytes, written);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
        stream = fallback();
        return stream.write(bytes.subarray(written));
      }
      return true;
    },
  };
}
