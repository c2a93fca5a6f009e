/**
 * Splices that edit one block sequence of a YAML source in place: an item
 * whose value changed is replaced where it stands, new items are added after
 * the last one, laid out as its siblings are. Nothing else in the source is
 * touched.
 */
import { isDeepStrictEqual } from 'node:util';
import { isMap, isNode, type YAMLSeq } from 'yaml';
import { beforeLineBreak, indentLines, lineBreakOf, lineStartOf, nextLineStart, type Splice } from './text-splice.ts';

/** Where a sequence item's dash and its content stand on their line. */
interface ItemLayout {
  dashColumn: number;
  contentColumn: number;
}

/** Renders a value as block YAML, lines separated by LF, no final line break. */
export type RenderValue = (value: unknown) => string;

/** The source range of a parsed item: [content start, value end, node end (trailing comments and line break included)]. */
function rangeOf(item: unknown): [number, number, number] | undefined {
  return isNode(item) ? (item.range ?? undefined) : undefined;
}

/**
 * Where an item's own text ends: its node end, less the blank lines and the
 * comments indented left of its content that the parser counts in, as they
 * belong to what follows it.
 */
function ownEnd(source: string, range: [number, number, number]): number {
  const column = range[0] - lineStartOf(source, range[0]);
  let end = range[2];
  while (end > range[0]) {
    const lastLineStart = lineStartOf(source, beforeLineBreak(source, end));
    const line = source.slice(lastLineStart, end);
    const content = line.trim();
    const indent = line.length - line.trimStart().length;
    if (content !== '' && !(content.startsWith('#') && indent < column)) break;
    end = lastLineStart;
  }
  return end;
}

/** The layout of an item written `<spaces>-<spaces><content>` on one line; undefined for any other (props, a dash alone on its line, tabs). */
function layoutOf(source: string, item: unknown): ItemLayout | undefined {
  const range = rangeOf(item);
  if (range === undefined) return undefined;
  const lineStart = lineStartOf(source, range[0]);
  const prefix = source.slice(lineStart, range[0]);
  const match = /^( *)- +$/.exec(prefix);
  return match === null ? undefined : { dashColumn: match[1]?.length ?? 0, contentColumn: prefix.length };
}

/** The layout new items copy: the last block mapping's among the siblings (kubeconfig entries are mappings), else the last item's that has one. */
function siblingLayout(source: string, sequence: YAMLSeq): ItemLayout | undefined {
  const latestFirst = [...sequence.items].reverse();
  const mappingsFirst = [...latestFirst.filter((item) => isMap(item) && !item.flow), ...latestFirst];
  for (const item of mappingsFirst) {
    const layout = layoutOf(source, item);
    if (layout !== undefined) return layout;
  }
  return undefined;
}

/** Replaces an item with `value`: its dash and anything before its content stay; the content, with its own comments, is rewritten at the same column. */
function replaceItem(source: string, item: unknown, value: unknown, render: RenderValue): Splice | undefined {
  const range = rangeOf(item);
  if (range === undefined) return undefined;
  const start = range[0];
  const column = start - lineStartOf(source, start);
  return {
    start,
    end: beforeLineBreak(source, ownEnd(source, range)),
    text: indentLines(render(value), column, lineBreakOf(source)),
  };
}

/** Adds items with `values` on the lines after the last item's own text, laid out as the siblings are. */
function appendItems(
  source: string,
  sequence: YAMLSeq,
  values: readonly unknown[],
  render: RenderValue,
): Splice | undefined {
  const layout = siblingLayout(source, sequence);
  const lastRange = rangeOf(sequence.items.at(-1));
  if (layout === undefined || lastRange === undefined) return undefined;
  const lineBreak = lineBreakOf(source);
  const at = nextLineStart(source, ownEnd(source, lastRange));
  const dash = `${' '.repeat(layout.dashColumn)}-${' '.repeat(layout.contentColumn - layout.dashColumn - 1)}`;
  const items = values
    .map((value) => `${dash}${indentLines(render(value), layout.contentColumn, lineBreak)}${lineBreak}`)
    .join('');
  const atLineStart = at === 0 || source[at - 1] === '\n';
  return { start: at, end: at, text: atLineStart ? items : lineBreak + items };
}

/**
 * The splices that turn `sequence` (a block sequence parsed from `source`,
 * whose items are `before` as data) into one whose items are `after`: items
 * that differ are replaced, items past the end appended. Undefined when that
 * is not the change (items removed), or when there is no item whose layout
 * new items can copy (none, or none written `- content`).
 */
export function sequenceSplices(
  source: string,
  sequence: YAMLSeq,
  before: readonly unknown[],
  after: readonly unknown[],
  render: RenderValue,
): Splice[] | undefined {
  if (after.length < before.length) return undefined;
  const splices: Array<Splice | undefined> = [];
  before.forEach((value, index) => {
    if (!isDeepStrictEqual(value, after[index]))
      splices.push(replaceItem(source, sequence.items[index], after[index], render));
  });
  if (after.length > before.length) splices.push(appendItems(source, sequence, after.slice(before.length), render));
  return splices.every((splice) => splice !== undefined) ? splices : undefined;
}
