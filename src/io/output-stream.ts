/**
 * A writable text stream, stdout or stderr, as the CLI sees it: what a prompt, a QR code or a
 * progress line writes to, and what Deps hands every command.
 */

/** A writable text stream: stdout or stderr. */
export interface OutputStream {
  write(text: string): unknown;
  isTTY?: boolean;
  /** The width of a terminal, in characters; undefined (or 0) when it is none or its size is unknown. */
  columns?: number;
}
