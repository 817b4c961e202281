import { modelTextSteps, shortExcerpt } from '../model-text/finding.js';
import type { Trajectory } from '../schemas/trajectory.js';
import {
  ARITHMETIC_WORDS,
  type Association,
  addsPercentToNumber,
  computes,
  evaluateProseExpr,
  literalsOf,
  type PercentReading,
  type ProseExpr,
  parseProseExpr,
} from './prose-equation.js';
import { type ProseToken, proseTokens } from './prose-tokens.js';
import { compare, formatRational } from './rational.js';

/** An equation in a model's reasoning whose written result its left side does not give. */
export interface ProseArithmeticError {
  /** The step holding the text (a `think` or `answer` step). */
  stepIndex: number;
  /** Character offset of the equation's left side in the step's text. */
  offset: number;
  /** The link as written, left side to result (`$50 + $15 + $30 = $105`). */
  equation: string;
  /** The left side's exact value (`95`; `3.3333…` when it does not terminate). */
  value: string;
  /** The result as written (`$105`). */
  written: string;
  message: string;
}

// Numbers next to these scale the written number ("2 dozen", "1.5 million"): not read.
const MULTIPLIER_WORDS = new Set([
  'dozen',
  'dozens',
  'hundred',
  'hundreds',
  'thousand',
  'thousands',
  'million',
  'millions',
  'billion',
  'billions',
  'trillion',
  'k',
  'half',
  'halves',
  'third',
  'thirds',
  'quarter',
  'quarters',
  'fourth',
  'fourths',
  'fifth',
  'fifths',
  'tenth',
  'tenths',
]);

// Units that convert into each other: an equation that mixes two of one kind ("2 hours * 60 =
// 120 minutes", "$12 * 50 minutes" read with an hour in mind) holds a conversion the numbers
// do not show, so it is not checked.
const UNIT_KINDS: Record<string, Record<string, string[]>> = {
  time: {
    second: ['s', 'sec', 'secs', 'second', 'seconds'],
    minute: ['min', 'mins', 'minute', 'minutes'],
    hour: ['h', 'hr', 'hrs', 'hour', 'hours'],
    day: ['day', 'days'],
    week: ['week', 'weeks', 'wk', 'wks'],
    month: ['month', 'months'],
    year: ['year', 'years', 'yr', 'yrs'],
    decade: ['decade', 'decades'],
  },
  length: {
    mm: ['mm', 'millimeter', 'millimeters', 'millimetre', 'millimetres'],
    cm: ['cm', 'centimeter', 'centimeters', 'centimetre', 'centimetres'],
    m: ['m', 'meter', 'meters', 'metre', 'metres'],
    km: ['km', 'kilometer', 'kilometers', 'kilometre', 'kilometres'],
    inch: ['in', 'inch', 'inches'],
    foot: ['ft', 'foot', 'feet'],
    yard: ['yd', 'yds', 'yard', 'yards'],
    mile: ['mi', 'mile', 'miles'],
  },
  mass: {
    mg: ['mg', 'milligram', 'milligrams'],
    g: ['g', 'gram', 'grams'],
    kg: ['kg', 'kilogram', 'kilograms', 'kilo', 'kilos'],
    ounce: ['oz', 'ounce', 'ounces'],
    pound: ['lb', 'lbs', 'pound', 'pounds'],
    ton: ['ton', 'tons', 'tonne', 'tonnes'],
  },
  volume: {
    ml: ['ml', 'milliliter', 'milliliters', 'millilitre', 'millilitres'],
    liter: ['l', 'liter', 'liters', 'litre', 'litres'],
    cup: ['cup', 'cups'],
    pint: ['pint', 'pints'],
    quart: ['quart', 'quarts'],
    gallon: ['gallon', 'gallons', 'gal'],
    tablespoon: ['tbsp', 'tablespoon', 'tablespoons'],
    teaspoon: ['tsp', 'teaspoon', 'teaspoons'],
  },
  money: {
    dollar: ['$', 'dollar', 'dollars', 'usd'],
    cent: ['cent', 'cents', 'penny', 'pennies'],
    nickel: ['nickel', 'nickels'],
    dime: ['dime', 'dimes'],
  },
};
const UNIT_OF = new Map<string, { kind: string; unit: string }>();
for (const [kind, units] of Object.entries(UNIT_KINDS))
  for (const [unit, names] of Object.entries(units))
    for (const name of names) UNIT_OF.set(name, { kind, unit });

/** Whether the unit words of an equation mix two units of one kind, or scale a number. */
function unitsUnclear(words: ReadonlyArray<string>): boolean {
  const seen = new Map<string, string>();
  for (const word of words) {
    if (MULTIPLIER_WORDS.has(word)) return true;
    const unit = UNIT_OF.get(word);
    if (unit === undefined) continue;
    const other = seen.get(unit.kind);
    if (other !== undefined && other !== unit.unit) return true;
    seen.set(unit.kind, unit.unit);
  }
  return false;
}

const startsOperand = (t: ProseToken | undefined) =>
  t !== undefined &&
  (t.kind === 'number' || t.kind === '(' || t.kind === 'frac' || t.kind === 'boxed');

const isSeparator = (t: ProseToken | undefined) =>
  t === undefined || t.kind === 'break' || t.kind === 'eq' || t.kind === 'approx';

// Words before "of" that make what follows a part of something ("half of", "20 percent of").
const PART_WORDS = new Set([
  'percent',
  'average',
  'mean',
  'square',
  'cube',
  'fraction',
  'portion',
  'part',
  'share',
  'ratio',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
]);

const PREPOSITIONS = new Set(['of', 'to', 'from', 'by', 'into', 'than']);

/** Whether a preposition after this token is prose ("a total of"), not arithmetic ("half of"). */
function prepositionReadsAsProse(before: ProseToken | undefined): boolean {
  return (
    before?.kind === 'word' &&
    !ARITHMETIC_WORDS.has(before.text) &&
    !MULTIPLIER_WORDS.has(before.text) &&
    !PART_WORDS.has(before.text)
  );
}

// Nouns a number after which is a name, not a quantity: "day 1 * 2" is day 1's amount doubled.
const LABEL_WORDS = new Set([
  'day',
  'week',
  'month',
  'year',
  'step',
  'round',
  'part',
  'page',
  'chapter',
  'level',
  'grade',
  'question',
  'problem',
  'case',
  'option',
  'row',
  'column',
  'room',
  'floor',
  'game',
  'test',
  'lap',
  'stage',
  'phase',
  'episode',
  'season',
  'item',
  'number',
  'no',
  'figure',
  'table',
  'line',
  'period',
  'term',
  'class',
  'trip',
  'turn',
]);

// Where a left side may start after a sign (`-5 + 3 = -2`): a bracket or math delimiter opens.
const OPENS_MATH = new Set(['\\(', '\\[', '$', '$$', '\n']);

/** Whether what is before token `at` ends the prose there, not a larger expression. */
function endsBefore(source: string, tokens: ReadonlyArray<ProseToken>, at: number): boolean {
  const t = tokens[at - 1];
  const first = tokens[at]!;
  // A sign opens a left side only at the start of a formula ("11 a.m. - 2 hours = 9 a.m.").
  if (first.kind === 'op')
    return (
      t === undefined ||
      t.kind === 'eq' ||
      t.kind === '(' ||
      (t.kind === 'break' && OPENS_MATH.has(source.slice(t.start, t.end)))
    );
  if (t === undefined || t.kind === 'eq' || t.kind === 'approx') return true;
  if (t.kind === 'break') {
    // A break after an operator is garbled (`.8 + . 84`); "14, 400" is a number with a space.
    const before = tokens[at - 2];
    const mark = source.slice(t.start, t.end);
    if (before?.kind === 'op') return false;
    return !(mark === ',' && before?.kind === 'number');
  }
  if (t.kind === 'word') {
    // `f(2 + 1)`, `g(3)`: a function applied, not a bracket in prose.
    if (first.kind === '(' && first.start === t.end) return false;
    if (LABEL_WORDS.has(t.text)) return false;
    // "a total of 5 + 8", "equivalent to 20 * 0.25" are prose before a sum; "half of 80 +
    // 20", "add 10 to 5 * 2", "divided by 3 * 2" are not.
    if (PREPOSITIONS.has(t.text)) return prepositionReadsAsProse(tokens[at - 2]);
    // "1 and 1/4" is a mixed number; "3 or 4 + 1" a choice.
    if ((t.text === 'and' || t.text === 'or') && tokens[at - 2]?.kind === 'number') return false;
    return !ARITHMETIC_WORDS.has(t.text) && !MULTIPLIER_WORDS.has(t.text);
  }
  // "(since 48/12 = 4)": a bracket that opens in prose.
  if (t.kind === '(') return endsBefore(source, tokens, at - 1);
  return false;
}

// Words after a result that make it part of more arithmetic when an operand follows ("= 5
// times 3"); "of" and "squared" always do ("= 1/4 of the cards"). "= $126 from selling",
// "= $10 per hour", "= 20 times in the third round" end it.
const JOINS_AFTER = new Set([
  'times',
  'of',
  'plus',
  'minus',
  'over',
  'divided',
  'multiplied',
  'x',
  'by',
  'to',
  'into',
]);

const ALWAYS_JOINS = new Set(['of', 'squared', 'cubed']);

/** Whether what is at token `at` (just after a result) ends the expression there. */
function endsAt(tokens: ReadonlyArray<ProseToken>, at: number): boolean {
  const t = tokens[at];
  if (isSeparator(t)) return true;
  if (t!.kind === 'word') {
    if (MULTIPLIER_WORDS.has(t!.text) || ALWAYS_JOINS.has(t!.text)) return false;
    // "= 20 times in the third round" is a count; "= 5 times 3" goes on.
    return !JOINS_AFTER.has(t!.text) || !startsOperand(tokens[at + 1]);
  }
  if (t!.kind === ')') return endsAt(tokens, at + 1);
  return false;
}

// How far back a left side may start: a sentence's worth of tokens.
const MAX_LEFT_TOKENS = 60;

interface Link {
  left: ProseExpr;
  right: ProseExpr;
  start: number;
  eq: number;
  end: number;
}

/** The checkable links of each equation (`a = b = c` gives `a = b` and `b = c`). */
function equationLinks(source: string, tokens: ReadonlyArray<ProseToken>): Link[] {
  const links: Link[] = [];
  const seps = tokens.flatMap((t, i) => (t.kind === 'eq' || t.kind === 'approx' ? [i] : []));
  const leftOf = (end: number, floor: number) => {
    for (let s = Math.max(floor, end - MAX_LEFT_TOKENS); s < end; s++) {
      const parsed = parseProseExpr(tokens, s, end);
      if (parsed !== null && parsed.end === end)
        return endsBefore(source, tokens, s) && computes(parsed.expr) && !isQuantity(parsed.expr)
          ? { start: s, expr: parsed.expr }
          : null;
    }
    return null;
  };
  seps.forEach((eq, k) => {
    // `≈` separates links but states no exact result.
    if (tokens[eq]!.kind !== 'eq') return;
    const left = leftOf(eq, k === 0 ? 0 : seps[k - 1]! + 1);
    if (left === null) return;
    const limit = k + 1 < seps.length ? seps[k + 1]! : tokens.length;
    const right = parseProseExpr(tokens, eq + 1, limit, { partOf: false });
    if (right === null || !endsAt(tokens, right.end)) return;
    links.push({ left: left.expr, right: right.expr, start: left.start, eq, end: right.end });
  });
  // "20% of 80 is 16", "20% of $1000, which is $200": "is" states a result only after a part
  // of something, and only a number after it is read.
  tokens.forEach((t, is) => {
    if (t.kind !== 'word' || t.text !== 'is') return;
    const before = tokens[is - 1];
    const which = before?.kind === 'word' && before.text === 'which';
    const comma = tokens[is - 2];
    if (which && !(comma?.kind === 'break' && source.slice(comma.start, comma.end) === ',')) return;
    const end = which ? is - 2 : is;
    const left = leftOf(end, 0);
    if (left === null || !takesPartOf(left.expr)) return;
    const right = parseProseExpr(tokens, is + 1, tokens.length);
    if (right === null || right.expr.t !== 'num' || !endsAt(tokens, right.end)) return;
    links.push({ left: left.expr, right: right.expr, start: left.start, eq: is, end: right.end });
  });
  return links.sort((a, b) => a.start - b.start);
}

/** A fraction with a unit (`1/4 cup`): a quantity, as in "1/4 cup = 4 tablespoons". */
const isQuantity = (expr: ProseExpr) =>
  expr.t === 'product' &&
  expr.factors.length === 2 &&
  expr.factors[1]!.op === '/' &&
  expr.factors.every((f) => f.node.t === 'num' && f.node.token.decimals === 0) &&
  (expr.factors[0]!.node as { unit: string | null }).unit === null &&
  (expr.factors[1]!.node as { unit: string | null }).unit !== null;

/** Whether an expression is a part of something: `20% of 80`, `3/4 of 360`. */
const takesPartOf = (expr: ProseExpr) =>
  expr.t === 'product' && expr.factors.some((f) => f.op === 'of');

/** Whether some sound reading of the link makes it true (or it cannot be evaluated). */
function linkHolds(link: Link): boolean {
  const hasPercent = [...literalsOf(link.left), ...literalsOf(link.right)].some(
    (n) => n.token.percent,
  );
  // A percent may be a fraction or a label, on each side ("60% of 100 is 60%").
  const percents: PercentReading[] = hasPercent ? ['fraction', 'number'] : ['fraction'];
  const associations: Association[] = ['standard', 'right'];
  // A written result (one number) may be rounded or cut to its precision: the value lies
  // strictly within one unit of its last place (`10/3 = 3.33`, `24/7 = 3`; `5 + 3 = 9` does
  // not). A right side that computes (`= 960 + 240`) is read as written and must meet the left.
  const result = link.right.t === 'num';
  for (const percent of percents)
    for (const resultPercent of percents)
      for (const association of associations) {
        const l = evaluateProseExpr(link.left, { literals: 'written', association, percent });
        const r = evaluateProseExpr(link.right, {
          literals: result ? 'result' : 'written',
          association,
          percent: resultPercent,
        });
        if (l === null || r === null) return true;
        const below = compare(l.lo, r.hi);
        const above = compare(l.hi, r.lo);
        if (result ? below < 0 && above > 0 : below <= 0 && above >= 0) return true;
      }
  return false;
}

/** One link of an equation as read (`a = b` of `a = b = c`), and whether it holds. */
export interface ProseEquation {
  /** Character offset of the left side in the text. */
  offset: number;
  /** The link as written, left side to result. */
  equation: string;
  /** The result as written. */
  written: string;
  /**
   * `holds`: the result is the left side's value, up to its written precision; `wrong`: it is
   * not; `unclear`: read, but not checked (units of one kind mixed, a scaling word, a percent
   * added to a number).
   */
  verdict: 'holds' | 'wrong' | 'unclear';
  /** The left side's exact value, every number as written (`3.3333…` when it does not end). */
  value: string;
}

/**
 * The equations written in a text, each link checked exactly (rationals; a chain
 * `a + b = c + d = e` gives `a + b = c + d` and `c + d = e`), a result allowed to be rounded or
 * cut to the precision it is written in (`10/3 = 3.33`, `24/7 = 3`; `5 + 3 = 9` is wrong).
 * Reads `$`, thousands commas, `%` and `P% of N`, `\times`, `\cdot`, `*`, `×`, `x` between
 * numbers, `/`, `\frac{a}{b}`, brackets, `\boxed{}` and one unit word after a number.
 * Conservative: a link is read only when every part of it is read with certainty. Not read: a
 * left side that is only a number (`2 hours = 120 minutes`, "Step 1 = ..."), a side next to a
 * letter or an arithmetic word (`2x`, "3 times 4", "3/4 of 360" with no `/`-fraction),
 * `≈`, dates, times (`2:30`), ordinals (`3rd`), code (fenced or inline). Read but `unclear`:
 * units of one kind mixed (`2 hours * 60 = 120 minutes`), a scaling word ("2 dozen"), a percent
 * added to a number (`100 + 20%`).
 */
export function readProseEquations(text: string): ProseEquation[] {
  if (!text.includes('=') && !/\bis\b/.test(text)) return [];
  const tokens = proseTokens(text);
  return equationLinks(text, tokens).map((link) => {
    const after = tokens[link.end];
    const words = [...literalsOf(link.left), ...literalsOf(link.right)].flatMap((n) => [
      ...(n.unit === null ? [] : [n.unit]),
      ...(n.token.currency ? ['$'] : []),
    ]);
    if (after?.kind === 'word') words.push(after.text);
    const unclear =
      unitsUnclear(words) || addsPercentToNumber(link.left) || addsPercentToNumber(link.right);
    const exact = evaluateProseExpr(link.left, {
      literals: 'exact',
      association: 'standard',
      percent: 'fraction',
    });
    const start = tokens[link.start]!.start;
    const end = tokens[link.end - 1]!.end;
    return {
      offset: start,
      equation: text.slice(start, end),
      written: text.slice(tokens[link.eq + 1]!.start, end),
      verdict: unclear ? 'unclear' : linkHolds(link) ? 'holds' : 'wrong',
      value: exact === null ? '?' : formatRational(exact.lo),
    };
  });
}

/**
 * Wrong arithmetic in what the model wrote as prose (`think` and `answer` steps; code and tool
 * output are not prose): the links `readProseEquations` finds `wrong`. Each error names its step, where in it,
 * the equation and the left side's value. See `readProseEquations` for what is read.
 */
export function findProseArithmeticErrors(
  trajectory: Pick<Trajectory, 'steps'>,
): ProseArithmeticError[] {
  return modelTextSteps(trajectory.steps).flatMap(({ stepIndex, text }) =>
    readProseEquations(text)
      .filter((e) => e.verdict === 'wrong')
      .map(({ verdict: _, ...e }) => ({
        ...e,
        stepIndex,
        message: `step ${stepIndex}: ${JSON.stringify(shortExcerpt(e.equation, 80))}: the left side is ${e.value}, not ${e.written}`,
      })),
  );
}
