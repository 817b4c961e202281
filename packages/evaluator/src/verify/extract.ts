import { undoubleBackslashes } from './normalize.js';
import { canonicalNumberToken } from './numbers.js';
import { findBoxed } from './text-scan.js';

/** What to look for: LaTeX answers (`\boxed{}`, `$...$`) and/or plain expressions and numbers. */
export type ExtractionTarget = 'latex' | 'expr';

/** Where an answer was found; each kind can be switched off with `sources`. */
export type AnswerSource =
  | 'boxed'
  | 'answer-tag'
  | 'final-answer'
  | 'marker'
  | 'latex'
  | 'whole'
  | 'number';

export const answerSources: ReadonlyArray<AnswerSource> = [
  'boxed',
  'answer-tag',
  'final-answer',
  'marker',
  'latex',
  'whole',
  'number',
];

export interface AnswerCandidate {
  text: string;
  source: AnswerSource;
  /** Lower is stronger: explicit markers beat a trailing `$...$` or the last number. */
  priority: number;
  /** Character offset in the (backslash-normalised) text; later wins among equal priorities. */
  position: number;
}

export interface ExtractOptions {
  targets?: ReadonlyArray<ExtractionTarget> | undefined;
  /** Extraction methods to use (default: all). */
  sources?: ReadonlyArray<AnswerSource> | undefined;
}

/** Only the tail of very long texts is searched: answers come last, and scans stay linear. */
const MAX_SCAN_CHARS = 50_000;

interface Span {
  start: number;
  end: number;
  content: string;
}

// Display math (`$$..$$`, `\[..\]`) may span lines; inline math (`$..$`, `\(..\)`) may not,
// as in Math-Verify: `$ \n 9 \n $` is prose with two dollar signs, not the answer 9.
const ENV_PATTERN =
  /\$\$([\s\S]*?)\$\$|\\\[([\s\S]*?)\\\]|\\\(([^\n]*?)\\\)|\$((?:[^$\\\n]|\\[^\n])+?)\$/g;

function latexEnvironments(text: string): Span[] {
  const spans: Span[] = [];
  ENV_PATTERN.lastIndex = 0;
  for (let match = ENV_PATTERN.exec(text); match !== null; match = ENV_PATTERN.exec(text)) {
    const content = match[1] ?? match[2] ?? match[3] ?? match[4] ?? '';
    if (content.trim() !== '')
      spans.push({ start: match.index, end: match.index + match[0].length, content });
  }
  return spans;
}

const ENV_AT = new RegExp(`\\s*(?:${ENV_PATTERN.source})`, 'y');

/**
 * The span opening right at `start` (after spaces), read from there: a stray `$` earlier in the
 * text (`$10,200 + $255 = $10,455.`) pairs the document's dollars wrongly, but not the span that
 * follows "the final answer is", as Math-Verify's regex reads it.
 */
function envAt(text: string, start: number): Span | undefined {
  ENV_AT.lastIndex = start;
  const match = ENV_AT.exec(text);
  if (match === null) return undefined;
  const content = match[1] ?? match[2] ?? match[3] ?? match[4] ?? '';
  const open = start + match[0].length - match[0].trimStart().length;
  return content.trim() === '' ? undefined : { start: open, end: start + match[0].length, content };
}

/** Join the last span with the spans just before it when only a connector separates them. */
function joinTrailing(
  spans: Span[],
  text: string,
  gapAllowed: (gap: string) => boolean,
): Span | null {
  const last = spans[spans.length - 1];
  if (last === undefined) return null;
  const parts = [last.content];
  let start = last.start;
  for (let i = spans.length - 2; i >= 0; i--) {
    const gap = text.slice(spans[i]!.end, start);
    if (!gapAllowed(gap)) break;
    parts.unshift(spans[i]!.content);
    start = spans[i]!.start;
  }
  // `, ` and not `,`: `$45$ or $135$` is two answers, never the number 45,135.
  return { start, end: last.end, content: parts.join(', ') };
}

const ENV_GAP = /^\s*(?:,|;|and|or|&|\\quad|\\qquad)?\s*(?:,|and|or)?\s*$/i;

function boxGapAllowed(gap: string): boolean {
  if (gap.length > 48 || gap.includes('\n\n')) return false;
  const words = gap.replace(/\\[a-zA-Z]+/g, ' ').match(/[a-zA-Z]{2,}/g) ?? [];
  return words.length === 0 || words.some((word) => word.toLowerCase() === 'and');
}

/** Prose rather than maths: long words outside commands. */
export function looksLikeProse(text: string): boolean {
  const stripped = text.replace(/\\text\{[^{}]*\}/g, ' ').replace(/\\[a-zA-Z]+/g, ' ');
  return /[a-zA-Z]{4,}/.test(stripped) || (stripped.match(/[a-zA-Z]{2,}/g)?.length ?? 0) > 2;
}

// A number stands after a space, `=` or the start (a currency sign may come between), as in
// Math-Verify: `horse #12` and `x_2` hold no answer, `1,000.99m²` holds 1000.99.
// Thousands may be spaced (`1 000`) as well. The anchor is matched, not looked behind (cheaper);
// the number is group 1.
const NUMBER_TOKEN =
  /(?:^|[\s=])(?:\*\*)?[$\u20ac\u00a3\u00a5\u20b9]?(-?(?:[1-9]\d{0,2}(?: \d{3})+(?![\d,])|\d[\d,]*)(?:\.\d+)?(?:[eE][-+]?\d+)?)/g;

// Math-Verify's plain expressions (`ExprExtractionConfig`): digits and at least one operator,
// after a space, `=` or the start, and before punctuation, a space, `)`, `$` or the end, so
// "the probability is 2/3." gives 2/3, not 3. Bounded (Math-Verify's is not) so that a long run
// of digits and spaces costs linear time, not quadratic.
const EXPR_CHARS = '[\\d.\\s+\\-*\u00d7/^()\u00f7]';
const EXPR_TOKEN = new RegExp(
  `(?:^|[\\s=])(?:\\*\\*)?(-?\\(?-?\\d${EXPR_CHARS}{0,64}[+\\-*\u00d7/^()\u00f7]${EXPR_CHARS}{1,64}\\)?)(?=(?:\\*\\*)?(?:[.,:\\s)$]|$))`,
  'g',
);

/** An expression Math-Verify would parse: ends in a digit or `)`, brackets balanced, an operator between operands. */
function plainExpression(raw: string): string | null {
  // A full stop may end the match (`is 2/3.`): it ends the sentence, not the number.
  const text = raw.trim().replace(/\.+$/, '').replaceAll('\u00d7', '*').replaceAll('\u00f7', '/');
  if (!/[\d)]$/.test(text) || !/\d\s*[-+*/^]\s*[-(\d.]/.test(text)) return null;
  let depth = 0;
  for (const ch of text) {
    if (ch === '(') depth++;
    else if (ch === ')' && --depth < 0) return null;
  }
  return depth === 0 ? text : null;
}

type Found = AnswerCandidate & { end: number };

/** Longer than any expression match (its parts are bounded above). */
const EXPR_MAX_CHARS = 150;

function outsideAll(excluded: ReadonlyArray<Span>, position: number): boolean {
  return !excluded.some((span) => position >= span.start && position < span.end);
}

/**
 * Number tokens, in text order (so also in order of where they end); with `onlyLast`, just the
 * last one (the long-text path keeps no others). Spans are in text order, so one cursor skips them.
 */
function numberTokens(
  text: string,
  offset: number,
  excluded: ReadonlyArray<Span>,
  onlyLast = false,
): Found[] {
  const found: Found[] = [];
  let span = 0;
  NUMBER_TOKEN.lastIndex = 0;
  for (let match = NUMBER_TOKEN.exec(text); match !== null; match = NUMBER_TOKEN.exec(text)) {
    const position = offset + match.index + match[0].length - match[1]!.length;
    while (span < excluded.length && excluded[span]!.end <= position) span++;
    if (span < excluded.length && excluded[span]!.start <= position) continue;
    const written = match[1]!.replace(/,+$/, '');
    const token = written.replaceAll(' ', '');
    const canonical =
      canonicalNumberToken(token) ?? canonicalNumberToken(token.split(',').join(''));
    if (canonical === null) continue;
    const candidate: Found = {
      text: canonical,
      source: 'number',
      priority: 2,
      position,
      end: position + written.length,
    };
    if (onlyLast) found[0] = candidate;
    else found.push(candidate);
  }
  return found;
}

function expressionTokens(text: string, offset: number, excluded: ReadonlyArray<Span>): Found[] {
  const found: Found[] = [];
  EXPR_TOKEN.lastIndex = 0;
  for (let match = EXPR_TOKEN.exec(text); match !== null; match = EXPR_TOKEN.exec(text)) {
    const start = match.index + match[0].length - match[1]!.length;
    const expression = plainExpression(match[1]!);
    const position = offset + start + (match[1]!.length - match[1]!.trimStart().length);
    if (expression === null || !outsideAll(excluded, position)) continue;
    const end = offset + start + match[1]!.trimEnd().replace(/\.+$/, '').length;
    if (!outsideAll(excluded, end - 1)) continue;
    found.push({ text: expression, source: 'number', priority: 2, position, end });
  }
  return found;
}

/** By where they end, and for the same end the longer one last: Math-Verify's order, reversed. */
function byEnd(found: Found[]): AnswerCandidate[] {
  return found
    .sort((a, b) => a.end - b.end || b.position - a.position)
    .map(({ end: _end, ...candidate }) => candidate);
}

/**
 * Numbers and plain expressions in prose, ordered as Math-Verify tries them from the end: by
 * where they end, and for the same end the longer one (the last element is the one to take).
 */
function numbersIn(text: string, offset: number, excluded: ReadonlyArray<Span>): AnswerCandidate[] {
  return byEnd([
    ...numberTokens(text, offset, excluded),
    ...expressionTokens(text, offset, excluded),
  ]);
}

/**
 * `numbersIn(text)`'s last element without scanning the whole text for expressions: one that
 * ends after the last number starts at most `EXPR_MAX_CHARS` before that number.
 */
function lastNumberIn(text: string, excluded: ReadonlyArray<Span>): AnswerCandidate | undefined {
  const lastNumber = numberTokens(text, 0, excluded, true)[0];
  // Without a number (`(1/2)*(4/3)` has none: a bracket stands before each digit) read it all.
  const from = lastNumber === undefined ? 0 : Math.max(0, lastNumber.position - EXPR_MAX_CHARS);
  const found = byEnd([
    ...(lastNumber === undefined ? [] : [lastNumber]),
    ...expressionTokens(text.slice(from), from, excluded),
  ]);
  return found[found.length - 1];
}

const PHRASE = /(?:final answer|the answer|answer)\s*(?:is|:|=|should be|will be)?\s*:?\s*/gi;
const FINAL_IS = /^final answer\s*is/i;
const HOPE = /^\.?\s?I hope/;
const SENTENCE_END = /\.(?=\s|$)(?!\d)|\n|\bI hope\b/;

/** Candidate after "the (final) answer is": the env or expression right after it, else the last value of the sentence. */
function phraseCandidate(
  text: string,
  envs: ReadonlyArray<Span>,
  targets: ReadonlyArray<ExtractionTarget>,
): AnswerCandidate | null {
  let last: RegExpExecArray | null = null;
  PHRASE.lastIndex = 0;
  for (let match = PHRASE.exec(text); match !== null; match = PHRASE.exec(text)) {
    if (match[0].length > 0) last = match;
    if (match[0].length === 0) PHRASE.lastIndex++;
  }
  if (last === null) return null;
  const start = last.index + last[0].length;
  // "The final answer is x. I hope it is correct." (the MATH few-shot closing) ranks with
  // `\boxed{}`, and the later of the two wins, as in Math-Verify: a model that boxed a step
  // and then wrote this line answered with the line.
  const closing = FINAL_IS.test(last[0]);
  const priorityAt = (end: number) => (closing && HOPE.test(text.slice(end)) ? 0 : 1);
  const env =
    envs.find(
      (span) =>
        span.start === start || (span.start > start && text.slice(start, span.start).trim() === ''),
    ) ?? envAt(text, start);
  if (env !== undefined && targets.includes('latex')) {
    return {
      text: env.content,
      source: 'final-answer',
      priority: priorityAt(env.end),
      position: env.start,
    };
  }
  const rest = text.slice(start);
  const endAt = rest.search(SENTENCE_END);
  const sentence = (endAt < 0 ? rest : rest.slice(0, endAt)).trim();
  if (sentence === '') return null;
  if (!looksLikeProse(sentence) && !sentence.includes('$') && sentence.length <= 120) {
    if (targets.includes('expr') || /\\/.test(sentence)) {
      // "is 3,5 kg": the number before the unit words (a decimal comma, not two answers).
      const beforeUnits = /^(-?\d[\d.,]*)\s*[a-zA-Z]+(?:\s+[a-zA-Z]+)*$/.exec(sentence);
      return {
        text:
          canonicalNumberToken(sentence) ??
          (beforeUnits === null ? null : canonicalNumberToken(beforeUnits[1]!)) ??
          sentence,
        source: 'final-answer',
        priority: endAt < 0 ? 1 : priorityAt(start + endAt),
        position: start,
      };
    }
  }
  // A value right after the phrase, before any words ("is: 348 + 220 = 568 donuts and ..."):
  // Math-Verify's anchored match, the longest expression or number starting there.
  if (targets.includes('expr')) {
    const head = endAt < 0 ? rest : rest.slice(0, endAt);
    const first = start + (head.length - head.trimStart().length);
    const leading = numbersIn(head, start, []).filter((found) => found.position === first);
    const longest = leading.reduce<AnswerCandidate | undefined>(
      (best, found) => (best === undefined || found.text.length > best.text.length ? found : best),
      undefined,
    );
    if (longest !== undefined) return { ...longest, source: 'final-answer', priority: 1 };
  }
  // A sentence in words: its last maths (an env or a number), whichever comes later.
  const inSentence = envs.filter(
    (span) => span.start >= start && span.end <= start + sentence.length + 2,
  );
  const lastEnv = targets.includes('latex') ? inSentence[inSentence.length - 1] : undefined;
  const numbers = targets.includes('expr') ? numbersIn(sentence, start, inSentence) : [];
  const lastNumber = numbers[numbers.length - 1];
  if (lastNumber !== undefined && (lastEnv === undefined || lastNumber.position > lastEnv.start)) {
    return { ...lastNumber, source: 'final-answer', priority: 1 };
  }
  if (lastEnv !== undefined)
    return { text: lastEnv.content, source: 'final-answer', priority: 1, position: lastEnv.start };
  return null;
}

/**
 * Answer candidates in a free-text solution, strongest first: `\boxed{}`/`\fbox{}` (several
 * boxes side by side are one list answer), `<answer>` blocks, "the final answer is x",
 * `A: x` / `#### x` lines, the whole text when it is a short expression, then the later of the
 * last `$...$`-style LaTeX span and the last number.
 */
export function extractAnswers(input: string, options: ExtractOptions = {}): AnswerCandidate[] {
  const targets = options.targets ?? ['latex', 'expr'];
  const sources = new Set(options.sources ?? answerSources);
  const offset = Math.max(0, input.length - MAX_SCAN_CHARS);
  const text = undoubleBackslashes(offset > 0 ? input.slice(offset) : input);
  const candidates: AnswerCandidate[] = [];
  const latex = targets.includes('latex');
  const expr = targets.includes('expr');

  if (sources.has('boxed') && (latex || expr)) {
    const joined = joinTrailing(findBoxed(text), text, boxGapAllowed);
    if (joined !== null)
      candidates.push({
        text: joined.content,
        source: 'boxed',
        priority: 0,
        position: joined.start,
      });
  }
  if (sources.has('answer-tag')) {
    const tags = [...text.matchAll(/<answer>([\s\S]*?)(?:<\/answer>|$)/g)];
    const tag = tags[tags.length - 1];
    if (tag !== undefined && tag[1]!.trim() !== '') {
      const content = tag[1]!.trim();
      const inner =
        content.length > 80 || content.includes('$')
          ? extractAnswers(content, {
              ...options,
              sources: [...sources].filter((s) => s !== 'answer-tag'),
            })[0]
          : undefined;
      candidates.push({
        text: inner?.text ?? content,
        source: 'answer-tag',
        priority: 0,
        position: tag.index! - 1,
      });
    }
  }
  const envs = latex || sources.has('final-answer') ? latexEnvironments(text) : [];
  if (sources.has('final-answer')) {
    const phrase = phraseCandidate(text, envs, targets);
    if (phrase !== null) candidates.push(phrase);
  }
  if (sources.has('marker')) {
    const hashes = [...text.matchAll(/^#### *(.+?) *$/gm)];
    const hash = hashes[hashes.length - 1];
    if (hash !== undefined)
      // Plain text, so `84,5` is a decimal comma and `1,234` has a thousands separator.
      candidates.push({
        text: canonicalNumberToken(hash[1]!) ?? hash[1]!,
        source: 'marker',
        priority: 1,
        position: hash.index!,
      });
    const lastLine = /(?:^|\n)[ \t]*A:[ \t]*(.+?)\s*$/.exec(text);
    if (lastLine !== null)
      candidates.push({
        text: canonicalNumberToken(lastLine[1]!) ?? lastLine[1]!,
        source: 'marker',
        priority: 1,
        position: lastLine.index,
      });
  }
  const trimmed = text.trim();
  if (
    sources.has('whole') &&
    trimmed.length <= 120 &&
    !/[$]|\\\(|\\\[/.test(trimmed) &&
    // A contraction is prose however short (`it's 1,000.99m²`): its number is the answer.
    !/[a-zA-Z]['\u2019][a-zA-Z]/.test(trimmed) &&
    !looksLikeProse(trimmed)
  ) {
    candidates.push({
      text: canonicalNumberToken(trimmed) ?? trimmed,
      source: 'whole',
      priority: 1,
      position: 0,
    });
  }
  if (latex && sources.has('latex')) {
    const joined = joinTrailing(envs, text, (gap) => ENV_GAP.test(gap));
    if (joined !== null)
      candidates.push({
        text: joined.content,
        source: 'latex',
        priority: 2,
        position: joined.start,
      });
  }
  if (expr && sources.has('number')) {
    const lastNumber = lastNumberIn(text.replace(/\\\$/g, '  '), latex ? envs : []);
    if (lastNumber !== undefined) candidates.push(lastNumber);
  }
  return candidates
    .map((candidate) => ({ ...candidate, position: candidate.position + offset }))
    .sort((a, b) => a.priority - b.priority || b.position - a.position);
}
