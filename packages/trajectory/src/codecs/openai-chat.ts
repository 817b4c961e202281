import { z } from 'zod';
import { CodecError } from '../errors.js';
import type { JsonValue } from '../schemas/json-value.js';
import type { Step } from '../schemas/step.js';
import { excerpt, finalAnswerOf, type ParsedSteps, type ParseIssue } from './codec.js';
import { promoteFinalText } from './message-steps.js';

const contentSchema = z
  .union([
    z.string(),
    z.array(z.looseObject({ type: z.string(), text: z.string().optional() })),
    z.null(),
  ])
  .optional();

const toolCallSchema = z.object({
  id: z.string(),
  type: z.literal('function').default('function'),
  function: z.object({ name: z.string(), arguments: z.string() }),
});

export const openAiChatMessageSchema = z.discriminatedUnion('role', [
  z.object({ role: z.enum(['system', 'developer']), content: contentSchema }),
  z.object({ role: z.literal('user'), content: contentSchema }),
  z.object({
    role: z.literal('assistant'),
    content: contentSchema,
    /** Reasoning as served by vLLM / DeepSeek-style APIs. */
    reasoning_content: z.string().nullable().optional(),
    tool_calls: z.array(toolCallSchema).optional(),
    /** OpenAI fine-tuning: 0 excludes this message from the loss. */
    weight: z.union([z.literal(0), z.literal(1)]).optional(),
  }),
  z.object({ role: z.literal('tool'), tool_call_id: z.string(), content: contentSchema }),
]);

export type OpenAiChatMessage = z.input<typeof openAiChatMessageSchema>;

function contentText(content: z.infer<typeof contentSchema>): string {
  if (content === undefined || content === null) return '';
  if (typeof content === 'string') return content;
  return content.map((part) => part.text ?? '').join('');
}

/** OpenAI chat messages with `tool_calls` and `tool` messages to steps. */
export function parseOpenAiChat(
  messages: ReadonlyArray<unknown>,
): ParsedSteps & { question: string | null; instruction: string | null } {
  const issues: ParseIssue[] = [];
  let steps: Step[] = [];
  let question: string | null = null;
  let instruction: string | null = null;
  const toolNames = new Map<string, string>();

  messages.forEach((raw, index) => {
    const parsed = openAiChatMessageSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const path = ['messages', index, ...(issue?.path ?? [])]
        .map((k) => (typeof k === 'number' ? `[${k}]` : `.${String(k)}`))
        .join('')
        .replace(/^\./, '');
      throw new CodecError({
        codec: 'openai-chat',
        message: issue?.message ?? 'invalid message',
        location: { path },
      });
    }
    const message = parsed.data;
    switch (message.role) {
      case 'system':
      case 'developer':
        instruction = contentText(message.content);
        break;
      case 'user':
        question = contentText(message.content);
        break;
      case 'assistant': {
        if (message.reasoning_content)
          steps.push({ type: 'think', text: message.reasoning_content });
        const text = contentText(message.content);
        if (text !== '') steps.push({ type: 'think', text });
        for (const call of message.tool_calls ?? []) {
          let input: JsonValue;
          try {
            input = JSON.parse(call.function.arguments) as JsonValue;
          } catch {
            issues.push({
              code: 'invalid-tool-input',
              message: `tool call ${call.id} has arguments that are not JSON; kept as a string`,
              offset: index,
              excerpt: excerpt(call.function.arguments),
            });
            input = call.function.arguments;
          }
          toolNames.set(call.id, call.function.name);
          steps.push({ type: 'tool-call', callId: call.id, toolName: call.function.name, input });
        }
        break;
      }
      case 'tool': {
        const toolName = toolNames.get(message.tool_call_id);
        if (toolName === undefined) {
          issues.push({
            code: 'orphan-result',
            message: `tool message for unknown call ${message.tool_call_id}; left out of the steps`,
            offset: index,
            excerpt: excerpt(contentText(message.content)),
          });
          break;
        }
        steps.push({
          type: 'tool-result',
          callId: message.tool_call_id,
          toolName,
          output: contentText(message.content),
          isError: false,
        });
        break;
      }
    }
  });
  steps = promoteFinalText(steps);
  return { steps, finalAnswer: finalAnswerOf(steps), issues, question, instruction };
}

export interface RenderOpenAiChatOptions {
  question?: string | undefined;
  instruction?: string | undefined;
  /** Put think steps into `reasoning_content` instead of `content`. Default false. */
  reasoningContent?: boolean | undefined;
}

/**
 * Steps to OpenAI chat messages: model text and calls form assistant messages (calls in
 * `tool_calls`, inputs JSON-encoded), each result a `tool` message.
 */
export function renderOpenAiChat(
  steps: ReadonlyArray<Step>,
  options: RenderOpenAiChatOptions = {},
): OpenAiChatMessage[] {
  const messages: OpenAiChatMessage[] = [];
  if (options.instruction !== undefined)
    messages.push({ role: 'system', content: options.instruction });
  if (options.question !== undefined) messages.push({ role: 'user', content: options.question });
  type Assistant = Extract<OpenAiChatMessage, { role: 'assistant' }>;
  let current: Assistant | null = null;

  const assistant = (): Assistant => {
    // Text after a tool call in the same turn starts a new assistant message: OpenAI puts
    // content before tool_calls, so later text must not merge into it.
    if (current === null || (current.tool_calls?.length ?? 0) > 0) {
      current = { role: 'assistant', content: null };
      messages.push(current);
    }
    return current;
  };

  for (const step of steps) {
    switch (step.type) {
      case 'think':
      case 'answer': {
        const message = assistant();
        if (step.type === 'think' && options.reasoningContent) {
          message.reasoning_content = (message.reasoning_content ?? '') + step.text;
        } else if (typeof message.content === 'string') {
          // Two texts in one message cannot stay apart in OpenAI's format: start a new message.
          current = { role: 'assistant', content: step.text };
          messages.push(current);
        } else {
          message.content = step.text;
        }
        break;
      }
      case 'tool-call': {
        const message: Assistant = current ?? assistant();
        message.tool_calls = [
          ...(message.tool_calls ?? []),
          {
            id: step.callId,
            type: 'function',
            function: { name: step.toolName, arguments: JSON.stringify(step.input) },
          },
        ];
        break;
      }
      case 'tool-result':
        current = null;
        messages.push({ role: 'tool', tool_call_id: step.callId, content: step.output });
        break;
    }
  }
  return messages;
}
