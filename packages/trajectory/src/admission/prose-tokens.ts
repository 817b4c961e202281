import { fencedBlocks } from '../model-text/fenced-blocks.js';
import { fromDecimal, type Rational, rational } from './rational.js';

/**
 * Tokens of reasoning prose, as far as arithmetic in it is concerned: numbers (with `$`,
 * thousands commas, `%`), operators in plain text, Unicode and LaTeX, `=`, brackets, `\frac`,
 * words and punctuation. Anything that might be arithmetic but cannot be read with certainty
 * (`10x`, `2:30`, `3rd`, `12/25/2020`, an en dash, an unknown LaTeX command) is `unclear`,
 * so an equation holding it is skipped rather than misread.
 */
export type ProseToken =
  | {
      kind: 'number';
      value: Rational;
      /** Digits after the decimal point as written (`3.50` has 2). */
      decimals: number;
      percent: boolean;
      /** Written with a currency sign (`$`, `\$`, `£`, `€`). */
      currency: boolean;
      start: number;
      end: number;
    }
  | { kind: 'op'; op: '+' | '-' | '*' | '/' | '^'; start: number; end: number }
  | { kind: 'eq' | 'approx'; start: number; end: number }
  | { kind: '(' | ')' | '{' | '}'; start: number; end: number }
  | { kind: 'frac' | 'boxed'; start: number; end: number }
  /** Letters (`hours`, `x`) or the content of `\text{...}`; `text` lower-cased. */
  | { kind: 'word'; text: string; start: number; end: number }
  /** Sentence punctuation, math delimiters (`\(`, `\]`, a bare `$`) and the edges of code. */
  | { kind: 'break'; start: number; end: number }
  | { kind: 'unclear'; start: number; end: number };

const LATEX_SPACE = new Set(['\\,', '\\;', '\\:', '\\!', '\\ ', '\\quad', '\\qquad']);
const LATEX_OP: Record<string, '*' | '/'> = { '\\times': '*', '\\cdot': '*', '\\div': '/' };
const LATEX_TEXT = new Set(['\\text', '\\textrm', '\\mathrm', '\\textbf', '\\mbox', '\\textit']);
const UNICODE_OP: Record<string, '+' | '-' | '*' | '/'> = {
  '×': '*',
  '·': '*',
  '⋅': '*',
  '∙': '*',
  '÷': '/',
  '−': '-',
};
const BREAK = new Set([',', '.', ';', ':', '!', '?', '"', "'", '“', '”', '‘', '’', '\n']);

// A number as written: optional currency sign, digits with thousands commas (LaTeX's `{,}`
// too) or plain, an
// optional fraction, an optional percent sign. `\$` is LaTeX's dollar.
const NUMBER = /(\\\$|\$|£|€)?[ \t]?(\d{1,3}(?:(?:,|\{,\})\d{3})+|\d+)?(?:\.(\d+))?(\\?%)?/y;
// Dates and times: read as one unclear token, not as division or subtraction.
const DATE_LIKE = /\d+([-/])\d+\1\d+/y;

const RANGE = /^(\d+)-(\d+)(?![\d.,])/;
const LABEL = /^[ \t]?\(([A-Za-z]+(?: [A-Za-z]+)?)\)/;

/** Spans of a text that are code, not prose: fenced blocks and `inline code`. */
function codeSpans(text: string): Array<[number, number]> {
  const spans: Array<[number, number]> = fencedBlocks(text).map((b) => [b.start, b.end]);
  const inline = /`[^`\n]+`/g;
  for (let m = inline.exec(text); m !== null; m = inline.exec(text)) {
    const at = m.index;
    if (!spans.some(([s, e]) => at >= s && at < e)) spans.push([at, at + m[0].length]);
  }
  return spans.sort((a, b) => a[0] - b[0]);
}

/** The tokens of a text; code spans become a single `break`. */
export function proseTokens(text: string): ProseToken[] {
  const tokens: ProseToken[] = [];
  const code = codeSpans(text);
  let nextCode = 0;
  let i = 0;
  const push = (token: ProseToken) => tokens.push(token);
  while (i < text.length) {
    const span = code[nextCode];
    if (span !== undefined && i >= span[0]) {
      push({ kind: 'break', start: span[0], end: span[1] });
      i = Math.max(i, span[1]);
      nextCode++;
      continue;
    }
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\r' || c === '\u00a0') {
      i++;
      continue;
    }
    const rest = text.slice(i, i + 12);
    // An unspaced `a-b` with a < b is a range ("3-5 days", "Weeks 1-2"), not a subtraction.
    const range = RANGE.exec(text.slice(i, i + 40));
    if (
      range !== null &&
      Number(range[1]) < Number(range[2]) &&
      !/[\d.,]/.test(text[i - 1] ?? '')
    ) {
      push({ kind: 'unclear', start: i, end: i + range[0].length });
      i += range[0].length;
      continue;
    }
    // Numbers, with a currency sign in front or not.
    if (/^(?:\\\$|\$|£|€)?[ \t]?\.?\d/.test(rest)) {
      DATE_LIKE.lastIndex = i;
      if (DATE_LIKE.test(text)) {
        push({ kind: 'unclear', start: i, end: DATE_LIKE.lastIndex });
        i = DATE_LIKE.lastIndex;
        continue;
      }
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(text)!;
      const intPart = (m[2] ?? '0').replace(/\{,\}|,/g, '');
      const fraction = m[3] ?? '';
      const end = i + m[0].length;
      const after = text.slice(end, end + 2);
      // Glued to letters or digits (`10x`, `3rd`, `5kg`), a time or ratio (`2:30`), a version
      // or a decimal comma (`1.2.3`, `12,5`): not a number this check can read.
      // A leading zero (`0900`, `0730`) is a time or a code.
      // An ellipsis (`8.333...%`) marks a repeating or cut number.
      if (/^(?:\.\.|…)/.test(after)) {
        const dots = /^(?:\.+|…)\s?(?:\\?%)?/.exec(text.slice(end))![0];
        push({ kind: 'unclear', start: i, end: end + dots.length });
        i = end + dots.length;
        continue;
      }
      if (/^(?:[A-Za-z0-9_]|[:.,]\d)/.test(after) || /^0\d/.test(m[2] ?? '')) {
        const glued = /^[A-Za-z0-9_:.,]*/.exec(text.slice(end))![0];
        push({ kind: 'unclear', start: i, end: end + glued.length });
        i = end + glued.length;
        continue;
      }
      const percent = m[4] !== undefined;
      const whole = fromDecimal(intPart, fraction);
      push({
        kind: 'number',
        value: percent ? rational(whole.num, whole.den * 100n) : whole,
        decimals: fraction.length,
        percent,
        currency: m[1] !== undefined,
        start: i,
        end,
      });
      i = end;
      // A label in brackets after a number is its unit: "11 (snowflake) + 20 (truck)".
      const label = LABEL.exec(text.slice(end, end + 40));
      if (label !== null) {
        push({
          kind: 'word',
          text: label[1]!.toLowerCase(),
          start: end,
          end: end + label[0].length,
        });
        i = end + label[0].length;
      }
      continue;
    }
    if (c === '\\') {
      const command = /^\\(?:[A-Za-z]+|.)/.exec(text.slice(i))?.[0] ?? '\\';
      const end = i + command.length;
      if (LATEX_SPACE.has(command)) {
        i = end;
        continue;
      }
      const op = LATEX_OP[command];
      if (op !== undefined) push({ kind: 'op', op, start: i, end });
      else if (command === '\\frac' || command === '\\dfrac' || command === '\\tfrac')
        push({ kind: 'frac', start: i, end });
      else if (command === '\\boxed') push({ kind: 'boxed', start: i, end });
      else if (command === '\\approx') push({ kind: 'approx', start: i, end });
      else if (command === '\\left' || command === '\\right') {
        // `\left(` is a bracket; the command itself adds nothing.
        i = end;
        continue;
      } else if (command === '\\(' || command === '\\)' || command === '\\[' || command === '\\]')
        push({ kind: 'break', start: i, end });
      else if (command === '\\\\') push({ kind: 'break', start: i, end });
      else if (LATEX_TEXT.has(command) && text[end] === '{') {
        const close = text.indexOf('}', end);
        const content = close < 0 ? '' : text.slice(end + 1, close);
        if (close >= 0 && /^[A-Za-z '’]*$/.test(content)) {
          const words = content.trim().toLowerCase();
          push(
            words === ''
              ? { kind: 'break', start: i, end: close + 1 }
              : { kind: 'word', text: words, start: i, end: close + 1 },
          );
          i = close + 1;
          continue;
        }
        push({ kind: 'unclear', start: i, end });
      } else push({ kind: 'unclear', start: i, end });
      i = end;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i))![0];
      push({ kind: 'word', text: word.toLowerCase(), start: i, end: i + word.length });
      i += word.length;
      continue;
    }
    if (c === '*' && text[i + 1] === '*') {
      push({ kind: 'op', op: '^', start: i, end: i + 2 });
      i += 2;
      continue;
    }
    if (c === '=') {
      // `==`, `=>`: code or arrows, not an equation.
      const next = text[i + 1];
      push({ kind: next === '=' || next === '>' ? 'unclear' : 'eq', start: i, end: i + 1 });
      i += next === '=' || next === '>' ? 2 : 1;
      continue;
    }
    const unicodeOp = UNICODE_OP[c];
    if (c === '+' || c === '-' || c === '*' || c === '/' || c === '^' || unicodeOp !== undefined)
      push({
        kind: 'op',
        op: unicodeOp ?? (c as '+' | '-' | '*' | '/' | '^'),
        start: i,
        end: i + 1,
      });
    else if (c === '(' || c === ')' || c === '{' || c === '}')
      push({ kind: c, start: i, end: i + 1 });
    else if (c === '≈') push({ kind: 'approx', start: i, end: i + 1 });
    else if (c === '$') {
      // Not followed by a digit (that was a currency sign, read above): a math delimiter.
      const double = text[i + 1] === '$';
      push({ kind: 'break', start: i, end: i + (double ? 2 : 1) });
      i += double ? 2 : 1;
      continue;
    } else if (BREAK.has(c)) push({ kind: 'break', start: i, end: i + 1 });
    else push({ kind: 'unclear', start: i, end: i + 1 });
    i++;
  }
  return tokens;
}
