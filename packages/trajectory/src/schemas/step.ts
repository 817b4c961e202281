import { z } from 'zod';
import { jsonValueSchema } from './json-value.js';

/** Model-written reasoning or prose between tool calls. */
export const thinkStepSchema = z.object({
  type: z.literal('think'),
  text: z.string(),
});

/**
 * A tool invocation written by the model. `callId` links it to its `tool-result` step.
 * `input` is the tool's JSON input (`{ code }` for python, `{ expression }` for the calculator,
 * `{ query }` for search).
 */
export const toolCallStepSchema = z.object({
  type: z.literal('tool-call'),
  callId: z.string().min(1),
  toolName: z.string().min(1),
  input: jsonValueSchema,
});

/** What a tool returned; written by the tool, never by the model (loss-masked in training). */
export const toolResultStepSchema = z.object({
  type: z.literal('tool-result'),
  callId: z.string().min(1),
  toolName: z.string().min(1),
  output: z.string(),
  isError: z.boolean().default(false),
  timedOut: z.boolean().optional(),
  durationMs: z.number().nonnegative().optional(),
});

/** The final answer: the text as written and, where it could be extracted, the answer itself. */
export const answerStepSchema = z.object({
  type: z.literal('answer'),
  text: z.string(),
  answer: z.string().optional(),
});

export const stepSchema = z.discriminatedUnion('type', [
  thinkStepSchema,
  toolCallStepSchema,
  toolResultStepSchema,
  answerStepSchema,
]);

/** A list of steps, as the codecs render them (entry checks; guards.ts has its fast path). */
export const stepListSchema = z.array(stepSchema);

export type ThinkStep = z.infer<typeof thinkStepSchema>;
export type ToolCallStep = z.infer<typeof toolCallStepSchema>;
export type ToolResultStep = z.infer<typeof toolResultStepSchema>;
export type AnswerStep = z.infer<typeof answerStepSchema>;
export type Step = z.infer<typeof stepSchema>;
/** A step as accepted on input (defaults such as `isError` may be omitted). */
export type StepInput = z.input<typeof stepSchema>;
export type StepType = Step['type'];
