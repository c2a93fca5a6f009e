/**
 * Writing an edited kubeconfig as a few changes to the text it was read
 * from, so that everything the edit did not touch stays byte for byte:
 * comments, quoting, spacing, indentation, line breaks.
 */
import { isDeepStrictEqual } from 'node:util';
import { Document, isAlias, isMap, isSeq, parseDocument } from 'yaml';
import { KUBECTL_LAYOUT } from './kubeconfig-layout.ts';
import { type RenderValue, sequenceSplices } from './sequence-splices.ts';
import { applySplices, type Splice } from './text-splice.ts';

/** Renders values for the `original` file: in its YAML version, so that a string such as `yes` is quoted where 1.1 would read a boolean. */
function rendererFor(original: Document): RenderValue {
  const version = original.directives?.yaml.version;
  return (value) => new Document(value, { version }).toString(KUBECTL_LAYOUT).replace(/\n$/, '');
}

/** Whether `text` parses cleanly to exactly `intended`. */
function readsAs(text: string, intended: unknown): boolean {
  const reparsed = parseDocument(text);
  return reparsed.errors.length === 0 && isDeepStrictEqual(reparsed.toJS(), intended);
}

/**
 * `source` with the changes that turn it into `document` spliced in, when
 * every change is to the items of a top-level block sequence that has items
 * (an entry of `users` or `contexts` replaced, entries appended). Undefined
 * when another change was made (a list added, or one that was empty, null
 * or in flow style filled; items removed; another top-level value changed),
 * or when the result would not read back as exactly `document`: the caller
 * re-prints the document instead.
 */
export function spliceEdits(source: string, document: Document): string | undefined {
  const original = parseDocument(source);
  if (original.errors.length > 0 || !isMap(original.contents) || !isMap(document.contents)) return undefined;
  const before = original.toJS() as Record<string, unknown>;
  const after = document.toJS() as Record<string, unknown>;
  const render = rendererFor(original);
  const splices: Splice[] = [];
  for (const [key, value] of Object.entries(after)) {
    if (!Object.hasOwn(before, key)) return undefined;
    const was = before[key];
    if (isDeepStrictEqual(was, value)) continue;
    const node = original.get(key, true);
    const current = document.get(key, true);
    // An alias kept as it was reads as its anchor's node: that node's change is spliced where it stands, and checked below.
    if (isAlias(node) && isAlias(current) && node.source === current.source) continue;
    if (!isSeq(node) || node.flow || !Array.isArray(was) || !Array.isArray(value)) return undefined;
    const listSplices = sequenceSplices(source, node, was, value, render);
    if (listSplices === undefined) return undefined;
    splices.push(...listSplices);
  }
  const text = applySplices(source, splices);
  return text !== undefined && readsAs(text, after) ? text : undefined;
}
