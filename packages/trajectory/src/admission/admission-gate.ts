import { z } from 'zod';
import { extractLastBoxed } from '../codecs/answer-extraction.js';
import type { TextCodec } from '../codecs/codec.js';
import { createTagCodec } from '../codecs/tags.js';
import { toolTagTable } from '../contracts/tool-spec.js';
import { findFabricatedToolOutput } from '../model-text/fabricated-tool-output.js';
import { paperValidateFormat } from '../paper/validate-format.js';
import { renderWithLossMask } from '../render/loss-mask.js';
import type { RenderedText } from '../schemas/records.js';
import type { Trajectory } from '../schemas/trajectory.js';
import { findIdleToolCalls } from './idle-tool-call.js';
import { findIgnoredToolErrors } from './ignored-tool-error.js';
import { findPromptMetaText } from './prompt-meta-text.js';
import { findProseArithmeticErrors } from './prose-arithmetic.js';

/**
 * Why the admission gate refused a trajectory (stable codes; a trajectory can fail several):
 * - `paper-format`: the rendered text fails the paper's RL `validate_format`;
 * - `think-not-first`: the rendered text does not start with `<think>`;
 * - `answer-count`: not exactly one `<answer>...</answer>`;
 * - `answer-not-boxed`: the answer holds no non-empty, closed `\boxed{...}`;
 * - `whole-number-as-decimal`: the boxed answer is a whole number written with a zero fraction
 *   (`\boxed{10.0}`, Python's float printed as is): the paper's RL reward (token F1 on the boxed
 *   string) scores it 0 against the gold `10`, so training on it teaches an answer form RL punishes;
 * - `prompt-meta-text`: the model copied prompt text (`PROMPT_META_PHRASES`);
 * - `token-limit`: generation stopped at the output-token limit (`finishReason` `length`);
 * - `fabricated-tool-output`: tool output the model wrote itself (`findFabricatedToolOutput`);
 * - `prose-arithmetic-error`: an equation in the reasoning whose written result is wrong
 *   (`$50 + $15 + $30 = $105`; `findProseArithmeticErrors`): trained on, it teaches wrong
 *   arithmetic, and reasoning the answer then contradicts;
 * - `tool-call-computes-nothing`: a tool call that only echoes numbers it was given (Python
 *   `J = 4; print(J)` after the reasoning did the arithmetic; `findIdleToolCalls`): trained on,
 *   it teaches that the tool is decoration;
 * - `tool-error-ignored`: a tool call that failed (`NameError`, a syntax error) with no call
 *   after it that ran, so the answer comes from the reasoning as if the tool had worked
 *   (`findIgnoredToolErrors`): trained on, it teaches writing broken code and ignoring its error;
 * - `duplicate`: the same rendered text as an SFT record already admitted for the task (e.g. one
 *   greedy repair written for both failed candidates), which would count twice in training. A
 *   rule over a task's records (the repairer's `admitRecords`): `checkAdmission` never gives it.
 */
export const admissionCodes = [
  'paper-format',
  'think-not-first',
  'answer-count',
  'answer-not-boxed',
  'whole-number-as-decimal',
  'prompt-meta-text',
  'token-limit',
  'fabricated-tool-output',
  'prose-arithmetic-error',
  'tool-call-computes-nothing',
  'tool-error-ignored',
  'duplicate',
] as const;
export const admissionCodeSchema = z.enum(admissionCodes);
export type AdmissionCode = z.infer<typeof admissionCodeSchema>;

export const admissionReasonSchema = z.object({
  code: admissionCodeSchema,
  message: z.string(),
});
export type AdmissionReason = z.infer<typeof admissionReasonSchema>;

export interface AdmissionVerdict {
  admitted: boolean;
  /** Empty when admitted; else one reason per failed check, in `admissionCodes` order. */
  reasons: AdmissionReason[];
}

/** Finds tool output the model wrote itself; each finding's message becomes the reason. */
export type FabricatedToolOutputDetector = (
  trajectory: Pick<Trajectory, 'steps' | 'metadata'>,
) => ReadonlyArray<{ message: string }>;

export interface AdmissionInput {
  trajectory: Trajectory;
  /**
   * The text that would be trained on (an SFT record's `rendered`). Default: the steps rendered
   * in the paper's tag form with every built-in tool tag, as synthesis renders them.
   */
  rendered?: RenderedText;
  /** Codec for the default rendering (ignored when `rendered` is given). */
  codec?: TextCodec;
  /** The task's question: prompt phrases it holds itself are not counted as copied. */
  question?: string | undefined;
  /**
   * Finds tool output the model wrote itself (`fabricated-tool-output`). Default:
   * `findFabricatedToolOutput`; null skips the check.
   */
  detectFabricatedToolOutput?: FabricatedToolOutputDetector | null;
}

let defaultCodec: TextCodec | undefined;

function count(text: string, needle: string): number {
  let n = 0;
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + needle.length)) n++;
  return n;
}

// A number whose fraction is all zeros, optionally signed, with thousands separators or a dollar
// sign in front (`10.0`, `-3.00`, `1,250.0`, `\$5.00`).
const WHOLE_NUMBER_AS_DECIMAL = /^[-+]?(?:\\?\$\s*)?(?:\d+|\d{1,3}(?:,\d{3})+)\.0+$/;

/** `finishReason` of the last model call, as generation records it. */
function finishReasonOf(trajectory: Trajectory): unknown {
  const generation = trajectory.metadata.generation;
  if (typeof generation !== 'object' || generation === null || Array.isArray(generation))
    return undefined;
  return generation.finishReason;
}

/**
 * Whether a trajectory is fit to train on, in the rendered paper tag form: what SFT data and
 * the chosen side of preference pairs must be. Stricter than the paper's selection and repair
 * acceptance (which look at the last `{...}` or answer only): a record must pass the paper's RL
 * `validate_format`, start with `<think>`, hold exactly one `<answer>` with a `\boxed{}` (a whole
 * number written as one, not as `10.0`), carry
 * no prompt meta-text, not be cut by the token limit, hold no tool output the model wrote
 * itself, no wrong arithmetic in its reasoning, no tool call that computes nothing, and no failed
 * tool call it answers past without a call that ran. Pure: reads nothing but its input.
 */
export function checkAdmission(input: AdmissionInput): AdmissionVerdict {
  const { trajectory } = input;
  defaultCodec ??= createTagCodec({ toolTags: toolTagTable() });
  const rendered =
    input.rendered ?? renderWithLossMask(trajectory.steps, input.codec ?? defaultCodec);
  const text = rendered.text;
  const reasons: AdmissionReason[] = [];
  const refuse = (code: AdmissionCode, message: string) => reasons.push({ code, message });

  const format = paperValidateFormat(text);
  if (!format.ok) refuse('paper-format', `the paper's validate_format: ${format.reason}`);
  if (!text.startsWith('<think>'))
    refuse('think-not-first', `starts with ${JSON.stringify(text.slice(0, 24))}, not <think>`);
  const opens = count(text, '<answer>');
  const closes = count(text, '</answer>');
  if (opens !== 1 || closes !== 1)
    refuse('answer-count', `${opens} <answer> and ${closes} </answer>; exactly one of each needed`);
  const start = text.indexOf('<answer>');
  const end = start < 0 ? -1 : text.indexOf('</answer>', start);
  const boxed = end < 0 ? null : extractLastBoxed(text.slice(start + '<answer>'.length, end));
  if (boxed === null || boxed.trim() === '')
    refuse(
      'answer-not-boxed',
      end < 0
        ? 'no closed <answer> to hold a \\boxed{}'
        : 'the <answer> holds no non-empty \\boxed{}',
    );
  else if (WHOLE_NUMBER_AS_DECIMAL.test(boxed.trim()))
    refuse(
      'whole-number-as-decimal',
      `\\boxed{${boxed.trim()}} writes a whole number with a zero fraction; the answer should be ${boxed.trim().replace(/\.0+$/, '')}`,
    );

  // Only what the model wrote as prose: reasoning and answers (tool output is the environment's).
  const prose = trajectory.steps
    .map((step) => (step.type === 'think' || step.type === 'answer' ? step.text : ''))
    .join('\n');
  const copied = findPromptMetaText(
    prose,
    input.question === undefined ? {} : { question: input.question },
  );
  if (copied.length > 0)
    refuse(
      'prompt-meta-text',
      `prompt text copied: ${copied.map((m) => `${JSON.stringify(m.text)} (${m.id})`).join(', ')}`,
    );
  if (finishReasonOf(trajectory) === 'length')
    refuse('token-limit', 'generation stopped at the output-token limit (finishReason length)');
  const detect =
    input.detectFabricatedToolOutput === undefined
      ? findFabricatedToolOutput
      : input.detectFabricatedToolOutput;
  const fabricated = detect?.(trajectory) ?? [];
  if (fabricated.length > 0)
    refuse('fabricated-tool-output', fabricated.map((f) => f.message).join('; '));
  const wrong = findProseArithmeticErrors(trajectory);
  if (wrong.length > 0) refuse('prose-arithmetic-error', wrong.map((e) => e.message).join('; '));
  const idle = findIdleToolCalls(trajectory);
  if (idle.length > 0)
    refuse('tool-call-computes-nothing', idle.map((call) => call.message).join('; '));
  const ignored = findIgnoredToolErrors(trajectory);
  if (ignored.length > 0)
    refuse('tool-error-ignored', ignored.map((call) => call.message).join('; '));
  return { admitted: reasons.length === 0, reasons };
}
