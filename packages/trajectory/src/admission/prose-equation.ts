import type { ProseToken } from './prose-tokens.js';
import type { Rational } from './rational.js';
import * as q from './rational.js';

/**
 * One side of an equation written in prose, parsed from tokens: sums of products of numbers,
 * brackets, `\frac{}{}`, `\boxed{}`, small integer powers and `P% of N`, each number with at
 * most one unit word after it (`15 birds * 6 jaguars`).
 */
export type ProseExpr =
  | { t: 'num'; token: Extract<ProseToken, { kind: 'number' }>; unit: string | null }
  | { t: 'sum'; terms: Array<{ sign: 1 | -1; node: ProseExpr }> }
  | { t: 'product'; factors: Array<{ op: '*' | '/' | 'of'; node: ProseExpr }> }
  | { t: 'pow'; base: ProseExpr; exponent: number }
  | { t: 'frac'; top: ProseExpr; bottom: ProseExpr };

export interface Parsed {
  expr: ProseExpr;
  /** Index of the first token after the expression. */
  end: number;
}

// Words that join numbers into arithmetic this parser does not read ("3 times 4", "half of"):
// a number next to one is part of a larger expression, so the equation is skipped.
export const ARITHMETIC_WORDS = new Set([
  'of',
  'times',
  'by',
  'plus',
  'minus',
  'over',
  'divided',
  'multiplied',
  'twice',
  'thrice',
  'half',
  'double',
  'triple',
  'squared',
  'cubed',
  'than',
  'into',
  'from',
  'to',
  'x',
  'per',
  'sqrt',
  'root',
]);

// Words that follow a number in prose but are not its unit ("9 because - 18", "5 and + 3").
const NOT_UNITS = new Set([
  'and',
  'or',
  'so',
  'then',
  'but',
  'if',
  'is',
  'are',
  'was',
  'were',
  'be',
  'which',
  'that',
  'this',
  'the',
  'an',
  'it',
  'its',
  'we',
  'he',
  'she',
  'they',
  'you',
  'for',
  'with',
  'at',
  'on',
  'in',
  'as',
  'because',
  'since',
  'when',
  'while',
  'also',
  'each',
  'more',
  'less',
  'left',
]);

const MAX_EXPONENT = 12;
const MAX_NESTING = 8;

type Token = ProseToken;
const isKind = (t: Token | undefined, kind: Token['kind']) => t !== undefined && t.kind === kind;
const startsOperand = (t: Token | undefined) =>
  t !== undefined &&
  (t.kind === 'number' || t.kind === '(' || t.kind === 'frac' || t.kind === 'boxed');
/** `x` between two operands is multiplication (`3 x 4`). */
const isTimesWord = (tokens: ReadonlyArray<Token>, i: number, limit: number) => {
  const t = tokens[i];
  return t?.kind === 'word' && t.text === 'x' && i + 1 < limit && startsOperand(tokens[i + 1]);
};
const isOp = (t: Token | undefined, ...ops: string[]) => t?.kind === 'op' && ops.includes(t.op);

/**
 * Parses an expression at `from`, reading no token at or after `limit`. Returns the longest
 * expression there (its end may be before `limit`), or null when none starts there.
 */
export function parseProseExpr(
  tokens: ReadonlyArray<Token>,
  from: number,
  limit: number,
  options: { partOf?: boolean; depth?: number } = {},
): Parsed | null {
  // Brackets nest this deep at most: deeper is not prose arithmetic, and the parse recurses.
  const depth = options.depth ?? 0;
  if (depth > MAX_NESTING) return null;
  // `P% of N` on a result side is more often "= 1/3, of $150" than a product.
  const partOf = options.partOf ?? true;
  let i = from;
  const peek = () => (i < limit ? tokens[i] : undefined);

  // A unit word after a number is read only when the expression goes on after it (or ends at
  // `limit` set before an `=`, an `=`, a bracket): "6 jaguars =", "50 minutes * 2"; else it is
  // the prose after.
  const unitAt = (): string | null => {
    const word = peek();
    if (
      word?.kind !== 'word' ||
      !/^[a-z]{2,}(?: [a-z]+)?$/.test(word.text) ||
      ARITHMETIC_WORDS.has(word.text) ||
      NOT_UNITS.has(word.text)
    )
      return null;
    const after = i + 1 < limit ? tokens[i + 1] : undefined;
    // `W^2` is a variable; `5 minutes/100 meters` a rate: neither is read.
    if (isOp(after, '^') || (isOp(after, '/') && after!.start === word.end)) return null;
    const continues =
      after === undefined
        ? limit < tokens.length
        : isKind(after, 'eq') ||
          isKind(after, 'approx') ||
          isKind(after, ')') ||
          isKind(after, '}') ||
          after.kind === 'op' ||
          isTimesWord(tokens, i + 1, limit);
    if (!continues) return null;
    i++;
    return word.text;
  };

  const group = (open: '(' | '{', close: ')' | '}'): ProseExpr | null => {
    if (!isKind(peek(), open)) return null;
    // The group's own limit is its closing bracket: find it by depth.
    let depth = 0;
    let closeAt = -1;
    for (let j = i; j < limit; j++) {
      const k = tokens[j]!.kind;
      if (k === open) depth++;
      else if (k === close && --depth === 0) {
        closeAt = j;
        break;
      }
    }
    if (closeAt < 0) return null;
    const inner = parseProseExpr(tokens, i + 1, closeAt, { ...options, depth: depth + 1 });
    if (inner === null || inner.end !== closeAt) return null;
    i = closeAt + 1;
    return inner.expr;
  };

  const atom = (): ProseExpr | null => {
    const t = peek();
    if (t === undefined) return null;
    if (t.kind === 'number') {
      i++;
      return { t: 'num', token: t, unit: unitAt() };
    }
    if (t.kind === '(') return group('(', ')');
    if (t.kind === 'boxed') {
      i++;
      return group('{', '}');
    }
    if (t.kind === 'frac') {
      i++;
      const top = group('{', '}');
      const bottom = top === null ? null : group('{', '}');
      return top === null || bottom === null ? null : { t: 'frac', top, bottom };
    }
    return null;
  };

  const power = (): ProseExpr | null => {
    const base = atom();
    if (base === null || !isOp(peek(), '^')) return base;
    i++;
    // Only a small whole exponent, bare or in braces (`^2`, `^{3}`).
    const braced = isKind(peek(), '{');
    if (braced) i++;
    const e = peek();
    if (e?.kind !== 'number' || e.decimals > 0 || e.percent || e.currency) return null;
    const exponent = Number(e.value.num);
    if (e.value.den !== 1n || exponent > MAX_EXPONENT) return null;
    i++;
    if (braced) {
      if (!isKind(peek(), '}')) return null;
      i++;
    }
    return { t: 'pow', base, exponent };
  };

  const unary = (): ProseExpr | null => {
    const t = peek();
    if (isOp(t, '-', '+')) {
      i++;
      // One sign per operand (`5 - -3`); a run of them (`- - -`, a rule line) is not arithmetic.
      if (isOp(peek(), '-', '+')) return null;
      const inner = power();
      if (inner === null) return null;
      return isOp(t, '-') ? { t: 'sum', terms: [{ sign: -1, node: inner }] } : inner;
    }
    return power();
  };

  const term = (): ProseExpr | null => {
    const first = unary();
    if (first === null) return null;
    const factors: Array<{ op: '*' | '/' | 'of'; node: ProseExpr }> = [{ op: '*', node: first }];
    for (;;) {
      const save = i;
      const t = peek();
      let op: '*' | '/' | 'of';
      if (isOp(t, '*')) op = '*';
      else if (isOp(t, '/')) op = '/';
      else if (isTimesWord(tokens, i, limit)) op = '*';
      else if (partOf && t?.kind === 'word' && t.text === 'of' && takesOf(factors)) op = 'of';
      else break;
      i++;
      const node = unary();
      if (node === null) {
        i = save;
        break;
      }
      factors.push({ op, node });
    }
    return factors.length === 1 ? first : { t: 'product', factors };
  };

  const expr = (): ProseExpr | null => {
    const first = term();
    if (first === null) return null;
    const terms: Array<{ sign: 1 | -1; node: ProseExpr }> = [{ sign: 1, node: first }];
    for (;;) {
      const save = i;
      const t = peek();
      if (!isOp(t, '+', '-')) break;
      i++;
      const node = term();
      if (node === null) {
        i = save;
        break;
      }
      terms.push({ sign: isOp(t, '-') ? -1 : 1, node });
    }
    return terms.length === 1 ? first : { t: 'sum', terms };
  };

  const parsed = expr();
  return parsed === null ? null : { expr: parsed, end: i };
}

/** `of` multiplies only after a percent or a fraction: `20% of 80`, `3/4 of 360`, `\frac{2}{5} of 100`. */
function takesOf(factors: ReadonlyArray<{ op: '*' | '/' | 'of'; node: ProseExpr }>): boolean {
  const last = factors.at(-1)!;
  if (last.node.t === 'num' && last.node.token.percent && last.node.unit === null) return true;
  if (last.node.t === 'frac') return true;
  return (
    factors.length === 2 &&
    last.op === '/' &&
    factors.every((f) => f.node.t === 'num' && f.node.unit === null && f.node.token.decimals === 0)
  );
}

/** A closed interval of rationals: a value and how far a rounded number written in it may be off. */
export interface Interval {
  lo: Rational;
  hi: Rational;
}

/**
 * How literals are read. `written`: the left side, where a number with 2+ decimals may be a
 * rounded one (`0.33` for 1/3) and is widened by one unit of its last place. `result`: a
 * written result, widened by one unit of its last place (a result rounded or cut to the
 * precision it is written in). `exact`: every number as written.
 */
export type LiteralReading = 'written' | 'result' | 'exact';
/**
 * `standard`: `a / b * c` is `(a / b) * c`. `right`: a product read from the right, as writers
 * mean `a / b * c` as `a / (b c)` and `25 / 1/3` as `25 / (1/3)`.
 */
export type Association = 'standard' | 'right';

/** How a percent is read: `fraction` (50% is 1/2) or `number` (the `%` as a label: 50). */
export type PercentReading = 'fraction' | 'number';

export interface Reading {
  literals: LiteralReading;
  association: Association;
  percent: PercentReading;
}

const point = (v: Rational): Interval => ({ lo: v, hi: v });
const iAdd = (a: Interval, b: Interval): Interval => ({
  lo: q.add(a.lo, b.lo),
  hi: q.add(a.hi, b.hi),
});
const iNeg = (a: Interval): Interval => ({ lo: q.neg(a.hi), hi: q.neg(a.lo) });
const iMul = (a: Interval, b: Interval): Interval => {
  const p = [q.mul(a.lo, b.lo), q.mul(a.lo, b.hi), q.mul(a.hi, b.lo), q.mul(a.hi, b.hi)];
  return { lo: q.min(...p), hi: q.max(...p) };
};
const iDiv = (a: Interval, b: Interval): Interval | null => {
  // A divisor that may be 0 gives no bound.
  if (q.compare(b.lo, q.ZERO) <= 0 && q.compare(b.hi, q.ZERO) >= 0) return null;
  return iMul(a, { lo: q.div(q.rational(1n), b.hi), hi: q.div(q.rational(1n), b.lo) });
};

function literal(token: Extract<ProseToken, { kind: 'number' }>, reading: Reading): Interval {
  // The token holds a percent as a fraction (50% is 1/2).
  const asFraction = token.percent && reading.percent === 'fraction';
  const value = token.percent && !asFraction ? q.mul(token.value, q.rational(100n)) : token.value;
  const widen =
    reading.literals === 'result' || (reading.literals === 'written' && token.decimals >= 2);
  if (!widen) return point(value);
  let unit = q.rational(1n, 10n ** BigInt(token.decimals) * (asFraction ? 100n : 1n));
  // A float printed in full (`1.6666666666666665`) is off in its last digits.
  const noise = q.mul(value.num < 0n ? q.neg(value) : value, q.rational(1n, 2n ** 40n));
  if (token.decimals >= 10 && q.compare(noise, unit) > 0) unit = noise;
  return { lo: q.sub(value, unit), hi: q.add(value, unit) };
}

/** The interval an expression's value lies in; null when it divides by something that may be 0. */
export function evaluateProseExpr(expr: ProseExpr, reading: Reading): Interval | null {
  const { association } = reading;
  const go = (e: ProseExpr): Interval | null => {
    switch (e.t) {
      case 'num':
        return literal(e.token, reading);
      case 'sum': {
        let acc: Interval = point(q.ZERO);
        for (const { sign, node } of e.terms) {
          const v = go(node);
          if (v === null) return null;
          acc = iAdd(acc, sign === 1 ? v : iNeg(v));
        }
        return acc;
      }
      case 'product': {
        const values: Interval[] = [];
        for (const { node } of e.factors) {
          const v = go(node);
          if (v === null) return null;
          values.push(v);
        }
        const apply = (a: Interval, op: '*' | '/' | 'of', b: Interval) =>
          op === '/' ? iDiv(a, b) : iMul(a, b);
        if (association === 'standard') {
          let acc: Interval | null = values[0]!;
          for (let k = 1; k < values.length && acc !== null; k++)
            acc = apply(acc, e.factors[k]!.op, values[k]!);
          return acc;
        }
        let acc: Interval | null = values.at(-1)!;
        for (let k = values.length - 2; k >= 0 && acc !== null; k--)
          acc = apply(values[k]!, e.factors[k + 1]!.op, acc);
        return acc;
      }
      case 'pow': {
        const base = go(e.base);
        if (base === null) return null;
        let acc: Interval = point(q.rational(1n));
        for (let k = 0; k < e.exponent; k++) acc = iMul(acc, base);
        return acc;
      }
      case 'frac': {
        const top = go(e.top);
        const bottom = go(e.bottom);
        return top === null || bottom === null ? null : iDiv(top, bottom);
      }
    }
  };
  return go(expr);
}

/** The numbers of an expression, in order. */
export function literalsOf(expr: ProseExpr): Array<Extract<ProseExpr, { t: 'num' }>> {
  switch (expr.t) {
    case 'num':
      return [expr];
    case 'sum':
      return expr.terms.flatMap((t) => literalsOf(t.node));
    case 'product':
      return expr.factors.flatMap((f) => literalsOf(f.node));
    case 'pow':
      return literalsOf(expr.base);
    case 'frac':
      return [...literalsOf(expr.top), ...literalsOf(expr.bottom)];
  }
}

/** Whether the expression computes anything (an operator, a fraction, a power), not just a number. */
export const computes = (expr: ProseExpr) => expr.t !== 'num';

/**
 * Whether a percent is added to or taken from a plain number (`100 + 20%`, "100 increased by
 * 20%"), which a reader cannot take as arithmetic on the percent's value.
 */
export function addsPercentToNumber(expr: ProseExpr): boolean {
  const percentOnly = (e: ProseExpr): boolean | null => {
    if (e.t === 'num') return e.token.percent;
    if (e.t === 'sum') {
      const kinds = e.terms.map((t) => percentOnly(t.node));
      return kinds.every((k) => k === true) ? true : kinds.every((k) => k === false) ? false : null;
    }
    return false;
  };
  const visit = (e: ProseExpr): boolean => {
    switch (e.t) {
      case 'num':
        return false;
      case 'sum':
        return percentOnly(e) === null || e.terms.some((t) => visit(t.node));
      case 'product':
        return e.factors.some((f) => visit(f.node));
      case 'pow':
        return visit(e.base);
      case 'frac':
        return visit(e.top) || visit(e.bottom);
    }
  };
  return visit(expr);
}
