import {
  asciiDigits,
  isPySpace,
  PY_SPACE,
  pyCollapseSpaces,
  pySplit,
  pyStrip,
  pyWordBounded,
} from './python-text.js';
import { rememberVerdicts } from './verdict-memo.js';

/**
 * Answer correctness as the paper's selection scripts check it (answer_filter_both.py): the
 * last `<answer>` block, its non-greedy boxed content, then a math or a QA comparison.
 */

/**
 * The content of the last `open ... close` span as Python's `re.findall(open(.*?)close, re.S)`
 * finds them: each runs from an `open` to the first `close` after it, and the next search
 * starts past that `close`. Null when there is none.
 */
function lastSpan(text: string, open: string, close: string): string | null {
  let last: string | null = null;
  let from = 0;
  // A search with no room left for `open` is not made (each is a runtime call, and a text's
  // answer block usually ends it).
  while (from + open.length <= text.length) {
    const start = text.indexOf(open, from);
    if (start < 0) break;
    const end = text.indexOf(close, start + open.length);
    if (end < 0) break;
    last = text.slice(start + open.length, end);
    from = end + close.length;
  }
  return last;
}

/** The last `<answer>...</answer>` block's content (case-sensitive tags), or "". */
export function paperLastAnswerBlock(text: string): string {
  return lastSpan(text, '<answer>', '</answer>') ?? '';
}

/** The last `(\\?boxed|ed){...}` content, non-greedy to the first `}`; else the block, stripped. */
export function paperBoxedAnswer(block: string): string {
  // Every match of (\\?boxed|ed)\{ ends in "ed{", and its content is the same.
  return pyStrip(lastSpan(block, 'ed{', '}') ?? block);
}

/** The first `{...}` of a gold answer (optionally after boxed / ed); a plain gold stripped. */
export function paperCoreAnswer(gold: string): string {
  // The regex needs a brace; most golds (numbers) have none.
  if (!gold.includes('{')) return pyStrip(gold);
  const match = /(?:\\?boxed|ed)?\{([\s\S]*?)\}/.exec(gold);
  return pyStrip(match ? match[1]! : gold);
}

/** LaTeX command names, braces and U+0020 spaces removed. */
export function paperCleanLatex(text: string): string {
  // One pass, the same text as the paper's two: a command holds no brace or space, and one that
  // appears only once braces are gone (`\\{}x` -> `\\x`) is kept by both.
  return text.replace(LATEX_NOISE, '');
}

const LATEX_NOISE = /\\[a-zA-Z]+|[{} ]/g;

const isAsciiLetter = (code: number): boolean => (code | 0x20) >= 0x61 && (code | 0x20) <= 0x7a;

/**
 * `paperCleanLatex(text) === clean`, read in place: the same left-to-right removals as the
 * regex (a backslash with its letters, braces, U+0020), compared as they go. A group's checker
 * asks this of most predictions (a prediction's first test), where the replace was a regex run
 * and a new string each.
 */
export function paperCleanLatexEquals(text: string, clean: string): boolean {
  let j = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x7b || code === 0x7d || code === 0x20) continue;
    if (code === 0x5c && isAsciiLetter(text.charCodeAt(i + 1))) {
      i++;
      while (isAsciiLetter(text.charCodeAt(i + 1))) i++;
      continue;
    }
    if (j === clean.length || clean.charCodeAt(j) !== code) return false;
    j++;
  }
  return j === clean.length;
}

/** Every `-?\d+(\.\d+)?` as a number (Unicode digits; "1,000" is 1 and 0). */
export function paperNumbers(text: string): number[] {
  // The regex's leftmost matches by hand on ASCII text (no match objects): a `-` starts one only
  // before a digit, and a `.` continues one only before a digit. Every unit outside a number
  // passes the skip below, so the first non-ASCII one hands the text to the Unicode regex there
  // (no separate ASCII test first).
  const numbers: number[] = [];
  for (let i = 0; i < text.length; ) {
    const start = i;
    const code = text.charCodeAt(i);
    if (code === 0x2d && isAsciiDigit(text.charCodeAt(i + 1))) i++;
    else if (!isAsciiDigit(code)) {
      if (code >= 0x80) return unicodeNumbers(text);
      i++;
      continue;
    }
    while (isAsciiDigit(text.charCodeAt(i))) i++;
    if (text.charCodeAt(i) === 0x2e && isAsciiDigit(text.charCodeAt(i + 1))) {
      i++;
      while (isAsciiDigit(text.charCodeAt(i))) i++;
    }
    numbers.push(Number(text.slice(start, i)));
  }
  return numbers;
}

const isAsciiDigit = (code: number): boolean => code >= 0x30 && code <= 0x39;

function unicodeNumbers(text: string): number[] {
  return [...text.matchAll(/-?\p{Nd}+(?:\.\p{Nd}+)?/gu)].map((m) => Number(asciiDigits(m[0])));
}

// re.split(r"[,\s]+") with Python's \s.
const COMMA_OR_SPACE = new RegExp(`[,${PY_SPACE}]+`);

function tokenSet(text: string): Set<string> {
  // re.split(r"[,\s]+") with Python's \s, then strip().lower() per non-empty piece.
  const tokens = new Set<string>();
  for (const piece of text.split(COMMA_OR_SPACE))
    if (piece !== '') tokens.add(pyStrip(piece).toLowerCase());
  return tokens;
}

/**
 * `tokenSet(text)` equals `tokens`: the pieces are read in place, in order, and the first one not
 * in `tokens` settles it (most wrong predictions, at their first piece). A piece holds no
 * separator, so no Python whitespace: its strip() is itself.
 */
function sameTokens(tokens: Set<string>, text: string): boolean {
  let seen: Set<string> | undefined;
  let start = -1;
  for (let i = 0; i <= text.length; i++) {
    const code = i === text.length ? 0x2c : text.charCodeAt(i);
    if (code === 0x2c || isPySpace(code)) {
      if (start < 0) continue;
      const token = text.slice(start, i).toLowerCase();
      start = -1;
      if (!tokens.has(token)) return false;
      if (seen === undefined) seen = new Set<string>();
      seen.add(token);
    } else if (start < 0) start = i;
  }
  return (seen?.size ?? 0) === tokens.size;
}

/** The gold side of `is_math_correct`, prepared once for every text checked against it. */
export interface PaperMathGold {
  core: string;
  clean: string;
  /** Sorted. */
  numbers: number[];
  tokens: Set<string>;
}

export function paperMathGold(gold: string): PaperMathGold {
  const core = paperCoreAnswer(gold);
  return {
    core,
    clean: paperCleanLatex(core),
    numbers: paperNumbers(core).sort((a, b) => a - b),
    tokens: tokenSet(core),
  };
}

/** The prediction both checks read: the last answer block's last box, else the whole block. */
function paperPrediction(text: string): string {
  return paperBoxedAnswer(paperLastAnswerBlock(text));
}

/** `is_math_correct` against a prepared gold. */
export function paperIsMathCorrectFor(
  gold: PaperMathGold,
  text: string,
  tolerance = 1e-6,
): boolean {
  return mathPredictionCorrect(gold, paperPrediction(text), tolerance);
}

function mathPredictionCorrect(gold: PaperMathGold, pred: string, tolerance: number): boolean {
  if (paperCleanLatexEquals(pred, gold.clean)) return true;
  const predNumbers = paperNumbers(pred);
  if (gold.numbers.length === predNumbers.length) {
    // Most answers hold one number: no sort call for them.
    const p = predNumbers.length > 1 ? predNumbers.sort((a, b) => a - b) : predNumbers;
    if (gold.numbers.every((value, i) => Math.abs(value - p[i]!) <= tolerance)) return true;
  }
  return sameTokens(gold.tokens, pred);
}

/** `is_math_correct`: equal cleaned LaTeX, or equal sorted number lists (tol 1e-6), or equal token sets. */
export function paperIsMathCorrect(gold: string, text: string, tolerance = 1e-6): boolean {
  return paperIsMathCorrectFor(paperMathGold(gold), text, tolerance);
}

const ASCII_PUNCTUATION = /[\x21-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e]/g;
const ARTICLES = new RegExp(pyWordBounded('a|an|the'), 'gu');

/** answer_filter_both's normalisation: lower, articles, ASCII punctuation removed, spaces. */
export function paperNormalizeSelectionAnswer(text: string): string {
  const noArticles = text.toLowerCase().replace(ARTICLES, ' ');
  return pyCollapseSpaces(noArticles.replace(ASCII_PUNCTUATION, ''));
}

/** re_search's normalisation (the RL reward): lower, ASCII punctuation removed, articles, spaces. */
export function paperNormalizeRewardAnswer(text: string): string {
  const noPunctuation = text.toLowerCase().replace(ASCII_PUNCTUATION, '');
  return pyCollapseSpaces(noPunctuation.replace(ARTICLES, ' '));
}

/** Token F1 of two token lists (multiset overlap); 0 when either is empty. */
export function tokenListF1(pred: ReadonlyArray<string>, gold: ReadonlyArray<string>): number {
  if (pred.length === 0 || gold.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const token of gold) counts.set(token, (counts.get(token) ?? 0) + 1);
  let same = 0;
  for (const token of pred) {
    const left = counts.get(token) ?? 0;
    if (left > 0) {
      same++;
      counts.set(token, left - 1);
    }
  }
  if (same === 0) return 0;
  const precision = same / pred.length;
  const recall = same / gold.length;
  return (2 * precision * recall) / (precision + recall);
}

/** answer_filter_both's `qa_f1`. */
export function paperSelectionQaF1(pred: string, gold: string): number {
  return tokenListF1(
    pySplit(paperNormalizeSelectionAnswer(pred)),
    pySplit(paperNormalizeSelectionAnswer(gold)),
  );
}

/** `is_qa_correct`: case-insensitive exact match of the cores, or F1 >= 0.5. */
export function paperIsQaCorrect(gold: string, text: string, f1Threshold = 0.5): boolean {
  return qaPredictionCorrect(gold, paperPrediction(text), f1Threshold);
}

function qaPredictionCorrect(gold: string, pred: string, f1Threshold: number): boolean {
  const goldCore = paperCoreAnswer(gold);
  const predCore = paperCoreAnswer(pred);
  if (pyStrip(predCore).toLowerCase() === pyStrip(goldCore).toLowerCase()) return true;
  return paperSelectionQaF1(predCore, goldCore) >= f1Threshold;
}

export type PaperTaskType = 'math' | 'qa';

export function paperIsCorrect(
  gold: string,
  text: string,
  taskType: PaperTaskType = 'math',
): boolean {
  return taskType === 'qa' ? paperIsQaCorrect(gold, text) : paperIsMathCorrect(gold, text);
}

/**
 * `is_correct` against any of the golds, with each gold prepared once (a group's checker). The
 * verdict depends on the text's prediction alone, and the candidates of a group mostly agree on
 * it, so the checker remembers the verdicts of the last predictions it compared.
 */
export function paperCorrectnessChecker(
  golds: ReadonlyArray<string>,
  taskType: PaperTaskType = 'math',
): (text: string) => boolean {
  let judge: (pred: string) => boolean;
  if (taskType === 'qa')
    judge = (pred) => golds.some((gold) => qaPredictionCorrect(gold, pred, 0.5));
  else {
    const prepared = golds.map(paperMathGold);
    judge = (pred) => prepared.some((gold) => mathPredictionCorrect(gold, pred, 1e-6));
  }
  const verdict = rememberVerdicts(judge);
  return (text) => verdict(paperPrediction(text));
}
