import { PAPER_THRESHOLDS, type Thresholds } from '../evaluate/presets.js';
import { pyFloatOfDigitsDotMinus, pyStrip } from './python-text.js';
import { paperScore, paperWordCount } from './quality.js';
import { rememberVerdicts } from './verdict-memo.js';

/**
 * `re.findall(r"\{(.*?)\}", text)[-1]` stripped (no DOTALL: a match stays on one line), else the
 * text stripped. Lines are independent, so the search goes back from the last `}` to the last
 * line holding a `{` before a `}`, and replays findall on that line alone.
 */
function lastBraced(text: string): string {
  // Most texts have no brace, or their last one near the end: a native forward search settles
  // the first (String.prototype.lastIndexOf is a slow runtime call in V8, 0.2 us on a 480-unit
  // text against 0.03 for indexOf), and a backward loop finds the second in a few steps.
  if (text.indexOf('}') < 0) return pyStrip(text);
  let close = lastIndexOfUnit(text, CLOSE, text.length - 1);
  while (close >= 0) {
    const lineStart = lastIndexOfUnit(text, NEWLINE, close) + 1;
    const open = text.indexOf('{', lineStart);
    if (open >= 0 && open < close) {
      let lineEnd = text.indexOf('\n', close);
      if (lineEnd < 0) lineEnd = text.length;
      let last = '';
      for (let at = open; at >= 0 && at < lineEnd; at = text.indexOf('{', at)) {
        const end = text.indexOf('}', at + 1);
        if (end < 0 || end > lineEnd) break;
        last = text.slice(at + 1, end);
        at = end + 1;
      }
      return pyStrip(last);
    }
    close = lineStart === 0 ? -1 : lastIndexOfUnit(text, CLOSE, lineStart - 1);
  }
  return pyStrip(text);
}

const CLOSE = 0x7d;
const NEWLINE = 0x0a;

/** `text.lastIndexOf(unit, from)` for one UTF-16 code unit, as a loop (see lastBraced). */
function lastIndexOfUnit(text: string, unit: number, from: number): number {
  for (let i = from; i >= 0; i--) if (text.charCodeAt(i) === unit) return i;
  return -1;
}

/**
 * traj_utils.is_answer_correct, the repair scripts' check on the whole repaired text: the last
 * `{...}` of each side as a number after dropping everything but digits, `.` and `-`; when
 * either is not a number, equal strings or the prediction a substring of the gold.
 */
export function paperRepairAnswerCorrect(gold: string, text: string): boolean {
  return paperRepairAnswerChecker([gold])(text);
}

/**
 * `is_answer_correct` against any of the golds, each gold's side prepared once; verdicts are
 * remembered by the text's last braced span, the only part of it the check reads.
 */
export function paperRepairAnswerChecker(golds: ReadonlyArray<string>): (text: string) => boolean {
  const prepared = golds.map((gold) => {
    const g = lastBraced(gold);
    return { g, gn: pyFloatOfDigitsDotMinus(g) };
  });
  const verdict = rememberVerdicts((t) => {
    let tn: number | null | undefined;
    for (const { g, gn } of prepared) {
      // Both numbers: compared as numbers only; else as strings (Python's except branch).
      if (gn !== null) {
        if (tn === undefined) tn = pyFloatOfDigitsDotMinus(t);
        if (tn !== null) {
          if (Math.abs(gn - tn) < 1e-6) return true;
          continue;
        }
      }
      // A prediction longer than the gold is neither (a whole text without a brace, mostly).
      if (t.length <= g.length && (g === t || g.includes(t))) return true;
    }
    return false;
  });
  return (text) => verdict(lastBraced(text));
}

export interface PaperRepairAcceptance {
  accepted: boolean;
  correct: boolean;
  score: number;
  idealLength: number;
}

/**
 * Correct-answer repair: accepted iff correct, score > 0.86 and > the original's stored (rounded)
 * score, with ideal length = min(original, repaired).
 */
export function paperAcceptCorrectAnswerRepair(input: {
  gold: string;
  original: string;
  /** The original's `round(score, 4)` as the selection stored it. */
  originalStored: number;
  repaired: string;
  thresholds?: Pick<Thresholds, 'acceptLowQuality'>;
}): PaperRepairAcceptance {
  const threshold = (input.thresholds ?? PAPER_THRESHOLDS).acceptLowQuality;
  const correct = paperRepairAnswerCorrect(input.gold, input.repaired);
  const idealLength = Math.min(paperWordCount(input.original), paperWordCount(input.repaired));
  const score = paperScore(input.repaired, idealLength);
  return {
    accepted: correct && score > threshold && score > input.originalStored,
    correct,
    score,
    idealLength,
  };
}

/** Wrong-answer repair: accepted iff correct and score > 0.8, with L = 1 (its own length). */
export function paperAcceptWrongAnswerRepair(input: {
  gold: string;
  repaired: string;
  thresholds?: Pick<Thresholds, 'acceptWrongAnswer'>;
}): PaperRepairAcceptance {
  const threshold = (input.thresholds ?? PAPER_THRESHOLDS).acceptWrongAnswer;
  const correct = paperRepairAnswerCorrect(input.gold, input.repaired);
  const idealLength = paperWordCount(input.repaired);
  const score = paperScore(input.repaired, idealLength);
  return { accepted: correct && score > threshold, correct, score, idealLength };
}
