import type { Step } from '../schemas/step.js';

/** Issue code: a tool call the model wrote as text (a code block, JSON, `<tool_call>`) that nothing executed. */
export const TEXT_FORM_TOOL_CALL = 'text-form-tool-call';
/** Diagnostic code: a tool result the model wrote itself, not produced by executing a call. */
export const FABRICATED_TOOL_OUTPUT = 'fabricated-tool-output';

export type ModelTextCode = typeof TEXT_FORM_TOOL_CALL | typeof FABRICATED_TOOL_OUTPUT;

/** Something found in model-written text. Its `stepIndex`, `code` and `message` make a `Diagnostic`. */
export interface ModelTextFinding<Code extends ModelTextCode = ModelTextCode> {
  code: Code;
  /**
   * What was found: a call as JSON (`json-call`), inside `<tool_call>` (`tool-call-tag`) or as
   * a block of a tool's language (`code-block`); a result as `<result>` (`result-tag`), as an
   * output block (`output-block`), or recorded as a result without a call when the trajectory
   * was parsed (`orphan-result`).
   */
  kind:
    | 'json-call'
    | 'tool-call-tag'
    | 'code-block'
    | 'result-tag'
    | 'output-block'
    | 'orphan-result';
  /** The step holding the text; null for what the parse recorded but left out of the steps. */
  stepIndex: number | null;
  /** The tool the text names or is written for, when known. */
  toolName: string | null;
  /** Character offset in the step's text; null when not known. */
  offset: number | null;
  /** The text found, cut to 200 characters. */
  excerpt: string;
  message: string;
}

/** Steps whose text the model wrote: reasoning and answers (calls and results are structured). */
export function modelTextSteps(
  steps: ReadonlyArray<Step>,
): Array<{ stepIndex: number; text: string }> {
  const out: Array<{ stepIndex: number; text: string }> = [];
  steps.forEach((step, stepIndex) => {
    if (step.type === 'think' || step.type === 'answer') out.push({ stepIndex, text: step.text });
  });
  return out;
}

/** A short one-line excerpt for messages. */
export function shortExcerpt(text: string, max = 60): string {
  const line = text.trim().replace(/\s+/g, ' ');
  return line.length <= max ? line : `${line.slice(0, max)}…`;
}
