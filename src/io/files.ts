/**
 * Files kubelogin reads and writes: a file named by a flag, one atomic write
 * shared by the token cache and the kubeconfig, and file system errors in
 * words for one-line messages.
 */
// Synchronous node:fs on purpose for what the cache-hit path may load: node:fs/promises takes ~5 ms to load.
import {
  closeSync,
  constants,
  fchmodSync,
  fstatSync,
  fsyncSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  type Stats,
  writeSync,
} from 'node:fs';
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

/**
 * Opens for reading without waiting: a FIFO opens at once instead of blocking
 * the process until a writer comes (and is then refused as not a regular
 * file). O_NONBLOCK changes nothing for a regular file; Windows has none.
 */
const NON_BLOCKING_READ = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);
/** Bytes asked of the file system at a time when the size it reports is no guide (a file growing while read). */
const READ_CHUNK_BYTES = 64 * 1024;

/** What a path that is not a regular file is, in words. */
function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** A regular file's content and its stats. */
export interface RegularFile {
  text: string;
  stats: Stats;
}

/**
 * Reads a regular file whole as UTF-8, at most `maxBytes`: a FIFO, a device,
 * a socket or a directory is refused without a read (so `/dev/zero` cannot
 * fill the memory and a FIFO cannot hang the process), and so is a file
 * that is or grows larger. Throws the fs error, or an Error whose message
 * says what the file is instead (describeFsError words both).
 */
export function readRegularFile(path: string, maxBytes: number): RegularFile {
  const fd = openSync(path, NON_BLOCKING_READ);
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw new Error(`${kindOf(stats)}, not a regular file`);
    const tooLarge = () => new Error(`larger than ${maxBytes} bytes`);
    if (stats.size > maxBytes) throw tooLarge();
    // One byte more than the size reported, so one read usually finds the end.
    const buffer = Buffer.allocUnsafe(Math.min(maxBytes + 1, stats.size + 1 || READ_CHUNK_BYTES));
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const read = readSync(fd, buffer, 0, buffer.length, null);
      if (read === 0) break;
      total += read;
      if (total > maxBytes) throw tooLarge();
      chunks.push(Buffer.from(buffer.subarray(0, read)));
    }
    return { text: Buffer.concat(chunks, total).toString('utf8'), stats };
  } finally {
    closeSync(fd);
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
