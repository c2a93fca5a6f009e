/**
 * Files kubelogin reads and writes: a file named by a flag, one atomic write
 * shared by the token cache and the kubeconfig, and file system errors in
 * words for one-line messages.
 */
// Synchronous node:fs on purpose for what the cache-hit path may load: node:fs/promises takes ~5 ms to load.
import { closeSync, fchmodSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ConfigError } from '../core/errors.ts';

/** Words for the errno codes a user can act on. */
const FS_ERROR_WORDS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a directory',
  ENOTDIR: 'a parent is not a directory',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  EEXIST: 'a file is in the way',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'the path is too long',
};

/** A short reason from a file system error, such as "permission denied". */
export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code !== undefined) return FS_ERROR_WORDS[code] ?? code;
  return error instanceof Error ? error.message : String(error);
}

/** Reads `path`, given with `--flag`, as UTF-8 text; a ConfigError names the flag and the file. */
export function readFlagFile(flag: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`--${flag} ${path}: cannot read it (${describeFsError(error)})`, { cause: error });
  }
}

/** Removes a file if it is there; a failure here must not hide the error being reported. */
function removeQuietly(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // The error that led here is the one worth reporting.
  }
}

/** Distinguishes the temporary files of one process's writes. */
let temporaryCounter = 0;

/** The name of a temporary file of writeFileAtomically for `target`: unique per process and write, named after the target. */
function temporaryFileName(target: string): string {
  return `.${basename(target)}.${process.pid}.${++temporaryCounter}.${Date.now()}.tmp`;
}

/**
 * Matches the names of the temporary files writeFileAtomically makes for
 * targets whose names match `targetName` (a regular expression source
 * without anchors), such as those a killed process left behind.
 */
export function temporaryFileNamePattern(targetName: string): RegExp {
  return new RegExp(`^\\.(?:${targetName})\\.\\d+\\.\\d+\\.\\d+\\.tmp$`);
}

/**
 * Replaces `target` with `content` so that a reader sees the old file or the
 * new one, never a part: a temporary file beside it (created exclusively,
 * with exactly `mode` whatever the umask, flushed to disk), then a rename. A
 * symbolic link at `target` is replaced, not followed. Throws the fs error;
 * the temporary file is removed on failure.
 */
export function writeFileAtomically(target: string, content: string | Uint8Array, mode: number): void {
  // Named after the target so `clean` recognises it; 'wx' refuses a name left by a crashed writer.
  const temporary = join(dirname(target), temporaryFileName(target));
  try {
    const fd = openSync(temporary, 'wx', mode);
    try {
      fchmodSync(fd, mode);
      writeSync(fd, typeof content === 'string' ? Buffer.from(content) : content);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, target);
  } catch (error) {
    removeQuietly(temporary);
    throw error;
  }
}
