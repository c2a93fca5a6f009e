/**
 * Quoting for a POSIX shell, for the commands setup prints.
 */

/** Characters a POSIX shell leaves alone in a word. */
const SHELL_SAFE = /^[\w@%+=:,./-]+$/;

/** Quotes a word for a POSIX shell when it needs it. */
export function shellQuote(word: string): string {
  return SHELL_SAFE.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}
