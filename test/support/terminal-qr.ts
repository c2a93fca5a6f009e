/**
 * Reads the QR codes a run printed on its terminal back into text, with jsQR (an independent
 * decoder, not the encoder the CLI uses): each code is a block of lines in black on white (SGR
 * 30;107), two modules to a character in Unicode half blocks. The lines are turned into pixels
 * as a camera would see them and decoded.
 */
import jsQRModule from 'jsqr';

/** jsQR's decoder: a CommonJS module whose export is also its `default`, which is how its types name it. */
const jsQR = jsQRModule.default;

/** The colours the CLI sets at the start of each line of a QR code. */
const QR_LINE_START = '\x1b[30;107m';
/** Any SGR escape, and the carriage return and erase-line of a terminal. */
export const TERMINAL_CONTROLS = new RegExp(`${String.fromCharCode(0x1b)}\\[[0-9;]*[mK]|\r`, 'g');
/** Pixels per module: enough for the decoder to find the finder patterns. */
const MODULE_PIXELS = 4;
/** Dark modules of the top and the bottom half of each character. */
const HALF_BLOCK_MODULES: Readonly<Record<string, readonly [boolean, boolean]>> = {
  ' ': [false, false],
  '\u2584': [false, true],
  '\u2580': [true, false],
  '\u2588': [true, true],
};

/** The blocks of consecutive QR lines in `output`, each as rows of module characters. */
function qrBlocks(output: string): string[][] {
  const blocks: string[][] = [];
  let current: string[] | undefined;
  for (const line of output.split('\n')) {
    if (line.replace(/^\r/, '').startsWith(QR_LINE_START)) {
      current ??= [];
      current.push(line.replace(TERMINAL_CONTROLS, ''));
    } else if (current !== undefined) {
      blocks.push(current);
      current = undefined;
    }
  }
  if (current !== undefined) blocks.push(current);
  return blocks;
}

/** Decodes one block of half-block lines; throws when a character is not a half block or nothing decodes. */
function decodeBlock(lines: readonly string[]): string {
  const columns = Math.max(...lines.map((line) => [...line].length));
  const modules: boolean[][] = [];
  for (const line of lines) {
    const top: boolean[] = [];
    const bottom: boolean[] = [];
    for (const char of [...line].concat(Array(columns - [...line].length).fill(' '))) {
      const halves = HALF_BLOCK_MODULES[char];
      if (halves === undefined) throw new Error(`not a half block in a QR line: ${JSON.stringify(char)}`);
      top.push(halves[0]);
      bottom.push(halves[1]);
    }
    modules.push(top, bottom);
  }
  const width = columns * MODULE_PIXELS;
  const height = modules.length * MODULE_PIXELS;
  const pixels = new Uint8ClampedArray(width * height * 4).fill(255);
  for (const [y, row] of modules.entries()) {
    for (const [x, dark] of row.entries()) {
      if (!dark) continue;
      for (let dy = 0; dy < MODULE_PIXELS; dy++) {
        const offset = ((y * MODULE_PIXELS + dy) * width + x * MODULE_PIXELS) * 4;
        for (let dx = 0; dx < MODULE_PIXELS; dx++) pixels.fill(0, offset + dx * 4, offset + dx * 4 + 3);
      }
    }
  }
  const decoded = jsQR(pixels, width, height);
  if (decoded === null) throw new Error(`a QR code of ${lines.length} lines did not decode`);
  return decoded.data;
}

/** The text of every QR code in a run's terminal output, in order (empty when it printed none). */
export function decodeTerminalQrCodes(output: string): string[] {
  return qrBlocks(output).map(decodeBlock);
}
