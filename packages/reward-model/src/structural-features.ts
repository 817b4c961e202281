import { type Trajectory, toolInputText } from '@autotraj/trajectory';

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

const uncertaintyPattern = /\b(maybe|unsure|guess|seems|perhaps|probably|might|likely|recheck)\b/gi;

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

/** Count lines of >= 8 non-blank chars into `counts` by a hash of the trimmed line (no substrings). */
function countLines(text: string, counts: Map<number, number>): number {
  let lines = 0;
  const len = text.length;
  let start = 0;
  while (start <= len) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = len;
    let a = start;
    let b = end;
    while (a < b && text.charCodeAt(a) <= 32) a++;
    while (b > a && text.charCodeAt(b - 1) <= 32) b--;
    if (b - a >= 8) {
      let h = 0x811c9dc5;
      for (let k = a; k < b; k++) h = Math.imul(h ^ text.charCodeAt(k), 0x01000193);
      counts.set(h, (counts.get(h) ?? 0) + 1);
      lines++;
    }
    start = end + 1;
  }
  return lines;
}

const questionNumberCache = new Map<string, Set<number>>();

/** Numbers of a question, cached: the G rollouts of one prompt (or both sides of a pair) share it. */
function questionNumbersOf(question: string | undefined): Set<number> {
  if (question === undefined) return new Set();
  let numbers = questionNumberCache.get(question);
  if (numbers === undefined) {
    numbers = new Set();
    collectNumbers(question, numbers);
    if (questionNumberCache.size >= 512) questionNumberCache.clear();
    questionNumberCache.set(question, numbers);
  }
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
  const len = text.length;
  let i = 0;
  while (i < len) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) {
      i++;
      continue;
    }
    let value = 0;
    while (i < len) {
      const d = text.charCodeAt(i);
      if (d >= 48 && d <= 57) value = value * 10 + (d - 48);
      else if (!(d === 44 && i + 1 < len && isDigitCode(text.charCodeAt(i + 1)))) break;
      i++;
    }
    if (i + 1 < len && text.charCodeAt(i) === 46 && isDigitCode(text.charCodeAt(i + 1))) {
      i++;
      let scale = 0.1;
      while (i < len) {
        const d = text.charCodeAt(i);
        if (d < 48 || d > 57) break;
        value += (d - 48) * scale;
        scale /= 10;
        i++;
      }
      value = Math.round(value * 1e9) / 1e9;
    }
    into.add(value);
  }
}

function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}

const log1p = Math.log1p;

/** Write the structural features of one trajectory into `out` at `offset`. */
export function writeStructuralFeatures(
  trajectory: Trajectory,
  question: string | undefined,
  out: Float32Array,
  offset: number,
): void {
  const steps = trajectory.steps;
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
  const callKeys = new Set<string>();
  let repeatedCalls = 0;
  const answered = new Set<string>();
  const resultValues: number[] = [];
  const resultIndex: number[] = [];
  const modelTexts: { index: number; text: string }[] = [];
  const lines = new Map<number, number>();
  let lineCount = 0;

  for (let index = 0; index < steps.length; index++) {
    const step = steps[index]!;
    if (step.type === 'think' || step.type === 'answer') {
      if (step.type === 'think') thinkChars += step.text.length;
      else answerStep = true;
      modelTexts.push({ index, text: step.text });
      uncertainty += step.text.match(uncertaintyPattern)?.length ?? 0;
      lineCount += countLines(step.text, lines);
    } else if (step.type === 'tool-call') {
      toolCalls++;
      const text = toolInputText(step.toolName, step.input);
      codeChars += text.length;
      modelTexts.push({ index, text });
      const key = `${step.toolName}\u0000${text}`;
      if (callKeys.has(key)) repeatedCalls++;
      callKeys.add(key);
    } else {
      results++;
      answered.add(step.callId);
      resultChars += step.output.length;
      if (step.isError) toolErrors++;
      if (step.timedOut === true) timeouts++;
      const output = step.output.trim();
      if (output === '') emptyResults++;
      // The last printed line is what a calculator or `print(x)` returns.
      const lastLine = output.slice(output.lastIndexOf('\n') + 1);
      const value = step.isError ? null : parseNumeric(lastLine);
      if (value !== null) {
        numericResults++;
        if (!Number.isInteger(value)) nonIntegerResults++;
        resultValues.push(value);
        resultIndex.push(index);
      }
      lastResultValue = value;
      lastResultIndex = index;
    }
  }

  const final = trajectory.finalAnswer ?? null;
  const answerValue = final === null ? null : parseNumeric(final);

  let answerInAnyResult = 0;
  if (answerValue !== null)
    for (const v of resultValues) if (sameNumber(v, answerValue)) answerInAnyResult = 1;

  // A result is "used" when its value shows up in anything the model wrote after it.
  let usedResults = 0;
  for (let r = 0; r < resultValues.length; r++) {
    const key = String(Math.abs(resultValues[r]!));
    const alt = Number.isInteger(resultValues[r]) ? `${key}.0` : key;
    const after = resultIndex[r]!;
    let used = answerValue !== null && sameNumber(resultValues[r]!, answerValue);
    for (const t of modelTexts) {
      if (used) break;
      if (t.index > after && (t.text.includes(key) || t.text.includes(alt))) used = true;
    }
    if (used) usedResults++;
  }

  const questionNumbers = questionNumbersOf(question);
  // Numbers the model wrote that were never seen before: neither in the question, nor in an
  // earlier result, nor earlier in its own text. Small constants (<= 12) are common knowledge.
  const seen = new Set(questionNumbers);
  const written = new Set<number>();
  let newNumbers = 0;
  let writtenNumbers = 0;
  const coverage = new Set<number>();
  for (const step of steps) {
    if (step.type === 'tool-result') {
      collectNumbers(step.output, seen);
      continue;
    }
    const text = step.type === 'tool-call' ? toolInputText(step.toolName, step.input) : step.text;
    written.clear();
    collectNumbers(text, written);
    for (const key of written) {
      writtenNumbers++;
      if (questionNumbers.has(key)) coverage.add(key);
      if (!seen.has(key) && key > 12) newNumbers++;
      seen.add(key);
    }
  }

  let repeatedLines = 0;
  for (const count of lines.values()) if (count > 1) repeatedLines += count - 1;

  let unanswered = 0;
  for (const step of steps)
    if (step.type === 'tool-call' && !answered.has(step.callId)) unanswered++;

  const f = out;
  let o = offset;
  f[o++] = log1p(steps.length);
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
  f[o++] = resultValues.length === 0 ? 0 : usedResults / resultValues.length;
  f[o++] = questionNumbers.size === 0 ? 0 : coverage.size / questionNumbers.size;
  f[o++] = writtenNumbers === 0 ? 0 : newNumbers / writtenNumbers;
  f[o++] = log1p(questionNumbers.size);
  f[o++] = log1p(uncertainty);
  f[o++] = lineCount === 0 ? 0 : repeatedLines / lineCount;
  f[o++] = toolCalls === 0 ? 0 : unanswered / toolCalls;
  f[o++] = answerValue !== null && answerValue < 0 ? 1 : 0;
  f[o++] = answerValue === null ? 0 : Math.log10(1 + Math.abs(answerValue));
  f[o++] = lastResultIndex === -1 ? 0 : log1p(steps.length - 1 - lastResultIndex);
}
