/**
 * The paper's RL format check (Tool-Star re_search.validate_format), reproduced exactly. It
 * checks tag counts and the order of each call's tags; it does not check the text before the
 * first `<think>`, text after `</answer>`, the number of answers or of tool calls.
 */

export type PaperFormatCode =
  | 'think-unpaired'
  | 'think-missing'
  | 'answer-missing'
  | 'call-incomplete'
  | 'call-order'
  | 'answer-order'
  | 'answer-not-boxed';

export interface PaperFormatCheck {
  ok: boolean;
  /** The paper's own message ("format is correct" when ok). */
  reason: string;
  code: PaperFormatCode | null;
}

function count(text: string, needle: string): number {
  let n = 0;
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + needle.length)) n++;
  return n;
}

const bad = (code: PaperFormatCode, reason: string): PaperFormatCheck => ({
  ok: false,
  reason,
  code,
});

/** Python's `str.find(sub, start)` with its negative-start and past-the-end semantics. */
function find(text: string, needle: string, start: number): number {
  const from = start < 0 ? Math.max(0, text.length + start) : start;
  if (from > text.length) return -1;
  return text.indexOf(needle, from);
}

export function paperValidateFormat(text: string): PaperFormatCheck {
  const thinkOpen = count(text, '<think>');
  const thinkClose = count(text, '</think>');
  if (thinkOpen !== thinkClose) return bad('think-unpaired', '<think> </think> not paired');
  if (thinkOpen === 0 || thinkClose === 0)
    return bad('think-missing', '<think> or </think> not found');
  if (count(text, '<answer>') === 0 || count(text, '</answer>') === 0)
    return bad('answer-missing', '<answer> or </answer> not found');
  for (const [open, close, what] of [
    ['<search>', '</search>', 'search'],
    ['<code>', '</code>', 'python'],
  ] as const) {
    let pos = 0;
    for (;;) {
      const call = find(text, open, pos);
      if (call === -1) break;
      const result = find(text, '<result>', call);
      const callEnd = find(text, close, call);
      // With no <result>, Python searches from -1 (the last character).
      const resultEnd = find(text, '</result>', result);
      if (result === -1 || callEnd === -1 || resultEnd === -1)
        return bad('call-incomplete', `${what}/result tags are incomplete`);
      if (!(call < callEnd && callEnd < result && result < resultEnd))
        return bad('call-order', `${what}/result tags are nested in the wrong order`);
      pos = resultEnd;
    }
  }
  const start = text.indexOf('<answer>');
  const end = text.indexOf('</answer>');
  if (start > end) return bad('answer-order', '<answer> must be before </answer>');
  const content = text.slice(start, end);
  if (!content.includes('\\boxed{') || !content.includes('}'))
    return bad('answer-not-boxed', 'answer is missing \\boxed{} format');
  return { ok: true, reason: 'format is correct', code: null };
}
