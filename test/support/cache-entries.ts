/**
 * Reading and writing the CLI's token cache from tests.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TokenSet } from '../../src/core/credential.ts';
import { expiredUnsignedJwt } from './unsigned-jwt.ts';

/** A token cache entry as the CLI writes it. */
export type CachedTokens = TokenSet;

/** The names of the entry files in a cache directory (64 hex characters each). */
export async function entryFiles(cacheDir: string): Promise<string[]> {
  const names = await readdir(cacheDir).catch(() => []);
  return names.filter((name) => /^[0-9a-f]{64}$/.test(name));
}

/** The path of the only entry file in a cache directory; fails when there is not exactly one. */
export async function onlyEntryFile(cacheDir: string): Promise<string> {
  const files = await entryFiles(cacheDir);
  if (files.length !== 1) throw new Error(`expected one entry file in ${cacheDir}, found ${files.length}`);
  return join(cacheDir, files[0] as string);
}

/** Reads the only entry of a cache directory. */
export async function readOnlyEntry(cacheDir: string): Promise<CachedTokens> {
  return JSON.parse(await readFile(await onlyEntryFile(cacheDir), 'utf8')) as CachedTokens;
}

/** Replaces the ID token of the only entry with an unsigned one that expired a minute ago, keeping the refresh token. */
export async function expireCachedIdToken(cacheDir: string): Promise<void> {
  const path = await onlyEntryFile(cacheDir);
  const entry = JSON.parse(await readFile(path, 'utf8')) as CachedTokens;
  entry.id_token = expiredUnsignedJwt();
  await writeFile(path, JSON.stringify(entry));
}
