/**
 * Symbolic comparison of parsed answers. LaTeX is parsed to MathJSON by the Cortex Compute
 * Engine; this file only decides which parts to compare and how (sets, intervals, relations,
 * label equations like `k = 1`), and asks the engine for numeric values and canonical forms.
 * It runs inside the comparison worker, so a pathological input can be cut off by a deadline.
 */
import { ComputeEngine } from '@cortex-js/compute-engine';
import { type AnswerTree, type CompareOptions, treeKey } from './answer-tree.js';
import { numbersClose } from './numbers.js';
import { splitTopLevel } from './text-scan.js';

type Json = unknown;
type Node =
  | { kind: 'list'; items: Node[] }
  | { kind: 'expr'; json: Json; key: string }
  | { kind: 'text'; key: string };

// biome-ignore lint/suspicious/noExplicitAny: the engine's boxed types are not needed for JSON round-trips.
type Boxed = any;

let engine: Boxed | null = null;
function ce(): Boxed {
  engine ??= new ComputeEngine();
  return engine;
}

const parseCache = new Map<string, Json | null>();

function isArray(json: Json): json is Json[] {
  return Array.isArray(json);
}
function head(json: Json): string | null {
  return isArray(json) && typeof json[0] === 'string' ? json[0] : null;
}
function ops(json: Json): Json[] {
  return isArray(json) ? json.slice(1) : [];
}
function containsHead(json: Json, names: ReadonlySet<string>): boolean {
  if (!isArray(json)) return false;
  const h = head(json);
  if (h !== null && names.has(h)) return true;
  return json.some((part) => containsHead(part, names));
}

const ERROR_HEADS = new Set(['Error', 'LatexString']);
const SET_OPERATIONS = new Set(['Union', 'Intersection', 'SetMinus']);
const FINITE = new Set(['Set', 'Tuple', 'List']);

/** MathJSON of one item, or null when the engine could not parse it. */
function parseLatex(latex: string): Json | null {
  const cached = parseCache.get(latex);
  if (cached !== undefined) return cached;
  let json: Json | null = null;
  try {
    const expression = ce().parse(latex);
    json =
      expression.isValid && !containsHead(expression.json, ERROR_HEADS) ? expression.json : null;
    if (json !== null && containsHead(json, new Set(['Matrix'])) && head(json) !== 'Matrix') {
      // `A + B` of matrices: compare the evaluated matrix.
      const evaluated = expression.evaluate().json;
      if (!containsHead(evaluated, ERROR_HEADS)) json = evaluated;
    }
    if (
      json !== null &&
      SET_OPERATIONS.has(head(json) ?? '') &&
      ops(json).every((part) => FINITE.has(head(part) ?? ''))
    ) {
      // `\{1,3\} \cup \{2,4\}` is the finite set it denotes.
      const evaluated = expression.evaluate().json;
      if (head(evaluated) === 'Set') json = evaluated;
    }
  } catch {
    json = null;
  }
  if (parseCache.size > 20_000) parseCache.clear();
  parseCache.set(latex, json);
  return json;
}

function toNode(tree: AnswerTree): Node {
  if (tree.kind === 'list') {
    const items = tree.items.map(toNode);
    return items.length === 1 ? items[0]! : { kind: 'list', items };
  }
  if (tree.literal) return { kind: 'text', key: tree.key };
  // Math-Verify parses the whole chain and, when that fails, only its final equation's side.
  const latex =
    tree.chain !== undefined && parseLatex(tree.chain) === null
      ? splitTopLevel(tree.chain, ['=']).pop()!.trim()
      : tree.latex;
  const json = parseLatex(tree.percent ? `\\frac{${latex}}{100}` : latex);
  if (json === null || (typeof json === 'string' && json.startsWith("'")))
    return { kind: 'text', key: tree.key };
  return { kind: 'expr', json, key: tree.key };
}

function parsedOk(node: Node): boolean {
  return node.kind === 'expr' || (node.kind === 'list' && node.items.some(parsedOk));
}

// ---------------------------------------------------------------------------------------------
// Numeric evaluation

interface Complex {
  re: number;
  im: number;
}

function numericValue(json: Json, assignment?: Record<string, number>): Complex | null {
  try {
    let boxed = ce().box(json);
    if (assignment !== undefined) boxed = boxed.subs(assignment);
    const value = boxed.N();
    if (!value.isNumberLiteral) return null;
    const re = Number(value.re);
    const im = Number(value.im ?? 0);
    if (Number.isNaN(re) || Number.isNaN(im)) return null;
    return { re, im };
  } catch {
    return null;
  }
}

function unknownsOf(json: Json): string[] {
  try {
    return [...(ce().box(json).unknowns as ReadonlyArray<string>)].sort();
  } catch {
    return [];
  }
}

const SAMPLE_POINTS = [0.5772, 1.3247, -0.8413, 2.2361, 0.3679];

function sampleAssignments(variables: ReadonlyArray<string>): Record<string, number>[] {
  return SAMPLE_POINTS.map((_, point) =>
    Object.fromEntries(
      variables.map((name, index) => [
        name,
        SAMPLE_POINTS[(point + index * 2) % SAMPLE_POINTS.length]! + index * 0.1173,
      ]),
    ),
  );
}

function complexClose(a: Complex, b: Complex, precision: number): boolean {
  return numbersClose(a.re, b.re, precision) && numbersClose(a.im, b.im, precision);
}

function relativeClose(a: Complex, b: Complex, tolerance = 1e-7): boolean {
  if (a.re === b.re && a.im === b.im) return true;
  // Infinity is close to nothing but itself (`\frac{3}{0}` is not 3/8).
  if (![a.re, a.im, b.re, b.im].every(Number.isFinite)) return false;
  const scale = Math.max(1, Math.hypot(a.re, a.im), Math.hypot(b.re, b.im));
  return Math.hypot(a.re - b.re, a.im - b.im) <= tolerance * scale;
}

// ---------------------------------------------------------------------------------------------
// Shapes: relations, intervals, collections

const RELATIONS = new Set(['Equal', 'NotEqual', 'Less', 'LessEqual', 'Greater', 'GreaterEqual']);
const ORDERED = new Set(['Tuple', 'List', 'Sequence', 'Pair', 'Triple', 'Delimiter']);

/** `a > b` as `b < a`, so one direction is left to compare. */
function orientRelation(json: Json[]): { op: string; sides: Json[] } {
  const op = head(json)!;
  const sides = ops(json);
  if (op === 'Greater') return { op: 'Less', sides: [...sides].reverse() };
  if (op === 'GreaterEqual') return { op: 'LessEqual', sides: [...sides].reverse() };
  return { op, sides };
}

/** A name rather than a value: symbols (possibly applied, subscripted, in a tuple or a ratio) and no numbers. */
function labelLike(json: Json): boolean {
  let symbols = 0;
  const walk = (part: Json, isHead: boolean): boolean => {
    if (typeof part === 'number') return false;
    if (typeof part === 'string') {
      if (!isHead && !part.startsWith("'")) symbols++;
      return !['Pi', 'ExponentialE', 'ImaginaryUnit'].includes(part);
    }
    if (isArray(part)) {
      if (RELATIONS.has(head(part) ?? '')) return false;
      return part.every((child, index) => walk(child, index === 0));
    }
    return false;
  };
  return walk(json, false) && symbols > 0;
}

interface IntervalShape {
  lo: Json;
  hi: Json;
  loOpen: boolean;
  hiOpen: boolean;
}

function endpoint(json: Json): { value: Json; open: boolean } {
  return head(json) === 'Open' ? { value: ops(json)[0], open: true } : { value: json, open: false };
}

function intervalOf(json: Json, tupleAsInterval: boolean): IntervalShape[] | null {
  const h = head(json);
  if (h === 'Interval') {
    const [lo, hi] = ops(json).map(endpoint);
    if (lo === undefined || hi === undefined) return null;
    return [{ lo: lo.value, hi: hi.value, loOpen: lo.open, hiOpen: hi.open }];
  }
  if (h === 'Union') {
    const parts = ops(json).map((part) => intervalOf(part, tupleAsInterval));
    return parts.every((part) => part !== null) ? (parts.flat() as IntervalShape[]) : null;
  }
  // `(a, b)` and `[a, b]` read as tuple / list unless compared with an interval.
  if (
    tupleAsInterval &&
    (h === 'Tuple' || h === 'Pair' || h === 'List') &&
    ops(json).length === 2
  ) {
    const [lo, hi] = ops(json);
    const open = h !== 'List';
    return [{ lo, hi, loOpen: open, hiOpen: open }];
  }
  return null;
}

/** `a < x <= b` on a named quantity as intervals; `a <= |z| <= b` as the two symmetric ones. */
function relationAsIntervals(json: Json, allowSingle: boolean): IntervalShape[] | null {
  if (head(json) === 'And' && ops(json).length === 2) {
    const [first, second] = ops(json).map((part) =>
      isArray(part) && RELATIONS.has(head(part) ?? '') ? orientRelation(part) : null,
    );
    const lower = first?.sides.length === 2 ? first : null;
    const upper = second?.sides.length === 2 ? second : null;
    const strict = (op: string | undefined) =>
      op === 'Less' ? true : op === 'LessEqual' ? false : null;
    if (
      lower &&
      upper &&
      JSON.stringify(lower.sides[1]) === JSON.stringify(upper.sides[0]) &&
      labelLike(lower.sides[1])
    ) {
      const loOpen = strict(lower.op);
      const hiOpen = strict(upper.op);
      if (loOpen !== null && hiOpen !== null)
        return [{ lo: lower.sides[0], hi: upper.sides[1], loOpen, hiOpen }];
    }
    return null;
  }
  if (!isArray(json) || !RELATIONS.has(head(json) ?? '')) return null;
  const { op, sides } = orientRelation(json);
  if (op !== 'Less' && op !== 'LessEqual') return null;
  const open = op === 'Less';
  if (sides.length === 3 && labelLike(sides[1])) {
    const [lo, middle, hi] = sides;
    if (head(middle) === 'Abs') {
      const low = numericValue(lo);
      if (low !== null && low.re >= 0) {
        return [
          { lo: ['Negate', hi], hi: ['Negate', lo], loOpen: open, hiOpen: open },
          { lo, hi, loOpen: open, hiOpen: open },
        ];
      }
    }
    return [{ lo, hi, loOpen: open, hiOpen: open }];
  }
  if (allowSingle && sides.length === 2) {
    if (labelLike(sides[0]))
      return [{ lo: 'NegativeInfinity', hi: sides[1], loOpen: true, hiOpen: open }];
    if (labelLike(sides[1]))
      return [{ lo: sides[0], hi: 'PositiveInfinity', loOpen: open, hiOpen: true }];
  }
  return null;
}

/** Expand `a \pm b` into its two values (a few at most). */
function plusMinusVariants(json: Json, budget = 3): Json[] {
  if (!isArray(json)) return [json];
  const h = head(json);
  if ((h === 'Measurement' || h === 'PlusMinus') && budget > 0) {
    const [a, b] = ops(json);
    if (a === undefined || b === undefined) return [json];
    return [
      ...plusMinusVariants(['Add', a, b], budget - 1),
      ...plusMinusVariants(['Subtract', a, b], budget - 1),
    ];
  }
  let variants: Json[][] = [[]];
  for (const part of json) {
    const partVariants = plusMinusVariants(part, budget);
    if (partVariants.length > 1 && variants.length * partVariants.length > 8) return [json];
    variants = variants.flatMap((prefix) => partVariants.map((variant) => [...prefix, variant]));
  }
  return variants;
}

// ---------------------------------------------------------------------------------------------
// Comparison

class Comparer {
  private readonly cache = new Map<string, boolean>();
  private readonly options: CompareOptions;
  constructor(options: CompareOptions) {
    this.options = options;
  }

  nodes(a: Node, b: Node): boolean {
    if (a.kind !== 'list' && b.kind !== 'list' && a.key === b.key) return true;
    if (a.kind === 'list' || b.kind === 'list') return this.lists(a, b);
    if (a.kind === 'text' || b.kind === 'text') {
      const text = (node: Node) =>
        node.kind === 'list'
          ? ''
          : node.key
              .replace(/\\text\{([^{}]*)\}/g, '$1')
              .replace(/[\s{}()]/g, '')
              .toLowerCase();
      return text(a) === text(b);
    }
    return this.values(a.json, b.json);
  }

  private lists(a: Node, b: Node): boolean {
    const itemsOf = (node: Node): Node[] => (node.kind === 'list' ? node.items : [node]);
    const aItems = itemsOf(a);
    const bItems = itemsOf(b);
    if (
      aItems.length === bItems.length &&
      this.unordered(aItems, bItems, (x, y) => this.nodes(x, y))
    )
      return true;
    // A list against one tuple / set value: compare element-wise.
    const singleIsGold = a.kind !== 'list';
    const single = singleIsGold ? a : b;
    const list = singleIsGold ? bItems : aItems;
    // Gold first in every comparison (relations are unwrapped by side).
    const pair = (element: Node, item: Node) =>
      singleIsGold ? this.nodes(element, item) : this.nodes(item, element);
    // `x \in \{1, 2\}` against `x = 1, x = 2`: the set is the value.
    const value =
      single.kind === 'expr' && head(single.json) === 'Element'
        ? ops(single.json)[1]
        : single.kind === 'expr'
          ? single.json
          : null;
    if (value !== null && isArray(value) && (ORDERED.has(head(value)!) || head(value) === 'Set')) {
      const elements = ops(value).map(
        (json): Node => ({ kind: 'expr', json, key: JSON.stringify(json) }),
      );
      if (elements.length === list.length) {
        if (elements.every((element, index) => pair(element, list[index]!))) return true;
        // A gold tuple against a predicted list keeps the order the prediction wrote (Math-Verify
        // compares a tuple with a set in the set's written order): `(3, 1)` is not `1, 3`.
        if (singleIsGold && head(value) !== 'Set') return false;
        return this.unordered(elements, list, pair);
      }
    }
    // `3 \pm 2\sqrt{2}` against `3 + 2\sqrt{2}, 3 - 2\sqrt{2}`: the values it stands for.
    if (single.kind === 'expr') {
      const variants = dedupeJson(plusMinusVariants(single.json));
      if (variants.length > 1 && variants.length === list.length) {
        const elements = variants.map(
          (json): Node => ({ kind: 'expr', json, key: JSON.stringify(json) }),
        );
        return this.unordered(elements, list, pair);
      }
    }
    return false;
  }

  private unordered<T>(
    a: ReadonlyArray<T>,
    b: ReadonlyArray<T>,
    equal: (x: T, y: T) => boolean,
  ): boolean {
    if (a.length !== b.length) return false;
    if (a.length > 12) return a.every((item, index) => equal(item, b[index]!));
    const used = new Array<boolean>(b.length).fill(false);
    const assign = (index: number): boolean => {
      if (index === a.length) return true;
      for (let j = 0; j < b.length; j++) {
        if (used[j] || !equal(a[index]!, b[j]!)) continue;
        used[j] = true;
        if (assign(index + 1)) return true;
        used[j] = false;
      }
      return false;
    };
    return assign(0);
  }

  values(a: Json, b: Json): boolean {
    const key = `${JSON.stringify(a)}\u0000${JSON.stringify(b)}`;
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached;
    this.cache.set(key, false);
    const result = this.valuesUncached(a, b);
    this.cache.set(key, result);
    return result;
  }

  private valuesUncached(a: Json, b: Json): boolean {
    if (JSON.stringify(a) === JSON.stringify(b)) return true;
    const ha = head(a);
    const hb = head(b);
    // `x \in S` is the set S.
    if (ha === 'Element') return this.values(ops(a)[1], b);
    if (hb === 'Element') return this.values(a, ops(b)[1]);

    const aVariants = plusMinusVariants(a);
    const bVariants = plusMinusVariants(b);
    if (aVariants.length > 1 || bVariants.length > 1) {
      // `\pm 1` is the set of its values: it matches `\{-1, 1\}` as well as `1, -1`.
      const values = (json: Json, variants: Json[]) =>
        variants.length === 1 && head(json) === 'Set' ? ops(json) : dedupeJson(variants);
      return this.unordered(values(a, aVariants), values(b, bVariants), (x, y) =>
        this.values(x, y),
      );
    }

    const aRelation = ha === 'And' || (ha !== null && RELATIONS.has(ha));
    const bRelation = hb === 'And' || (hb !== null && RELATIONS.has(hb));
    if (aRelation !== bRelation) return this.relationAndValue(a, b, aRelation);
    // `2 \le x < 5` parses as a conjunction of two relations.
    if (ha === 'And' || hb === 'And') {
      if (ha === hb && this.unordered(ops(a), ops(b), (x, y) => this.values(x, y))) return true;
      const left = relationAsIntervals(a, false);
      const right = relationAsIntervals(b, false);
      return left !== null && right !== null && this.intervalSets(left, right);
    }
    if (aRelation && bRelation) return this.relations(a as Json[], b as Json[]);

    // Unions and intersections are unordered whatever their parts are (`\{1\} \cup [2, 3]`).
    if ((ha === 'Union' || ha === 'Intersection') && ha === hb && ops(a).length === ops(b).length) {
      if (this.unordered(ops(a), ops(b), (x, y) => this.values(x, y))) return true;
    }
    const aIntervals = intervalOf(a, false);
    const bIntervals = intervalOf(b, false);
    if (aIntervals !== null || bIntervals !== null) {
      const left = aIntervals ?? intervalOf(a, true);
      const right = bIntervals ?? intervalOf(b, true);
      return left !== null && right !== null && this.intervalSets(left, right);
    }

    if (ha === 'Matrix' || hb === 'Matrix') {
      const rows = (json: Json) => (head(json) === 'Matrix' ? ops(json)[0] : json);
      return this.values(rows(a), rows(b));
    }
    const aCollection = ha !== null && (ORDERED.has(ha) || ha === 'Set');
    const bCollection = hb !== null && (ORDERED.has(hb) || hb === 'Set');
    if (aCollection || bCollection) {
      if (!aCollection || !bCollection) return false;
      const aOps = ops(a);
      const bOps = ops(b);
      // A gold set is unordered; a gold tuple against a predicted set is read in the order the
      // prediction wrote it, as Math-Verify does (`(3, 1)` is not `\{1, 3\}`).
      if (ha === 'Set') return this.unordered(aOps, bOps, (x, y) => this.values(x, y));
      return (
        aOps.length === bOps.length && aOps.every((item, index) => this.values(item, bOps[index]))
      );
    }
    if (typeof a === 'string' && typeof b === 'string' && a.startsWith("'") && b.startsWith("'")) {
      return a.toLowerCase() === b.toLowerCase();
    }
    return this.scalars(a, b);
  }

  /**
   * One side a relation, the other not (`a` is the gold, `b` the prediction), by Math-Verify's
   * rules (its `sympy_expr_eq`), whatever `strict` says: a predicted equation stands for its last
   * right side when the gold is no equation (`x = 11` is 11, `\frac12 = \frac{10}{9}` is 10/9);
   * a gold assignment (names on the left, `k = 1`, `f(x) = 1`) stands for its right side. A gold
   * relation is compared with a predicted interval as the set it describes; a predicted relation
   * with a gold interval only under `allowSetRelationComp` (Math-Verify's asymmetry).
   */
  private relationAndValue(a: Json, b: Json, goldIsRelation: boolean): boolean {
    const relation = (goldIsRelation ? a : b) as Json[];
    const other = goldIsRelation ? b : a;
    if (head(relation) === 'Equal') {
      const sides = ops(relation);
      const last = sides[sides.length - 1];
      if (!goldIsRelation && sides.length >= 2) return this.values(a, last);
      if (goldIsRelation && sides.length >= 2 && labelLike(sides[0])) return this.values(last, b);
    }
    const asIntervals =
      goldIsRelation || this.options.allowSetRelationComp
        ? relationAsIntervals(relation, true)
        : null;
    const otherIntervals = intervalOf(other, true);
    if (asIntervals === null || otherIntervals === null) return false;
    return goldIsRelation
      ? this.intervalSets(asIntervals, otherIntervals)
      : this.intervalSets(otherIntervals, asIntervals);
  }

  private relations(a: Json[], b: Json[]): boolean {
    const ra = orientRelation(a);
    const rb = orientRelation(b);
    if (ra.op !== rb.op || ra.sides.length !== rb.sides.length) return false;
    if (ra.sides.every((side, index) => this.values(side, rb.sides[index]))) return true;
    if (ra.sides.length !== 2) return false;
    if (
      (ra.op === 'Equal' || ra.op === 'NotEqual') &&
      this.values(ra.sides[0], rb.sides[1]) &&
      this.values(ra.sides[1], rb.sides[0])
    )
      return true;
    // Same relation up to a constant factor: `x^2/4 + y^2/3 = 1` vs `x^2/16 + y^2/12 = 1/4`.
    const difference = (sides: Json[]): Json => ['Subtract', sides[0], sides[1]];
    return this.proportional(
      difference(ra.sides),
      difference(rb.sides),
      ra.op === 'Equal' || ra.op === 'NotEqual' ? 'any' : 'positive',
    );
  }

  private proportional(a: Json, b: Json, sign: 'any' | 'positive'): boolean {
    const variables = [...new Set([...unknownsOf(a), ...unknownsOf(b)])];
    if (variables.length === 0) return false;
    let ratio: number | null = null;
    for (const assignment of sampleAssignments(variables)) {
      const va = numericValue(a, assignment);
      const vb = numericValue(b, assignment);
      if (va === null || vb === null || va.im !== 0 || vb.im !== 0) return false;
      if (Math.abs(vb.re) < 1e-12) {
        if (Math.abs(va.re) < 1e-12) continue;
        return false;
      }
      const r = va.re / vb.re;
      if (ratio === null) ratio = r;
      else if (Math.abs(r - ratio) > 1e-7 * Math.max(1, Math.abs(ratio))) return false;
    }
    return ratio !== null && ratio !== 0 && Number.isFinite(ratio) && (sign === 'any' || ratio > 0);
  }

  private intervalSets(a: IntervalShape[], b: IntervalShape[]): boolean {
    return this.unordered(
      a,
      b,
      (x, y) =>
        x.loOpen === y.loOpen &&
        x.hiOpen === y.hiOpen &&
        this.values(x.lo, y.lo) &&
        this.values(x.hi, y.hi),
    );
  }

  private scalars(a: Json, b: Json): boolean {
    const variables = [...new Set([...unknownsOf(a), ...unknownsOf(b)])];
    if (variables.length === 0) {
      const va = numericValue(a);
      const vb = numericValue(b);
      if (va !== null && vb !== null) {
        const exactValues = !hasFloat(a) && !hasFloat(b);
        // Math-Verify rounds to `precision` digits only when a float is involved; exact values
        // (`\frac{4036082}{4036081}` and its inverse) must agree to 15 digits.
        const close = exactValues
          ? relativeClose(va, vb, 1e-12)
          : complexClose(va, vb, this.options.precision);
        // Doubles overflow (`3^{2007}` is Infinity) or round (`2^{60} + 1`): for exact values
        // that look equal only that way, the exact difference decides, as in Math-Verify.
        const rounded =
          !Number.isFinite(va.re) || !Number.isFinite(vb.re) || Math.abs(va.re) > 2 ** 53;
        if (close && rounded && va.im === 0 && vb.im === 0 && exactValues) {
          const exact = exactlyZero(['Subtract', a, b]);
          if (exact !== null) return exact;
        }
        return close;
      }
      return this.structural(a, b);
    }
    let evaluated = 0;
    for (const assignment of sampleAssignments(variables)) {
      const va = numericValue(a, assignment);
      const vb = numericValue(b, assignment);
      if (va === null || vb === null) break;
      if (!relativeClose(va, vb)) return false;
      evaluated++;
    }
    if (evaluated === SAMPLE_POINTS.length) return true;
    return this.structural(a, b);
  }

  /** Expressions the engine cannot evaluate (sums of sequences, unknown functions): canonical forms. */
  private structural(a: Json, b: Json): boolean {
    try {
      const ba = ce().box(a);
      const bb = ce().box(b);
      if (ba.isSame(bb)) return true;
      const difference = ce().box(['Subtract', a, b]).simplify();
      return difference.is?.(0) === true || JSON.stringify(difference.json) === '0';
    } catch {
      return false;
    }
  }
}

/** A decimal literal anywhere (`0.5`, `{ num: '1.5' }`): the value is not exact. */
function hasFloat(json: Json): boolean {
  if (typeof json === 'number') return !Number.isInteger(json);
  if (isArray(json)) return json.some(hasFloat);
  if (json !== null && typeof json === 'object' && 'num' in json)
    return String((json as { num: unknown }).num).includes('.');
  return false;
}

/** Is the exactly evaluated expression zero? Null when the engine cannot say. */
function exactlyZero(json: Json): boolean | null {
  try {
    const value = ce().box(json).evaluate();
    if (!value.isNumberLiteral) return null;
    return value.is(0) === true;
  } catch {
    return null;
  }
}

function renameSymbol(json: Json, from: string, to: string): Json {
  if (json === from) return to;
  if (!isArray(json)) return json;
  return json.map((part, index) => (index === 0 ? part : renameSymbol(part, from, to)));
}

function nodeUnknowns(node: Node): string[] {
  if (node.kind === 'text') return [];
  if (node.kind === 'expr') return unknownsOf(node.json);
  return [...new Set(node.items.flatMap(nodeUnknowns))].sort();
}

function renameNode(node: Node, from: string, to: string): Node {
  if (node.kind === 'text') return node;
  if (node.kind === 'expr') {
    const json = renameSymbol(node.json, from, to);
    return { kind: 'expr', json, key: JSON.stringify(json) };
  }
  return { kind: 'list', items: node.items.map((item) => renameNode(item, from, to)) };
}

function dedupeJson(values: Json[]): Json[] {
  const seen = new Set<string>();
  return values.filter((value) => {
    const key = JSON.stringify(value);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The first candidate the engine can read (Math-Verify's rule), else the first one. */
function pickNode(candidates: ReadonlyArray<AnswerTree>): Node | null {
  let first: Node | null = null;
  for (const tree of candidates) {
    const node = toNode(tree);
    first ??= node;
    if (parsedOk(node)) return node;
  }
  return first;
}

export interface SymbolicRequest {
  gold: AnswerTree[][];
  pred: AnswerTree[];
  options: CompareOptions;
}

/** Is the prediction equivalent to any of the golds? (`gold` holds candidate trees per gold answer.) */
export function compareSymbolic(request: SymbolicRequest): boolean {
  const pred = pickNode(request.pred);
  if (pred === null) return false;
  const comparer = new Comparer(request.options);
  for (const goldCandidates of request.gold) {
    const gold = pickNode(goldCandidates);
    if (gold === null) continue;
    // Non-strict, as Math-Verify: answers with one variable each under different names
    // (`f(x)` vs `f(t)`) are compared with the prediction's variable renamed.
    if (!request.options.strict) {
      const goldVariables = nodeUnknowns(gold);
      const predVariables = nodeUnknowns(pred);
      if (
        goldVariables.length === 1 &&
        predVariables.length === 1 &&
        goldVariables[0] !== predVariables[0]
      ) {
        if (comparer.nodes(gold, renameNode(pred, predVariables[0]!, goldVariables[0]!)))
          return true;
      }
    }
    if (treeKey(goldCandidates[0]!) === treeKey(request.pred[0]!)) return true;
    if (comparer.nodes(gold, pred)) return true;
  }
  return false;
}

/** Load the engine ahead of the first comparison (worker start-up). */
export function warmUp(): void {
  parseLatex('\\frac{1}{2}+x');
}
