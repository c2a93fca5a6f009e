/**
 * A line diff (longest common subsequence) for checking that an edited file kept everything it
 * did not mean to change, byte for byte.
 */

/** Lines only in `before` (removed or changed) and only in `after` (added or changed). */
export interface LineDiff {
  removed: string[];
  added: string[];
}

/** Splits text into lines; `a\nb\n` ends with an empty line, so that a lost final newline shows as a removal. */
function linesOf(text: string): string[] {
  return text.split('\n');
}

/** The diff of `before` and `after` by lines. Quadratic: meant for files of a few hundred lines. */
export function lineDiff(before: string, after: string): LineDiff {
  const a = linesOf(before);
  const b = linesOf(after);
  const rows = a.length + 1;
  const cols = b.length + 1;
  const table = new Uint32Array(rows * cols);
  for (let i = a.length - 1; i >= 0; i -= 1) {
    for (let j = b.length - 1; j >= 0; j -= 1) {
      table[i * cols + j] =
        a[i] === b[j]
          ? (table[(i + 1) * cols + j + 1] as number) + 1
          : Math.max(table[(i + 1) * cols + j] as number, table[i * cols + j + 1] as number);
    }
  }
  const removed: string[] = [];
  const added: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      i += 1;
      j += 1;
    } else if ((table[(i + 1) * cols + j] as number) >= (table[i * cols + j + 1] as number)) {
      removed.push(a[i] as string);
      i += 1;
    } else {
      added.push(b[j] as string);
      j += 1;
    }
  }
  removed.push(...a.slice(i));
  added.push(...b.slice(j));
  return { removed, added };
}
