import { z } from 'zod';
import {
  trajectoryFromSteps as fromStepsUnchecked,
  trajectoryFromText as fromTextUnchecked,
  type TrajectoryFromStepsOptions,
} from '../build-trajectory.js';
import {
  type RenderedAiSdkMessage,
  renderAiSdkMessages as renderAiSdkUnchecked,
} from '../codecs/ai-sdk-messages.js';
import type { ParsedSteps, ParseIssue, Segment, TextCodec } from '../codecs/codec.js';
import {
  gsm8kCalculatorCodec as gsm8kUnchecked,
  parseGsm8kCalculator as parseGsm8kUnchecked,
} from '../codecs/gsm8k-calculator.js';
import {
  markdownTirCodec as markdownUnchecked,
  parseMarkdownTir as parseMarkdownUnchecked,
} from '../codecs/markdown-tir.js';
import {
  type OpenAiChatMessage,
  type RenderOpenAiChatOptions,
  renderOpenAiChat as renderOpenAiUnchecked,
} from '../codecs/openai-chat.js';
import {
  getTextCodec as getUncheckedCodec,
  type TextFormat,
  textFormats,
} from '../codecs/registry.js';
import {
  type TagCodecOptions,
  createTagCodec as tagCodecUnchecked,
  tagCodec as tagUnchecked,
} from '../codecs/tags.js';
import { entryInputParser } from '../entry-input.js';
import { metadataSchema } from '../schemas/json-value.js';
import { isSealedTrajectory } from '../schemas/sealed.js';
import { type Step, stepListSchema } from '../schemas/step.js';
import { provenanceSchema, type Trajectory } from '../schemas/trajectory.js';

// The codecs and text functions of the main entry check what they are given: steps with the
// contract's step schema (a hand-written guard first; the steps of a trajectory the library
// sealed are taken as they are), texts as strings, options strictly (a misspelt key is an error
// naming it). Bad input is the `ValidationError` every reader throws (code
// `validation_failed`), naming the function and the field path. The library's own code calls
// the unchecked codecs: it passes values it built or already checked.

const parse = entryInputParser((problem) => problem.error);

function text(value: unknown, entry: string): string {
  return typeof value === 'string' ? value : parse(z.string(), value, entry, 'text');
}

function steps(value: unknown, entry: string, field = 'steps'): Step[] {
  return parse(stepListSchema, value, entry, field);
}

/** A codec of the main entry: the same codec with its arguments checked. */
function checkedCodec(inner: TextCodec, name: string): TextCodec {
  return {
    name: inner.name,
    parse: (input) => inner.parse(text(input, `${name}.parse`)),
    renderSegments: (input): Segment[] =>
      inner.renderSegments(steps(input, `${name}.renderSegments`)),
    render: (input) => inner.render(steps(input, `${name}.render`)),
  };
}

/** The tag format of the paper's code (see codecs/tags.ts), its arguments checked. */
export const tagCodec: TextCodec = checkedCodec(tagUnchecked, 'tagCodec');
/** Markdown TIR (ToRA style), its arguments checked. */
export const markdownTirCodec: TextCodec = checkedCodec(markdownUnchecked, 'markdownTirCodec');
/** GSM8K calculator annotations, its arguments checked. */
export const gsm8kCalculatorCodec: TextCodec = checkedCodec(gsm8kUnchecked, 'gsm8kCalculatorCodec');

/** Markdown TIR text to steps, the text checked. */
export function parseMarkdownTir(input: string): ParsedSteps {
  return parseMarkdownUnchecked(text(input, 'parseMarkdownTir'));
}

/** GSM8K calculator-annotated text to steps, the text checked. */
export function parseGsm8kCalculator(input: string): ParsedSteps {
  return parseGsm8kUnchecked(text(input, 'parseGsm8kCalculator'));
}

const checkedByFormat: Record<TextFormat, TextCodec> = {
  tags: tagCodec,
  'markdown-tir': markdownTirCodec,
  'gsm8k-calculator': gsm8kCalculatorCodec,
};

/** The codec of a text format (an unknown format is a `CodecError`), its arguments checked. */
export function getTextCodec(format: string): TextCodec {
  return checkedByFormat[getUncheckedCodec(format).name as TextFormat];
}

const tagCodecOptions = z.strictObject({
  toolTags: z.record(z.string(), z.string()).optional(),
  fenceCode: z.boolean().optional(),
});

/** A tag codec with other tool tags or fenced code (see codecs/tags.ts), options checked. */
export function createTagCodec(options: TagCodecOptions = {}): TextCodec {
  const parsed = parse(tagCodecOptions, options, 'createTagCodec', 'options');
  return checkedCodec(tagCodecUnchecked(parsed), 'createTagCodec(...)');
}

const fromStepsOptions = z.strictObject({
  taskId: z.string().min(1),
  question: z.string().optional(),
  id: z.string().min(1).optional(),
  provenance: provenanceSchema.optional(),
  metadata: metadataSchema.optional(),
  salt: z.union([z.string(), z.number()]).optional(),
});
const fromTextOptions = fromStepsOptions.extend({ format: z.enum(textFormats) });
// What the builder reads of a codec's output (`issues` and other keys are kept, not refused).
const parsedStepsArg = z.looseObject({ steps: stepListSchema, finalAnswer: z.string().nullable() });

/**
 * A validated, sealed trajectory from parsed steps (see build-trajectory.ts), its arguments
 * checked first.
 */
export function trajectoryFromSteps(
  parsed: Pick<ParsedSteps, 'steps' | 'finalAnswer'>,
  options: TrajectoryFromStepsOptions,
): Trajectory {
  const entry = 'trajectoryFromSteps';
  return fromStepsUnchecked(
    parse(parsedStepsArg, parsed, entry, 'parsed'),
    parse(fromStepsOptions, options, entry, 'options'),
  );
}

/** Parse text in a text format into a validated, sealed trajectory, its arguments checked. */
export function trajectoryFromText(
  input: string,
  options: TrajectoryFromStepsOptions & { format: TextFormat },
): { trajectory: Trajectory; issues: ParseIssue[] } {
  const entry = 'trajectoryFromText';
  return fromTextUnchecked(text(input, entry), parse(fromTextOptions, options, entry, 'options'));
}

const stepsHolder = z.looseObject({ steps: stepListSchema });

/** Render a trajectory's steps as text in a text format, its arguments checked. */
export function trajectoryToText(
  trajectory: Pick<Trajectory, 'steps'>,
  format: TextFormat,
): string {
  const entry = 'trajectoryToText';
  // A sealed trajectory was checked when it was built and cannot have changed.
  const checked = isSealedTrajectory(trajectory)
    ? trajectory
    : parse(stepsHolder, trajectory, entry, 'trajectory');
  return getUncheckedCodec(parse(z.enum(textFormats), format, entry, 'format')).render(
    checked.steps,
  );
}

const aiSdkRenderOptions = z.strictObject({
  question: z.string().optional(),
  instruction: z.string().optional(),
  reasoningAs: z.enum(['text', 'reasoning']).optional(),
});

/** Steps to `ai` SDK messages (see codecs/ai-sdk-messages.ts), its arguments checked. */
export function renderAiSdkMessages(
  input: ReadonlyArray<Step>,
  options: { question?: string; instruction?: string; reasoningAs?: 'text' | 'reasoning' } = {},
): RenderedAiSdkMessage[] {
  const entry = 'renderAiSdkMessages';
  return renderAiSdkUnchecked(
    steps(input, entry),
    parse(aiSdkRenderOptions, options, entry, 'options') as typeof options,
  );
}

const openAiRenderOptions = z.strictObject({
  question: z.string().optional(),
  instruction: z.string().optional(),
  reasoningContent: z.boolean().optional(),
});

/** Steps to OpenAI chat messages (see codecs/openai-chat.ts), its arguments checked. */
export function renderOpenAiChat(
  input: ReadonlyArray<Step>,
  options: RenderOpenAiChatOptions = {},
): OpenAiChatMessage[] {
  const entry = 'renderOpenAiChat';
  return renderOpenAiUnchecked(
    steps(input, entry),
    parse(openAiRenderOptions, options, entry, 'options'),
  );
}
