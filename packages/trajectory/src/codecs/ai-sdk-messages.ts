import { z } from 'zod';
import { CodecError } from '../errors.js';
import { type JsonValue, jsonValueSchema } from '../schemas/json-value.js';
import type { Step } from '../schemas/step.js';
import { finalAnswerOf, type ParsedSteps, type ParseIssue } from './codec.js';
import { outputToText, promoteFinalText } from './message-steps.js';

/*
 * Structural zod mirrors of the `ai` SDK's `ModelMessage` (the parts a trajectory uses), so
 * this package validates messages without depending on `ai` at run time. Unknown part types
 * are kept by `passthrough` parsing and reported as issues.
 */
const textPart = z.object({ type: z.literal('text'), text: z.string() });
const reasoningPart = z.object({ type: z.literal('reasoning'), text: z.string() });
const toolCallPart = z.object({
  type: z.literal('tool-call'),
  toolCallId: z.string(),
  toolName: z.string(),
  input: z.unknown(),
});
const toolResultOutput = z.union([
  z.object({ type: z.literal('text'), value: z.string() }),
  z.object({ type: z.literal('json'), value: z.unknown() }),
  z.object({ type: z.literal('error-text'), value: z.string() }),
  z.object({ type: z.literal('error-json'), value: z.unknown() }),
  z.object({ type: z.literal('execution-denied'), reason: z.string().optional() }),
  z.object({ type: z.literal('content'), value: z.array(z.looseObject({ type: z.string() })) }),
]);
const toolResultPart = z.object({
  type: z.literal('tool-result'),
  toolCallId: z.string(),
  toolName: z.string(),
  output: toolResultOutput,
});
const otherPart = z.looseObject({ type: z.string() });

export const aiSdkMessageSchema = z.discriminatedUnion('role', [
  z.object({ role: z.literal('system'), content: z.string() }),
  z.object({ role: z.literal('user'), content: z.union([z.string(), z.array(otherPart)]) }),
  z.object({
    role: z.literal('assistant'),
    content: z.union([
      z.string(),
      z.array(z.union([textPart, reasoningPart, toolCallPart, toolResultPart, otherPart])),
    ]),
  }),
  z.object({ role: z.literal('tool'), content: z.array(z.union([toolResultPart, otherPart])) }),
]);

/** The subset of the `ai` SDK's `ModelMessage` that trajectories use. */
export type AiSdkMessage = z.infer<typeof aiSdkMessageSchema>;
export type AiSdkToolResultOutput = z.infer<typeof toolResultOutput>;

function toJson(value: unknown): JsonValue {
  const parsed = jsonValueSchema.safeParse(value);
  return parsed.success ? parsed.data : JSON.parse(JSON.stringify(value ?? null));
}

function resultStep(part: z.infer<typeof toolResultPart>): Step {
  const output = part.output;
  const base = { type: 'tool-result' as const, callId: part.toolCallId, toolName: part.toolName };
  switch (output.type) {
    case 'text':
      return { ...base, output: output.value, isError: false };
    case 'json':
      return { ...base, output: outputToText(output.value), isError: false };
    case 'error-text':
      return { ...base, output: output.value, isError: true };
    case 'error-json':
      return { ...base, output: outputToText(output.value), isError: true };
    case 'execution-denied':
      return { ...base, output: output.reason ?? 'execution denied', isError: true };
    case 'content':
      return {
        ...base,
        output: output.value
          .map((item) => (typeof item.text === 'string' ? item.text : `[${item.type}]`))
          .join(''),
        isError: false,
      };
  }
}

/**
 * `ai` SDK messages (e.g. `[...prompt, ...result.responseMessages]`) to steps. System and
 * user messages are the prompt and are skipped; the question is returned separately.
 */
export function parseAiSdkMessages(
  messages: ReadonlyArray<unknown>,
): ParsedSteps & { question: string | null; instruction: string | null } {
  const issues: ParseIssue[] = [];
  let steps: Step[] = [];
  let question: string | null = null;
  let instruction: string | null = null;

  messages.forEach((raw, index) => {
    const parsed = aiSdkMessageSchema.safeParse(raw);
    if (!parsed.success) {
      throw new CodecError({
        codec: 'ai-sdk',
        message: parsed.error.issues[0]?.message ?? 'invalid message',
        location: { path: `messages[${index}]` },
      });
    }
    const message = parsed.data;
    if (message.role === 'system') {
      instruction = message.content;
      return;
    }
    if (message.role === 'user') {
      question =
        typeof message.content === 'string'
          ? message.content
          : message.content.map((p) => (typeof p.text === 'string' ? p.text : '')).join('');
      return;
    }
    const parts =
      typeof message.content === 'string'
        ? [{ type: 'text' as const, text: message.content }]
        : message.content;
    for (const part of parts) {
      switch (part.type) {
        case 'text':
        case 'reasoning':
          if (typeof part.text === 'string' && part.text !== '')
            steps.push({ type: 'think', text: part.text });
          break;
        case 'tool-call': {
          const call = part as z.infer<typeof toolCallPart>;
          steps.push({
            type: 'tool-call',
            callId: call.toolCallId,
            toolName: call.toolName,
            input: toJson(call.input),
          });
          break;
        }
        case 'tool-result':
          steps.push(resultStep(part as z.infer<typeof toolResultPart>));
          break;
        default:
          issues.push({
            code: 'unsupported-part',
            message: `message part "${part.type}" is not part of a trajectory`,
            offset: index,
          });
      }
    }
  });
  steps = promoteFinalText(steps);
  return { steps, finalAnswer: finalAnswerOf(steps), issues, question, instruction };
}

/**
 * The messages `renderAiSdkMessages` writes: the parts a trajectory produces, each of a shape
 * the `ai` SDK's `ModelMessage` accepts, so the output goes into `generateText({ messages })`
 * without a cast (checked by ai-sdk-steps.test-d.ts).
 */
export type RenderedAiSdkMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string }
  | {
      role: 'assistant';
      content: Array<
        | { type: 'text' | 'reasoning'; text: string }
        | { type: 'tool-call'; toolCallId: string; toolName: string; input: JsonValue }
      >;
    }
  | {
      role: 'tool';
      content: Array<{
        type: 'tool-result';
        toolCallId: string;
        toolName: string;
        output: { type: 'text' | 'error-text'; value: string };
      }>;
    };

/**
 * Steps to `ai` SDK messages: one assistant message per run of model output, one tool message
 * per run of results. Prepend the prompt with `question` / `instruction`.
 */
export function renderAiSdkMessages(
  steps: ReadonlyArray<Step>,
  options: { question?: string; instruction?: string; reasoningAs?: 'text' | 'reasoning' } = {},
): RenderedAiSdkMessage[] {
  const messages: RenderedAiSdkMessage[] = [];
  if (options.instruction !== undefined)
    messages.push({ role: 'system', content: options.instruction });
  if (options.question !== undefined) messages.push({ role: 'user', content: options.question });
  let assistant: Extract<RenderedAiSdkMessage, { role: 'assistant' }>['content'] | null = null;
  let tool: Extract<RenderedAiSdkMessage, { role: 'tool' }>['content'] | null = null;
  const reasoningType = options.reasoningAs ?? 'text';

  for (const step of steps) {
    if (step.type === 'tool-result') {
      assistant = null;
      if (tool === null) {
        tool = [];
        messages.push({ role: 'tool', content: tool });
      }
      tool.push({
        type: 'tool-result',
        toolCallId: step.callId,
        toolName: step.toolName,
        output: step.isError
          ? { type: 'error-text', value: step.output }
          : { type: 'text', value: step.output },
      });
      continue;
    }
    tool = null;
    if (assistant === null) {
      assistant = [];
      messages.push({ role: 'assistant', content: assistant });
    }
    if (step.type === 'think') assistant.push({ type: reasoningType, text: step.text });
    else if (step.type === 'answer') assistant.push({ type: 'text', text: step.text });
    else
      assistant.push({
        type: 'tool-call',
        toolCallId: step.callId,
        toolName: step.toolName,
        input: step.input,
      });
  }
  return messages;
}

/**
 * What `parseAiSdkSteps` reads of an `ai` SDK `StepResult` (`generateText(...).steps[i]`).
 * Structural, so this package needs no `ai` at run time; `StepResult` fits it as it is (the
 * type test in ai-sdk-steps.test-d.ts fails if it stops fitting). Parts are only required to
 * have a `type`: their fields are read by presence, so unknown parts are reported, not rejected.
 */
export interface AiSdkStepLike {
  readonly content: ReadonlyArray<{ readonly type: string }>;
}

function stringField(part: object, key: 'text' | 'toolCallId' | 'toolName'): string | undefined {
  const value: unknown = Reflect.get(part, key);
  return typeof value === 'string' ? value : undefined;
}

function unknownField(part: object, key: 'input' | 'output' | 'error'): unknown {
  return Reflect.get(part, key);
}

/**
 * Steps of a `generateText` / `streamText` run (`result.steps`) to trajectory steps. Executed
 * tool results and tool errors are both kept; errors are flagged.
 */
export function parseAiSdkSteps(runSteps: ReadonlyArray<AiSdkStepLike>): ParsedSteps {
  const issues: ParseIssue[] = [];
  let steps: Step[] = [];
  runSteps.forEach((runStep, index) => {
    for (const part of runStep.content) {
      const call = () => ({
        callId: String(stringField(part, 'toolCallId')),
        toolName: String(stringField(part, 'toolName')),
      });
      switch (part.type) {
        case 'text':
        case 'reasoning': {
          const text = stringField(part, 'text');
          if (text !== undefined && text !== '') steps.push({ type: 'think', text });
          break;
        }
        case 'tool-call':
          steps.push({ type: 'tool-call', ...call(), input: toJson(unknownField(part, 'input')) });
          break;
        case 'tool-result':
          steps.push({
            type: 'tool-result',
            ...call(),
            output: outputToText(unknownField(part, 'output')),
            isError: false,
          });
          break;
        case 'tool-error': {
          const error = unknownField(part, 'error');
          const message = error instanceof Error ? error.message : outputToText(error);
          steps.push({ type: 'tool-result', ...call(), output: message, isError: true });
          break;
        }
        default:
          issues.push({
            code: 'unsupported-part',
            message: `step part "${part.type}" is not part of a trajectory`,
            offset: index,
          });
      }
    }
  });
  steps = promoteFinalText(steps);
  return { steps, finalAnswer: finalAnswerOf(steps), issues };
}
