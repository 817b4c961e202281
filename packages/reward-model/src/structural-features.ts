import type { Trajectory } from '@autotraj/trajectory';
import { toolInputText } from '@autotraj/trajectory/internal';
import {
  addLines,
  countUncertaintyWords,
  forEachNumber,
  isDigitCode,
  LineSet,
  markNumbers,
  NUMBER_IN_QUESTION,
  NUMBER_SEEN,
  NumberTable,
  writeNumbers,
} from './structural-scan.js';

/**
 * Dense, hand-written features of a trajectory's structure. They are what lets a small model
 * tell a sound solution from a broken one without understanding the maths: did the tools fail,
 * were numbers pulled from nowhere, does the answer come from the last tool result, ...
 * Counts are log1p-compressed; the model standardises every column with training statistics.
 * Changing this list (or its order) must bump FEATURIZER_VERSION.
 */
export const STRUCTURAL_FEATURE_NAMES = [
  'log_steps',
  'log_tool_calls',
  'tool_error_fraction',
  'any_timeout',
  'log_repeated_calls',
  'log_think_chars',
  'log_code_chars',
  'log_result_chars',
  'has_answer_step',
  'has_final_answer',
  'answer_is_number',
  'answer_is_integer',
  'answer_equals_last_result',
  'answer_in_any_result',
  'numeric_result_fraction',
  'non_integer_result_fraction',
  'empty_result_fraction',
  'results_used_later_fraction',
  'question_number_coverage',
  'new_number_fraction',
  'log_question_numbers',
  'log_uncertainty_words',
  'repeated_line_fraction',
  'unanswered_call_fraction',
  'answer_is_negative',
  'log_answer_magnitude',
  'steps_after_last_result',
] as const;

export const STRUCTURAL_FEATURE_COUNT = STRUCTURAL_FEATURE_NAMES.length;

/** A number from a tool result or answer (`$1,200.00`, `15.0`, `40%`); null when it is not one. */
export function parseNumeric(text: string): number | null {
  if (isPlainDecimal(text)) return Number(text);
  const cleaned = text
    .trim()
    .replace(/^\$/, '')
    .replace(/[%$]$/, '')
    .replaceAll(',', '')
    .replace(/\.$/, '');
  if (cleaned === '' || !/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(cleaned)) return null;
  const value = Number(cleaned);
  return Number.isFinite(value) ? value : null;
}

/** `  -12.5 ` style text (most tool results): parsed without building cleaned strings. */
function isPlainDecimal(text: string): boolean {
  let i = 0;
  let end = text.length;
  while (i < end && text.charCodeAt(i) <= 32) i++;
  while (end > i && text.charCodeAt(end - 1) <= 32) end--;
  if (i < end && text.charCodeAt(i) === 45) i++;
  let digits = 0;
  while (i < end && isDigitCode(text.charCodeAt(i))) {
    i++;
    digits++;
  }
  if (digits === 0) return false;
  if (i < end && text.charCodeAt(i) === 46) {
    i++;
    let fraction = 0;
    while (i < end && isDigitCode(text.charCodeAt(i))) {
      i++;
      fraction++;
    }
    if (fraction === 0) return false;
  }
  return i === end;
}

const questionNumberCache = new Map<string, Float64Array>();
const noNumbers: Float64Array = new Float64Array(0);
const table = new NumberTable();
let lastQuestion: string | undefined;
let lastNumbers: Float64Array = noNumbers;

/** Distinct numbers of a question, cached: the G rollouts of one prompt (or both sides of a pair) share it. */
function questionNumbersOf(question: string | undefined): Float64Array {
  if (question === undefined) return noNumbers;
  // Rollouts of one prompt usually come one after another.
  if (question === lastQuestion) return lastNumbers;
  let numbers = questionNumberCache.get(question);
  if (numbers === undefined) {
    const distinct = new Set<number>();
    collectNumbers(question, distinct);
    numbers = Float64Array.from(distinct);
    if (questionNumberCache.size >= 4096) questionNumberCache.clear();
    questionNumberCache.set(question, numbers);
  }
  lastQuestion = question;
  lastNumbers = numbers;
  return numbers;
}

function sameNumber(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b));
}

/**
 * Absolute values of the numbers in a text (`1,200.0` and `1200` are one value), by a char
 * scan: this runs on every trajectory scored, and a regex + string per number costs 3x more.
 */
function collectNumbers(text: string, into: Set<number>): void {
  forEachNumber(text, (value) => into.add(value));
}

const log1p = Math.log1p;

const lineSet = new LineSet();
const callNames: string[] = [];
const callTexts: string[] = [];
const callIds: string[] = [];
const resultIds: string[] = [];
const resultValues: number[] = [];
const resultIndex: number[] = [];
const ownTexts: string[] = [];

/** Equal `${name}\u0000${text}` keys (the definition of a repeated call), without building them. */
function sameCall(nameA: string, textA: string, nameB: string, textB: string): boolean {
  if (nameA === nameB) return textA === textB;
  if (nameA.length + textA.length !== nameB.length + textB.length) return false;
  return `${nameA}\u0000${textA}` === `${nameB}\u0000${textB}`;
}

/**
 * Write the structural features of one trajectory into `out` at `offset`. `texts[s]`, when
 * given, must be step s's text (tool input text for calls), as the featurizer already has it.
 */
export function writeStructuralFeatures(
  trajectory: Trajectory,
  question: string | undefined,
  out: Float32Array,
  offset: number,
  texts?: ReadonlyArray<string>,
): void {
  const steps = trajectory.steps;
  const stepCount = steps.length;
  let toolCalls = 0;
  let toolErrors = 0;
  let timeouts = 0;
  let thinkChars = 0;
  let codeChars = 0;
  let resultChars = 0;
  let results = 0;
  let numericResults = 0;
  let nonIntegerResults = 0;
  let emptyResults = 0;
  let answerStep = false;
  let lastResultValue: number | null = null;
  let lastResultIndex = -1;
  let uncertainty = 0;
  let repeatedCalls = 0;
  let valueCount = 0;
  let callKeys: Set<string> | null = null;
  const lines = lineSet;
  lines.reset();
  // Step s's text for model-written steps (think, answer, call input); '' marks results.
  const own = ownTexts;

  for (let index = 0; index < stepCount; index++) {
    const step = steps[index]!;
    if (step.type === 'think' || step.type === 'answer') {
      const text = step.text;
      if (step.type === 'think') thinkChars += text.length;
      else answerStep = true;
      own[index] = text;
      uncertainty += countUncertaintyWords(text);
      addLines(text, lines);
    } else if (step.type === 'tool-call') {
      const text = texts === undefined ? toolInputText(step.toolName, step.input) : texts[index]!;
      codeChars += text.length;
      own[index] = text;
      const name = step.toolName;
      if (toolCalls < 64) {
        for (let c = 0; c < toolCalls; c++) {
          if (sameCall(callNames[c]!, callTexts[c]!, name, text)) {
            repeatedCalls++;
            break;
          }
        }
      } else {
        // Pathologically many calls: a Set keeps this linear.
        if (callKeys === null) {
          callKeys = new Set();
          for (let c = 0; c < toolCalls; c++) callKeys.add(`${callNames[c]}\u0000${callTexts[c]}`);
        }
        const key = `${name}\u0000${text}`;
        if (callKeys.has(key)) repeatedCalls++;
        callKeys.add(key);
      }
      callNames[toolCalls] = name;
      callTexts[toolCalls] = text;
      callIds[toolCalls] = step.callId;
      toolCalls++;
    } else {
      own[index] = '';
      resultIds[results] = step.callId;
      results++;
      resultChars += step.output.length;
      if (step.isError) toolErrors++;
      if (step.timedOut === true) timeouts++;
      const output = step.output.trim();
      if (output === '') emptyResults++;
      // The last printed line is what a calculator or `print(x)` returns.
      const value = step.isError ? null : parseNumeric(output.slice(output.lastIndexOf('\n') + 1));
      if (value !== null) {
        numericResults++;
        if (!Number.isInteger(value)) nonIntegerResults++;
        resultValues[valueCount] = value;
        resultIndex[valueCount] = index;
        valueCount++;
      }
      lastResultValue = value;
      lastResultIndex = index;
    }
  }

  const final = trajectory.finalAnswer ?? null;
  const answerValue = final === null ? null : parseNumeric(final);

  let answerInAnyResult = 0;
  if (answerValue !== null)
    for (let r = 0; r < valueCount; r++)
      if (sameNumber(resultValues[r]!, answerValue)) answerInAnyResult = 1;

  // A result is "used" when its value shows up in anything the model wrote after it.
  let usedResults = 0;
  for (let r = 0; r < valueCount; r++) {
    const v = resultValues[r]!;
    let used = answerValue !== null && sameNumber(v, answerValue);
    if (!used) {
      const key = String(Math.abs(v));
      const alt = Number.isInteger(v) ? `${key}.0` : key;
      for (let s = resultIndex[r]! + 1; s < stepCount && !used; s++) {
        const t = own[s]!;
        if (t !== '' && (t.includes(key) || t.includes(alt))) used = true;
      }
    }
    if (used) usedResults++;
  }

  const questionNumbers = questionNumbersOf(question);
  // Numbers the model wrote that were never seen before: neither in the question, nor in an
  // earlier result, nor earlier in its own text. Small constants (<= 12) are common knowledge.
  table.reset();
  for (let q = 0; q < questionNumbers.length; q++)
    table.mark(questionNumbers[q]!, NUMBER_IN_QUESTION | NUMBER_SEEN);
  for (let s = 0; s < stepCount; s++) {
    const step = steps[s]!;
    if (step.type === 'tool-result') markNumbers(step.output, table, NUMBER_SEEN);
    else writeNumbers(own[s]!, table, s);
  }

  let unanswered = 0;
  if (toolCalls * results <= 4096) {
    for (let c = 0; c < toolCalls; c++) {
      let found = false;
      for (let r = 0; r < results && !found; r++) found = resultIds[r] === callIds[c];
      if (!found) unanswered++;
    }
  } else {
    const answered = new Set(resultIds.slice(0, results));
    for (let c = 0; c < toolCalls; c++) if (!answered.has(callIds[c]!)) unanswered++;
  }

  const f = out;
  let o = offset;
  f[o++] = log1p(stepCount);
  f[o++] = log1p(toolCalls);
  f[o++] = toolCalls === 0 ? 0 : toolErrors / toolCalls;
  f[o++] = timeouts > 0 ? 1 : 0;
  f[o++] = log1p(repeatedCalls);
  f[o++] = log1p(thinkChars);
  f[o++] = log1p(codeChars);
  f[o++] = log1p(resultChars);
  f[o++] = answerStep ? 1 : 0;
  f[o++] = final !== null && final.trim() !== '' ? 1 : 0;
  f[o++] = answerValue !== null ? 1 : 0;
  f[o++] = answerValue !== null && Number.isInteger(answerValue) ? 1 : 0;
  f[o++] =
    answerValue !== null && lastResultValue !== null && sameNumber(lastResultValue, answerValue)
      ? 1
      : 0;
  f[o++] = answerInAnyResult;
  f[o++] = results === 0 ? 0 : numericResults / results;
  f[o++] = results === 0 ? 0 : nonIntegerResults / results;
  f[o++] = results === 0 ? 0 : emptyResults / results;
  f[o++] = valueCount === 0 ? 0 : usedResults / valueCount;
  f[o++] = questionNumbers.length === 0 ? 0 : table.covered / questionNumbers.length;
  f[o++] = table.written === 0 ? 0 : table.fresh / table.written;
  f[o++] = log1p(questionNumbers.length);
  f[o++] = log1p(uncertainty);
  f[o++] = lines.lines === 0 ? 0 : (lines.lines - lines.distinct) / lines.lines;
  f[o++] = toolCalls === 0 ? 0 : unanswered / toolCalls;
  f[o++] = answerValue !== null && answerValue < 0 ? 1 : 0;
  f[o++] = answerValue === null ? 0 : Math.log10(1 + Math.abs(answerValue));
  f[o++] = lastResultIndex === -1 ? 0 : log1p(stepCount - 1 - lastResultIndex);
}
