/**
 * What a scenario starts beside its world (a proxy, a server that never answers, a mirror of
 * the provider): started before the first test of the enclosing `describe` (or file) and closed
 * after the last, as `worldForAll` does for the world, so no test writes its own before/after block.
 */
import { after, before } from 'node:test';

/** Something a test starts and must close. */
export interface Closable {
  close(): Promise<void>;
}

/** Starts `start()` before the first test of the enclosing describe, closes it after the last; returns the accessor. */
export function serverForAll<T extends Closable>(start: () => Promise<T>): () => T {
  let server: T | undefined;
  before(async () => {
    server = await start();
  });
  after(() => server?.close());
  return () => {
    if (server === undefined) throw new Error('this server is used outside its tests');
    return server;
  };
}
