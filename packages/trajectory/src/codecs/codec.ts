import type { TEXT_FORM_TOOL_CALL } from '../model-text/finding.js';
import type { LossMaskSpan } from '../schemas/records.js';
import type { Step } from '../schemas/step.js';

/** Something a codec noticed but could not represent: reported, never silently dropped. */
export interface ParseIssue {
  code:
    | 'unclosed-tag'
    | 'orphan-result'
    | 'missing-result'
    | 'multiple-answers'
    | 'missing-answer'
    | 'text-outside-tags'
    | 'text-after-answer'
    | 'unterminated-block'
    | 'unterminated-annotation'
    | 'invalid-tool-input'
    | 'unknown-tool'
    | 'unsupported-part'
    // A tool call written as text where calls are structured (native tools): not executed.
    | typeof TEXT_FORM_TOOL_CALL;
  message: string;
  /** Character offset in the parsed text (text codecs) or message index (message codecs). */
  offset?: number;
  /** The text that could not be placed, cut to 200 characters. */
  excerpt?: string;
}

export interface ParsedSteps {
  steps: Step[];
  /** Answer extracted from the last answer step, or null. */
  finalAnswer: string | null;
  issues: ParseIssue[];
}

/** A piece of rendered text and who wrote it. */
export interface Segment {
  text: string;
  source: LossMaskSpan['source'];
}

/** Converts between plain text in one format and trajectory steps. */
export interface TextCodec {
  readonly name: string;
  parse(text: string): ParsedSteps;
  /** Rendered text as consecutive segments; `render` is their concatenation. */
  renderSegments(steps: ReadonlyArray<Step>): Segment[];
  render(steps: ReadonlyArray<Step>): string;
}

export function excerpt(text: string, max = 200): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}

export function joinSegments(segments: ReadonlyArray<Segment>): string {
  let out = '';
  for (const segment of segments) out += segment.text;
  return out;
}

export function finalAnswerOf(steps: ReadonlyArray<Step>): string | null {
  for (let i = steps.length - 1; i >= 0; i--) {
    const step = steps[i]!;
    if (step.type === 'answer') return step.answer ?? null;
  }
  return null;
}

/** Ids for calls that arrive without one (text formats): `call_0`, `call_1`, ... */
export function callIdAt(index: number): string {
  return `call_${index}`;
}
