/**
 * An extracted answer broken into what gets compared: a list (comma / `and` / `;` separated
 * parts, compared as a set) or one item, each item with its CAS-ready LaTeX and a normalised
 * string for the cheap exact check. Built on the main thread, compared in the worker.
 */
export type AnswerTree =
  | { kind: 'list'; items: AnswerTree[] }
  | {
      kind: 'item';
      latex: string;
      key: string;
      /** Written as a percent (`28\%`): `latex` holds the number before the sign. */
      percent?: boolean;
      /** Compared as written, not as a value (clock times `3:00`, whose ratio would be 3/0). */
      literal?: boolean;
      /**
       * The equality chain `latex` was collapsed from (`x = 5+6 = 11`). When the engine cannot
       * read the chain, its last side is the answer (Math-Verify's final-equation fallback).
       */
      chain?: string;
    };

export function treeKey(tree: AnswerTree): string {
  if (tree.kind === 'list') return `{${tree.items.map(treeKey).join(',')}}`;
  return tree.percent ? `${tree.key}%` : tree.key;
}

/** Options every comparison takes (the ones Math-Verify exposes). */
export interface CompareOptions {
  /** Digits after the decimal point that must agree for floating-point values. */
  precision: number;
  /** Variables and functions must match by name (`f(x)` is not `f(y)`). */
  strict: boolean;
  /** Let a predicted relation (`x < 2`) match a gold interval (`(-\infty, 2)`). */
  allowSetRelationComp: boolean;
}
