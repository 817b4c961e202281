/**
 * An extracted answer broken into what gets compared: a list (comma / `and` / `;` separated
 * parts, compared as a set) or one item, each item with its CAS-ready LaTeX and a normalised
 * string for the cheap exact check. Built on the main thread, compared in the worker.
 */
export type AnswerTree =
  | { kind: 'list'; items: AnswerTree[] }
  | { kind: 'item'; latex: string; key: string };

export function treeKey(tree: AnswerTree): string {
  return tree.kind === 'item' ? tree.key : `{${tree.items.map(treeKey).join(',')}}`;
}

/** Options every comparison takes (the ones Math-Verify exposes). */
export interface CompareOptions {
  /** Digits after the decimal point that must agree for floating-point values. */
  precision: number;
  /** Variables and functions must match exactly, and `k = 1` no longer matches `1`. */
  strict: boolean;
  /** Let a single inequality (`x < 2`) match an interval (`(-\infty, 2)`). */
  allowSetRelationComp: boolean;
}
