import { all, create, type MathNode } from 'mathjs';
import { plainArithmetic } from './plain-arithmetic.js';

/** Outcome of one calculator call: a value and the text an annotation would record, or a typed error. */
export type CalculatorResult =
  | { ok: true; value: number | string; text: string }
  | { ok: false; error: { type: string; message: string } };

export interface CalculateOptions {
  /** Longest accepted expression, in characters. Default 1000. */
  maxLength?: number;
  /** Significant digits kept in `text` for non-integers. Default 12. */
  precision?: number;
  /**
   * Rewrite the notation models write in GSM8K annotations into plain arithmetic first:
   * thousands separators (`1,050`), `$`, unicode fractions (`¾`), `×`/`÷`. Default true.
   */
  normalize?: boolean;
}

// A private mathjs instance; the functions mathjs' security notes name as escape hatches are
// replaced, and on top of that only a whitelist of node types and functions may be evaluated.
const math = create(all!, { number: 'number', predictable: false });
const parse = math.parse;
const disabled = (name: string) => () => {
  throw new Error(`function ${name} is disabled`);
};
math.import(
  Object.fromEntries(
    [
      'import',
      'createUnit',
      'reviver',
      'evaluate',
      'parse',
      'simplify',
      'derivative',
      'resolve',
      'compile',
      'parser',
    ].map((name) => [name, disabled(name)]),
  ),
  { override: true },
);

const ALLOWED_FUNCTIONS = new Set([
  'sqrt',
  'cbrt',
  'nthRoot',
  'abs',
  'round',
  'floor',
  'ceil',
  'fix',
  'min',
  'max',
  'exp',
  'log',
  'log10',
  'log2',
  'sin',
  'cos',
  'tan',
  'asin',
  'acos',
  'atan',
  'pow',
  'mod',
  'gcd',
  'lcm',
  'factorial',
  'sum',
  'mean',
  'median',
]);
const ALLOWED_SYMBOLS = new Set(['pi', 'e']);
const ALLOWED_OPERATORS = new Set([
  'add',
  'subtract',
  'multiply',
  'divide',
  'pow',
  'mod',
  'unaryMinus',
  'unaryPlus',
  'factorial',
]);

const VULGAR_FRACTIONS: Record<string, string> = {
  '½': '(1/2)',
  '⅓': '(1/3)',
  '⅔': '(2/3)',
  '¼': '(1/4)',
  '¾': '(3/4)',
  '⅕': '(1/5)',
  '⅖': '(2/5)',
  '⅗': '(3/5)',
  '⅘': '(4/5)',
  '⅙': '(1/6)',
  '⅚': '(5/6)',
  '⅛': '(1/8)',
  '⅜': '(3/8)',
  '⅝': '(5/8)',
  '⅞': '(7/8)',
};

/** Every character a rewrite in `normalizeExpression` starts from (`,`, currency, `×`/`x`, ...). */
const NOTATION = /[,$€£×x÷−½⅓⅔¼¾⅕⅖⅗⅘⅙⅚⅛⅜⅝⅞]/;

/** The annotation notation models use, rewritten as plain arithmetic. */
export function normalizeExpression(expression: string): string {
  let text = expression.trim();
  // Most annotations hold none of the notation rewritten below: skip the six passes.
  if (!NOTATION.test(text)) return text;
  // `1,050` and `10,440,000`: commas between digit groups are thousands separators.
  while (/\d,\d{3}(?!\d)/.test(text)) text = text.replace(/(\d),(\d{3})(?!\d)/g, '$1$2');
  text = text
    .replace(/[$€£]/g, '')
    .replace(/[×x](?=\s*[\d(.])/g, (m, offset: number) =>
      /[\d).]\s*$/.test(text.slice(0, offset)) ? '*' : m,
    );
  text = text.replace(/÷/g, '/').replace(/−/g, '-');
  // A digit directly before a vulgar fraction is a mixed number: 2½ = 2 + 1/2.
  text = text.replace(
    /(\d)([½⅓⅔¼¾⅕⅖⅗⅘⅙⅚⅛⅜⅝⅞])/g,
    (_m, d: string, f: string) => `(${d}+${VULGAR_FRACTIONS[f]})`,
  );
  text = text.replace(/[½⅓⅔¼¾⅕⅖⅗⅘⅙⅚⅛⅜⅝⅞]/g, (f) => VULGAR_FRACTIONS[f]!);
  return text;
}

function checkNode(node: MathNode): string | null {
  let problem: string | null = null;
  node.traverse((child, _path, parent) => {
    if (problem !== null) return;
    switch (child.type) {
      case 'ConstantNode': {
        const value = (child as unknown as { value: unknown }).value;
        if (typeof value !== 'number')
          problem = `only numbers are allowed, got ${JSON.stringify(value)}`;
        break;
      }
      case 'ParenthesisNode':
        break;
      case 'OperatorNode': {
        const fn = (child as unknown as { fn: string }).fn;
        if (!ALLOWED_OPERATORS.has(fn)) problem = `operator ${fn} is not allowed`;
        break;
      }
      case 'FunctionNode': {
        const fn = (child as unknown as { fn: MathNode }).fn;
        const name = fn.type === 'SymbolNode' ? (fn as unknown as { name: string }).name : '';
        if (!ALLOWED_FUNCTIONS.has(name))
          problem = `function ${name || '(expression)'} is not allowed`;
        break;
      }
      case 'SymbolNode': {
        const name = (child as unknown as { name: string }).name;
        const isCallee =
          parent?.type === 'FunctionNode' && (parent as unknown as { fn: MathNode }).fn === child;
        if (!isCallee && !ALLOWED_SYMBOLS.has(name)) problem = `undefined symbol ${name}`;
        break;
      }
      default:
        problem = `${child.type} is not allowed`;
    }
  });
  return problem;
}

/** Significant digits of a number written as `-?d+.d+` (no exponent): leading zeros aside. */
function significantDigits(decimal: string): number {
  let digits = 0;
  let leading = true;
  for (let i = 0; i < decimal.length; i++) {
    const code = decimal.charCodeAt(i);
    if (code < 48 || code > 57) continue; // the sign and the point
    if (leading && code === 48) continue;
    leading = false;
    digits++;
  }
  return digits;
}

/** `325`, `7.5`, `0.333333333333`: integers without `.0`, others with `precision` significant digits. */
export function formatCalculatorValue(value: number, precision = 12): string {
  if (Number.isInteger(value) && Math.abs(value) < 1e21) return value.toFixed(0);
  const shortest = String(value);
  // mathjs formats from these same digits (`String(value)`): when they are a plain decimal
  // with no more than `precision` significant digits it rounds nothing, pads zeros and strips
  // them again, so its text is this one (7.5, 0.25, 3.33). Its call cost as much as the rest
  // of a re-executed annotation.
  if (!shortest.includes('e') && significantDigits(shortest) <= precision) return shortest;
  const text = math.format(value, { precision, notation: 'auto', lowerExp: -9, upperExp: 21 });
  return text.includes('e') ? text : text.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
}

/**
 * Evaluate an arithmetic expression safely: parsed by mathjs, then only numbers, arithmetic
 * operators, parentheses, `pi`/`e` and a whitelist of math functions are evaluated. Never throws.
 */
export function calculate(expression: string, options: CalculateOptions = {}): CalculatorResult {
  const maxLength = options.maxLength ?? 1000;
  if (expression.length > maxLength) {
    return {
      ok: false,
      error: {
        type: 'TooLong',
        message: `expression is ${expression.length} characters; the limit is ${maxLength}`,
      },
    };
  }
  const source = options.normalize === false ? expression : normalizeExpression(expression);
  if (source.trim() === '')
    return { ok: false, error: { type: 'SyntaxError', message: 'empty expression' } };
  let value: unknown = plainArithmetic(source);
  if (value === undefined) {
    const evaluated = evaluateWithMathjs(source);
    if (!evaluated.ok) return evaluated;
    value = evaluated.value;
  }
  if (typeof value !== 'number') {
    return {
      ok: false,
      error: { type: 'NotANumber', message: `result is a ${math.typeOf(value)}, not a number` },
    };
  }
  if (!Number.isFinite(value)) {
    if (Number.isNaN(value))
      return { ok: false, error: { type: 'NaN', message: 'result is not a number (NaN)' } };
    const byZero = /\/\s*\(?\s*0*\.?0*\s*\)?\s*($|[-+*/^)])/.test(source);
    return {
      ok: false,
      error: byZero
        ? { type: 'DivisionByZero', message: 'division by zero' }
        : { type: 'Overflow', message: 'result is too large to represent' },
    };
  }
  return { ok: true, value, text: formatCalculatorValue(value, options.precision) };
}

/**
 * mathjs' value for `source`, or the error `calculate` reports: a syntax error, a node outside
 * the whitelist, or an evaluation error. Plain arithmetic never gets here (`plainArithmetic`).
 */
function evaluateWithMathjs(
  source: string,
): { ok: true; value: unknown } | Extract<CalculatorResult, { ok: false }> {
  let node: MathNode;
  try {
    node = parse(source);
  } catch (error) {
    return { ok: false, error: { type: 'SyntaxError', message: (error as Error).message } };
  }
  const problem = checkNode(node);
  if (problem !== null) {
    const type = problem.startsWith('undefined symbol') ? 'UndefinedSymbol' : 'NotAllowed';
    return { ok: false, error: { type, message: problem } };
  }
  try {
    return { ok: true, value: node.compile().evaluate({}) };
  } catch (error) {
    return { ok: false, error: { type: 'EvaluationError', message: (error as Error).message } };
  }
}

/** A recorded result as a number: `1,050`, `$12`, `60.0`, `25%` (as 25), `-3`; null if it is not one. */
export function parseRecordedNumber(recorded: string): number | null {
  const text = normalizeExpression(recorded).replace(/%$/, '').trim();
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text)) return null;
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}

/**
 * Does a recorded calculator result agree with what the calculator computes? Equal within a
 * relative 1e-9, or equal after rounding the computed value to the recorded number of
 * decimals (annotations often write `3.33` for 10/3). `60.0` and `60` agree; `33` does not
 * agree with 33.333 (rounding to an integer is not accepted, it usually hides a wrong step).
 */
export function calculatorResultMatches(recorded: string, result: CalculatorResult): boolean {
  if (!result.ok) return false;
  const computed = typeof result.value === 'number' ? result.value : Number(result.value);
  const expected = parseRecordedNumber(recorded);
  if (expected === null || !Number.isFinite(computed)) return recorded.trim() === result.text;
  if (Math.abs(expected - computed) <= 1e-9 * Math.max(1, Math.abs(computed))) return true;
  const decimals = /\.(\d+)/.exec(recorded.replace(/,/g, ''))?.[1]?.length ?? 0;
  if (decimals === 0 || /^\d+\.0+$/.test(recorded.trim())) return false;
  return Math.abs(Number(computed.toFixed(decimals)) - expected) < 10 ** -decimals / 2;
}
