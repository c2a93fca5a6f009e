/**
 * Plain-text edits of a source file: replacing ranges of it with new text,
 * and the facts about its lines (line break, columns) that new text must
 * match to read as if it had always been there.
 */

/** `text` in place of the source's characters from `start` up to (not including) `end`. */
export interface Splice {
  start: number;
  end: number;
  text: string;
}

/** The line break a text uses: CRLF when its first line ends so, else LF. */
export function lineBreakOf(source: string): string {
  const firstNewline = source.indexOf('\n');
  return firstNewline > 0 && source[firstNewline - 1] === '\r' ? '\r\n' : '\n';
}

/** The offset at which the line holding `offset` starts. */
export function lineStartOf(source: string, offset: number): number {
  return source.lastIndexOf('\n', offset - 1) + 1;
}

/** `offset` moved back over one line break (LF or CRLF) that ends just before it, if any. */
export function beforeLineBreak(source: string, offset: number): number {
  if (source[offset - 1] !== '\n') return offset;
  return source[offset - 2] === '\r' ? offset - 2 : offset - 1;
}

/** `offset` moved forward to the start of the next line, unless it is at a line start already; the end of the text at most. */
export function nextLineStart(source: string, offset: number): number {
  if (offset === 0 || source[offset - 1] === '\n') return offset;
  const newline = source.indexOf('\n', offset);
  return newline === -1 ? source.length : newline + 1;
}

/**
 * `text` (lines separated by LF) with `lineBreak` between its lines and every
 * line after the first indented by `column` spaces, so that it can continue
 * a line at that column. Empty lines stay empty.
 */
export function indentLines(text: string, column: number, lineBreak: string): string {
  const pad = ' '.repeat(column);
  return text
    .split('\n')
    .map((line, index) => (index === 0 || line === '' ? line : pad + line))
    .join(lineBreak);
}

/** The source with the splices applied (in any order); undefined when two of them overlap. */
export function applySplices(source: string, splices: readonly Splice[]): string | undefined {
  const ordered = [...splices].sort((a, b) => a.start - b.start || a.end - b.end);
  let result = '';
  let copied = 0;
  for (const splice of ordered) {
    if (splice.start < copied) return undefined;
    result += source.slice(copied, splice.start) + splice.text;
    copied = splice.end;
  }
  return result + source.slice(copied);
}
