/**
 * Reading a file named by a flag, with a one-line error naming the flag and
 * the file when it cannot be read.
 */
import { readFile } from 'node:fs/promises';
import { ConfigError } from '../core/errors.ts';

/** Words for the errors of reading a file. */
const READ_FAILURES: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EISDIR: 'it is a directory',
};

/** Reads `path`, given with `--flag`, as UTF-8 text. */
export async function readFlagFile(flag: string, path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new ConfigError(`--${flag} ${path}: cannot read it (${READ_FAILURES[code] ?? code})`, { cause: error });
  }
}
