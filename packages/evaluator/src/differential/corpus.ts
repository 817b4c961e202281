/**
 * The differential corpus: gold/prediction pairs built from real benchmark answers (MATH test,
 * MATH-500, GSM8K test in `shared/data/benchmarks`), rewritten the way models write answers,
 * plus near misses that must not match. Deterministic: a fixed seed and the input files alone
 * decide every pair, so a pinned list of disagreements stays valid from run to run.
 *
 * Self-contained (only `node:` imports): the bench runs it through Node's type stripping.
 */
import { readFileSync } from 'node:fs';

export interface CorpusPair {
  /** Stable id: source row id, family and variant index. */
  id: string;
  /** The rewrite family (`thousands`, `units`, `near-sign`, ...). */
  family: string;
  /** What the rewrite intends; the oracle (Math-Verify) decides, not this. */
  intent: 'same' | 'differ';
  gold: string;
  pred: string;
}

interface Source {
  id: string;
  answer: string;
}

/** mulberry32: a small seeded generator, so the corpus never depends on Math.random. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rng = () => number;
const pick = <T>(rng: Rng, items: ReadonlyArray<T>): T => items[Math.floor(rng() * items.length)]!;

function readAnswers(file: string): Source[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as { id: string; answer: string })
    .map(({ id, answer }) => ({ id, answer: unbrace(answer.trim()) }));
}

/** The benchmark files wrap each answer in one pair of braces (`{420}`). */
function unbrace(answer: string): string {
  if (!answer.startsWith('{') || !answer.endsWith('}')) return answer;
  let depth = 0;
  for (let i = 0; i < answer.length; i++) {
    if (answer[i] === '{') depth++;
    else if (answer[i] === '}') depth--;
    if (depth === 0 && i < answer.length - 1) return answer;
  }
  return answer.slice(1, -1).trim();
}

// --- Shapes of answers ----------------------------------------------------------------------

const INTEGER = /^-?\d+$/;
const DECIMAL = /^-?\d*\.\d+$/;
const SIMPLE_FRACTION = /^(-?)\\[dt]?frac\{(\d+)\}\{(\d+)\}$/;
const MATRIX = /^\\begin\{([pb]matrix)\}([\s\S]*)\\end\{\1\}$/;
const LETTER_CHOICE = /^\\text\{\(?([A-E])\)?\}$/;

/** Top-level comma items (outside braces, brackets and parentheses). */
function topLevelItems(text: string): string[] {
  // `70,110` in a MATH answer is one number with a thousands separator.
  if (/^(?:\\\$)?-?\d{1,3}(?:,\d{3})+$/.test(text)) return [text];
  const items: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '{' || c === '(' || c === '[') depth++;
    else if (c === '}' || c === ')' || c === ']') depth--;
    else if (
      c === ',' &&
      depth === 0 &&
      !/^\s*\\!/.test(text.slice(i + 1)) &&
      text[i - 1] !== '\\'
    ) {
      // `{,}` (inside braces) and `,\!` are thousands separators and `\,` is a space, not
      // item boundaries.
      items.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  items.push(text.slice(start).trim());
  return items;
}

function withThousands(digits: string, separator: string): string {
  const negative = digits.startsWith('-');
  const body = negative ? digits.slice(1) : digits;
  const grouped = body.replace(/\B(?=(\d{3})+(?!\d))/g, separator);
  return `${negative ? '-' : ''}${grouped}`;
}

/** Change one digit (the last one), keeping the number's shape. */
function changeDigit(text: string): string | null {
  const match = /\d(?!.*\d)/s.exec(text);
  if (!match) return null;
  const digit = Number(match[0]);
  const replaced = String((digit + 1 + (digit === 8 ? 1 : 0)) % 10);
  return text.slice(0, match.index) + replaced + text.slice(match.index + 1);
}

function flipSign(text: string): string {
  return text.startsWith('-') ? text.slice(1) : `-${text}`;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** `p/q` as a terminating decimal, when it is one with at most 4 digits. */
function terminatingDecimal(p: number, q: number): string | null {
  const g = gcd(p, q);
  let den = q / g;
  for (const f of [2, 5]) while (den % f === 0) den /= f;
  if (den !== 1) return null;
  const value = p / q;
  const text = String(value);
  return text.length <= 7 ? text : null;
}

// --- How models wrap an answer --------------------------------------------------------------

const BOXED_PROSE: ReadonlyArray<(x: string) => string> = [
  (x) => `Therefore, the answer is $\\boxed{${x}}$.`,
  (x) => `Putting it all together, we get\n\\[\n\\boxed{${x}}\n\\]`,
  (x) => `**Final answer:** \\(\\boxed{${x}}\\)`,
  (x) => `We simplify step by step and obtain $\\boxed{${x}}$ as the result.`,
  (x) => `So the value we want is \\boxed{${x}}.`,
];
const DOLLAR_PROSE: ReadonlyArray<(x: string) => string> = [
  (x) => `Final Answer: The final answer is $${x}$. I hope it is correct.`,
  (x) => `Hence the answer is $${x}$.`,
  (x) => `Thus we conclude that the answer is \\(${x}\\).`,
];
const PLAIN_PROSE: ReadonlyArray<(x: string) => string> = [
  (x) => `The answer is ${x}.`,
  (x) => `So the final answer is ${x}`,
  (x) => `#### ${x}`,
  (x) => `After adding everything up we get ${x}.`,
];

function boxedProse(rng: Rng, x: string): string {
  return pick(rng, BOXED_PROSE)(x);
}

function anyLatexProse(rng: Rng, x: string): string {
  return rng() < 0.7 ? boxedProse(rng, x) : pick(rng, DOLLAR_PROSE)(x);
}

/**
 * Gold as data sets give it to Math-Verify: LaTeX wrapped in `$...$` or `\boxed{}` (its parser
 * reads unwrapped LaTeX as prose, so `12\pi` alone would be the number 12); plain numbers
 * also bare.
 */
function goldForm(rng: Rng, answer: string): string {
  const r = rng();
  if (!INTEGER.test(answer) && !DECIMAL.test(answer))
    return r < 0.7 ? `$${answer}$` : `\\boxed{${answer}}`;
  if (r < 0.6) return `$${answer}$`;
  if (r < 0.85) return `\\boxed{${answer}}`;
  return answer;
}

// --- Rewrites -------------------------------------------------------------------------------

interface Variant {
  family: string;
  intent: 'same' | 'differ';
  pred: string;
}

const UNITS = ['cm', 'meters', 'miles', 'dollars', 'units', 'square feet', 'degrees'];

function numberVariants(rng: Rng, answer: string): Variant[] {
  const out: Variant[] = [];
  const same = (family: string, pred: string) => out.push({ family, intent: 'same', pred });
  const isInteger = INTEGER.test(answer);
  const isDecimal = DECIMAL.test(answer);
  if (isInteger && Math.abs(Number(answer)) >= 1000) {
    same('thousands-comma', pick(rng, PLAIN_PROSE)(withThousands(answer, ',')));
    same('thousands-latex', anyLatexProse(rng, withThousands(answer, '{,}')));
    // Math-Verify reads `5\,040` as 45 (a known quirk): a few of these, not one per number.
    if (rng() < 0.25) same('thousands-thin', anyLatexProse(rng, withThousands(answer, '\\,')));
  }
  if (isDecimal) {
    same('decimal-comma', pick(rng, PLAIN_PROSE)(answer.replace('.', ',')));
    same('approx', anyLatexProse(rng, `x \\approx ${answer}`));
  }
  if (isInteger) {
    same('trailing-zeros', anyLatexProse(rng, `${answer}.0`));
    const n = Number(answer);
    same('chain', anyLatexProse(rng, `x = ${n - 1} + 1 = ${answer}`));
    // `\$20` in prose is common, but Math-Verify extracts nothing from it: keep it rare.
    same(
      'dollars',
      rng() < 0.05
        ? `She pays \\$${answer} in total.`
        : pick(rng, [`${answer} dollars`, `$\\$${answer}$`, boxedProse(rng, `\\$${answer}`)]),
    );
  }
  const unit = pick(rng, UNITS);
  same(
    'units',
    pick(rng, [
      boxedProse(rng, `${answer}\\text{ ${unit}}`),
      boxedProse(rng, `${answer}\\textnormal{ ${unit}}`),
      boxedProse(rng, `${answer}\\ \\text{${unit}}`),
      pick(rng, PLAIN_PROSE)(`${answer} ${unit}`),
    ]),
  );
  same('plain', pick(rng, PLAIN_PROSE)(answer));
  same('relation', anyLatexProse(rng, `${pick(rng, ['x', 'n', 'k', 'N'])} = ${answer}`));
  same('percent', anyLatexProse(rng, `${answer}\\%`));
  return out;
}

function fractionVariants(rng: Rng, answer: string): Variant[] {
  const match = SIMPLE_FRACTION.exec(answer);
  if (!match) return [];
  const [, sign, p, q] = match;
  const out: Variant[] = [
    { family: 'fraction-slash', intent: 'same', pred: anyLatexProse(rng, `${sign}${p}/${q}`) },
    {
      family: 'fraction-dfrac',
      intent: 'same',
      pred: anyLatexProse(rng, `${sign}\\dfrac{${p}}{${q}}`),
    },
    {
      family: 'near-inverted',
      intent: 'differ',
      pred: anyLatexProse(rng, `${sign}\\frac{${q}}{${p}}`),
    },
  ];
  const decimal = terminatingDecimal(Number(p), Number(q));
  if (decimal !== null)
    out.push({
      family: 'fraction-decimal',
      intent: 'same',
      pred: anyLatexProse(rng, `${sign}${decimal}`),
    });
  return out;
}

function matrixVariants(rng: Rng, answer: string): Variant[] {
  const match = MATRIX.exec(answer);
  if (!match) return [];
  const body = match[2]!.trim();
  const columns = body.split('\\\\')[0]!.split('&').length;
  const other = match[1] === 'pmatrix' ? 'bmatrix' : 'pmatrix';
  const changed = changeDigit(body);
  const out: Variant[] = [
    {
      family: 'matrix-env',
      intent: 'same',
      pred: boxedProse(rng, `\\begin{${other}} ${body} \\end{${other}}`),
    },
    {
      family: 'matrix-array',
      intent: 'same',
      pred: boxedProse(
        rng,
        `\\left[\\begin{array}{${'c'.repeat(columns)}} ${body} \\end{array}\\right]`,
      ),
    },
    {
      family: 'matrix-array-paren',
      intent: 'same',
      pred: anyLatexProse(
        rng,
        `\\left(\\begin{array}{${'r'.repeat(columns)}} ${body} \\end{array}\\right)`,
      ),
    },
  ];
  if (changed !== null)
    out.push({
      family: 'near-matrix-entry',
      intent: 'differ',
      pred: boxedProse(rng, `\\begin{${match[1]}} ${changed} \\end{${match[1]}}`),
    });
  return out;
}

function intervalVariants(rng: Rng, answer: string): Variant[] {
  const match = /^(\\left)?([[(])([^,]+),([^,]+?)(\\right)?([\])])$/.exec(answer);
  if (!match || answer.includes('\\cup')) return [];
  const [, , open, a, b, , close] = match;
  const flippedOpen = open === '(' ? '[' : '(';
  const out: Variant[] = [
    {
      family: 'interval-left-right',
      intent: 'same',
      pred: boxedProse(rng, `\\left${open}${a!.trim()}, ${b!.trim()}\\right${close}`),
    },
  ];
  // An infinite end cannot be closed: flip only a finite end.
  if (!a!.includes('infty'))
    out.push({
      family: 'near-interval-end',
      intent: 'differ',
      pred: boxedProse(rng, `${flippedOpen}${a}, ${b}${close}`),
    });
  return out;
}

function listVariants(rng: Rng, answer: string, items: string[]): Variant[] {
  const out: Variant[] = [];
  const isTuple = /^(\\left)?\(/.test(answer) && /\)$/.test(answer);
  const inner = isTuple ? answer.replace(/^(\\left)?\(/, '').replace(/(\\right)?\)$/, '') : answer;
  const parts = isTuple ? topLevelItems(inner) : items;
  if (parts.length < 2) return out;
  const reversed = [...parts].reverse();
  if (isTuple) {
    out.push({
      family: 'tuple-spacing',
      intent: 'same',
      pred: boxedProse(rng, `(${parts.join(',')})`),
    });
    if (reversed.join() !== parts.join())
      out.push({
        family: 'near-tuple-order',
        intent: 'differ',
        pred: boxedProse(rng, `(${reversed.join(', ')})`),
      });
  } else {
    out.push({ family: 'set-reorder', intent: 'same', pred: boxedProse(rng, reversed.join(', ')) });
    out.push({
      family: 'set-braces',
      intent: 'same',
      pred: boxedProse(rng, `\\{${parts.join(', ')}\\}`),
    });
    out.push({
      family: 'or',
      intent: 'same',
      pred: `The solutions are $${parts.join('$ or $')}$.`,
    });
    out.push({
      family: 'or-relation',
      intent: 'same',
      pred: `So $x = ${parts.join('$ or $x = ')}$.`,
    });
    out.push({
      family: 'multiple-boxes',
      intent: 'same',
      pred: `The answers are ${parts.map((p) => `$\\boxed{${p}}$`).join(', ')}.`,
    });
    out.push({
      family: 'near-list-missing',
      intent: 'differ',
      pred: boxedProse(rng, parts.slice(1).join(', ')),
    });
    // `-a, a` is what `\pm a` means.
    const [first, second] = parts;
    if (parts.length === 2 && first === `-${second}`)
      out.push({ family: 'pm', intent: 'same', pred: boxedProse(rng, `\\pm ${second}`) });
  }
  return out;
}

function pmVariants(rng: Rng, answer: string): Variant[] {
  const match = /^(.*?)\\pm(.*)$/.exec(answer);
  if (!match) return [];
  const [, a, b] = match;
  return [
    { family: 'pm-expanded', intent: 'same', pred: boxedProse(rng, `${a}+${b}, ${a}-${b}`) },
    { family: 'pm-or', intent: 'same', pred: `So $x = ${a}+${b}$ or $x = ${a}-${b}$.` },
    { family: 'near-pm-half', intent: 'differ', pred: boxedProse(rng, `${a}+${b}`) },
  ];
}

function textVariants(rng: Rng, answer: string): Variant[] {
  const letter = LETTER_CHOICE.exec(answer)?.[1];
  if (letter !== undefined) {
    const other = letter === 'E' ? 'D' : String.fromCharCode(letter.charCodeAt(0) + 1);
    return [
      { family: 'choice-plain', intent: 'same', pred: boxedProse(rng, letter) },
      { family: 'choice-paren', intent: 'same', pred: boxedProse(rng, `(${letter})`) },
      { family: 'choice-textbf', intent: 'same', pred: boxedProse(rng, `\\textbf{(${letter})}`) },
      { family: 'near-choice', intent: 'differ', pred: boxedProse(rng, `\\text{(${other})}`) },
    ];
  }
  const text = /^\\text\{([^{}]*)\}$/.exec(answer)?.[1];
  if (text === undefined) return [];
  return [
    { family: 'text-bare', intent: 'same', pred: boxedProse(rng, `\\textnormal{${text}}`) },
    { family: 'text-bold', intent: 'same', pred: boxedProse(rng, `\\textbf{${text}}`) },
  ];
}

/** Generic rewrites every answer gets: its own wrappers, a relation, a wrong box first. */
function genericVariants(rng: Rng, answer: string): Variant[] {
  const out: Variant[] = [
    { family: 'boxed', intent: 'same', pred: boxedProse(rng, answer) },
    { family: 'dollar', intent: 'same', pred: pick(rng, DOLLAR_PROSE)(answer) },
  ];
  const changed = changeDigit(answer);
  if (changed !== null && changed !== answer) {
    out.push({ family: 'near-digit', intent: 'differ', pred: anyLatexProse(rng, changed) });
    out.push({
      family: 'multiple-boxes-last',
      intent: 'same',
      pred: `First I got $\\boxed{${changed}}$, but that was a mistake. Redoing the last step gives $\\boxed{${answer}}$.`,
    });
  }
  if (/^-?\d/.test(answer) && !/[,=<>]/.test(answer))
    out.push({ family: 'near-sign', intent: 'differ', pred: anyLatexProse(rng, flipSign(answer)) });
  if (!/[=<>]/.test(answer) && topLevelItems(answer).length === 1)
    out.push({
      family: 'relation-latex',
      intent: 'same',
      pred: anyLatexProse(rng, `y = ${answer}`),
    });
  return out;
}

function timeVariants(rng: Rng, hour: number): Variant[] {
  const next = (hour % 12) + 1;
  return [
    { family: 'time-same', intent: 'same', pred: boxedProse(rng, `${hour}:00`) },
    { family: 'near-time', intent: 'differ', pred: boxedProse(rng, `${next}:00`) },
  ];
}

function variantsFor(rng: Rng, answer: string): Variant[] {
  const items = topLevelItems(answer);
  return [
    ...genericVariants(rng, answer),
    ...(INTEGER.test(answer) || DECIMAL.test(answer) ? numberVariants(rng, answer) : []),
    ...fractionVariants(rng, answer),
    ...matrixVariants(rng, answer),
    ...intervalVariants(rng, answer),
    ...listVariants(rng, answer, items),
    ...pmVariants(rng, answer),
    ...textVariants(rng, answer),
  ];
}

/**
 * Per gold: up to `perGold` rewrites that mean the same (the answer's own families first, the
 * generic wrappers only to fill up) and one near miss.
 */
function choose(rng: Rng, variants: Variant[], perGold: number): Variant[] {
  const generic = new Set(['boxed', 'dollar', 'plain', 'relation', 'relation-latex']);
  const take = (pool: Variant[], n: number, into: Variant[]) => {
    const copy = [...pool];
    while (n-- > 0 && copy.length > 0)
      into.push(copy.splice(Math.floor(rng() * copy.length), 1)[0]!);
  };
  const same = variants.filter((v) => v.intent === 'same');
  const chosen: Variant[] = [];
  take(
    same.filter((v) => !generic.has(v.family)),
    perGold,
    chosen,
  );
  take(
    same.filter((v) => generic.has(v.family)),
    perGold - chosen.length,
    chosen,
  );
  take(
    variants.filter((v) => v.intent === 'differ'),
    1,
    chosen,
  );
  return chosen;
}

export interface CorpusOptions {
  /** `shared/data/benchmarks` (holding math-test.jsonl, math500.jsonl, gsm8k-test.jsonl). */
  benchmarksDir: string;
  /** Same-meaning pairs per gold answer, plus one near miss. Default 2. */
  perGold?: number;
  seed?: number;
}

/** Build the corpus. The same files and options always give the same pairs, in order. */
export function buildCorpus(options: CorpusOptions): CorpusPair[] {
  const dir = options.benchmarksDir.endsWith('/')
    ? options.benchmarksDir
    : `${options.benchmarksDir}/`;
  const perGold = options.perGold ?? 2;
  const rng = random(options.seed ?? 20260214);
  const pairs: CorpusPair[] = [];
  const add = (source: Source, gold: string, variants: Variant[]) => {
    for (const [index, v] of variants.entries())
      pairs.push({
        id: `${source.id}/${v.family}/${index}`,
        family: v.family,
        intent: v.intent,
        gold,
        pred: v.pred,
      });
  };
  for (const file of ['math-test.jsonl', 'math500.jsonl']) {
    for (const source of readAnswers(`${dir}${file}`)) {
      const gold = goldForm(rng, source.answer);
      add(source, gold, choose(rng, variantsFor(rng, source.answer), perGold));
    }
  }
  for (const source of readAnswers(`${dir}gsm8k-test.jsonl`)) {
    const answer = source.answer.replace(/,/g, '');
    add(source, answer, choose(rng, variantsFor(rng, answer), perGold));
    const hour = Number(answer);
    // Clock times from small GSM8K answers: `h:00` must not match `(h+1):00`.
    if (Number.isInteger(hour) && hour >= 1 && hour <= 12)
      add({ id: `${source.id}-time`, answer }, `$${hour}:00$`, timeVariants(rng, hour));
  }
  return pairs;
}
