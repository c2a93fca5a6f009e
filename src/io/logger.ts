/**
 * The logger: everything for people goes to stderr, redacted, filtered by the
 * `-v` level.
 */
import type { Redactor } from './redact.ts';

/** Where log lines go: stderr in production, a buffer in tests. */
export interface TextSink {
  write(text: string): unknown;
}

/** Leveled, redacting logger. Level 0 shows warnings and what a person must act on. */
export class Logger {
  constructor(
    private readonly sink: TextSink,
    readonly level: number,
    readonly redactor: Redactor,
  ) {}

  /** The same logger at another level. */
  withLevel(level: number): Logger {
    return new Logger(this.sink, level, this.redactor);
  }

  /** A line for the person at the terminal (instructions, URLs); always shown. */
  info(message: string): void {
    this.write(message);
  }

  /** A warning; always shown. */
  warn(message: string): void {
    this.write(`warning: ${message}`);
  }

  /** Detail for `-v1` and above. */
  debug(message: string): void {
    if (this.level >= 1) this.write(message);
  }

  /** Wire-level detail for `-v2` and above. */
  trace(message: string): void {
    if (this.level >= 2) this.write(message);
  }

  private write(message: string): void {
    this.sink.write(`${this.redactor.redact(message)}\n`);
  }
}
