/**
 * QR codes on a terminal, so that a login URL can be opened with a phone's
 * camera: Unicode half blocks, two modules to a character, black on white
 * whatever the terminal's colours (a scanner needs dark modules on a light
 * ground). Imported only when a QR code is shown: the `qr` package stays off
 * every other path.
 */
import { encodeQR } from 'qr';
import type { OutputStream } from './output-stream.ts';

/** The quiet zone around the symbol, in modules: the white ring scanners need to find it. */
const QUIET_ZONE_MODULES = 2;
/** Black foreground on a bright white background; reset after each line. */
const BLACK_ON_WHITE = '\x1b[30;107m';
const RESET = '\x1b[0m';
/** A character for a module above another, by (top dark ? 2 : 0) + (bottom dark ? 1 : 0). */
const HALF_BLOCKS = [' ', '\u2584', '\u2580', '\u2588'] as const;

/** A QR code for a terminal: its lines, and how many columns each takes. */
export interface TerminalQrCode {
  lines: string[];
  columns: number;
}

/**
 * A QR code of `text`, each line as wide as the symbol with its quiet zone.
 * Low error correction keeps a long URL small enough for a terminal.
 */
export function terminalQrCode(text: string): TerminalQrCode {
  const modules = encodeQR(text, 'raw', { ecc: 'low', border: QUIET_ZONE_MODULES });
  const lines: string[] = [];
  for (let row = 0; row < modules.length; row += 2) {
    const top = modules[row] ?? [];
    const bottom = modules[row + 1];
    let line = '';
    for (let column = 0; column < top.length; column++) {
      line += HALF_BLOCKS[(top[column] ? 2 : 0) + (bottom?.[column] ? 1 : 0)];
    }
    lines.push(`${BLACK_ON_WHITE}${line}${RESET}`);
  }
  return { lines, columns: modules[0]?.length ?? 0 };
}

/**
 * Writes a QR code of `url` to a terminal's stderr; when the terminal is
 * narrower than the code, one line says how wide it must be instead.
 */
export function writeQrCode(url: string, stderr: OutputStream): void {
  const { lines, columns } = terminalQrCode(url);
  // A width of 0 is a terminal that does not know its size (a pseudo-terminal nobody sized): no reason to hold back.
  if (stderr.columns && stderr.columns < columns) {
    stderr.write(`(A QR code of this URL needs a terminal ${columns} columns wide.)\n`);
    return;
  }
  stderr.write(`${lines.join('\n')}\n`);
}
