import {
  type LanguageModelV4Prompt,
  type LanguageModelV4ToolResultOutput,
  UnsupportedFunctionalityError,
} from '@ai-sdk/provider';

/** An earlier tool call, as Hugging Face chat templates read it from `message.tool_calls`. */
export interface TemplateToolCall {
  type: 'function';
  id: string;
  /** `arguments` is the input object: templates write it with `tojson`. */
  function: { name: string; arguments: unknown };
}

/** One chat turn as chat templates expect it (Hugging Face's message shape). */
export type ChatMessage =
  | { role: 'system' | 'user'; content: string }
  | { role: 'assistant'; content: string; tool_calls?: TemplateToolCall[] }
  | { role: 'tool'; content: string; tool_call_id: string; name: string };

/** The prompt as text turns; `continuation` is the trailing assistant text to continue in place. */
export interface ChatPrompt {
  messages: ChatMessage[];
  continuation: string | undefined;
}

export interface ChatPromptOptions {
  /**
   * Whether assistant tool calls and tool results may be rendered: only for templates with a
   * tool-call form (`detectToolCalling`). Otherwise they are refused.
   */
  toolMessages?: boolean;
}

/**
 * Flattens an ai SDK prompt into chat turns. A trailing assistant message without tool calls is
 * split off: it is continued in place (appended after the generation prompt) rather than closed
 * by the template. Files, and tool calls and results where the template has no form for them,
 * are refused rather than silently dropped.
 */
export function toChatPrompt(
  prompt: LanguageModelV4Prompt,
  options: ChatPromptOptions = {},
): ChatPrompt {
  const toolMessages = options.toolMessages ?? false;
  const messages: ChatMessage[] = [];
  prompt.forEach((message, index) => {
    const where = `prompt[${index}] (${message.role})`;
    switch (message.role) {
      case 'system':
        messages.push({ role: 'system', content: message.content });
        return;
      case 'user': {
        const texts = message.content.map((part, p) => {
          if (part.type === 'text') return part.text;
          throw unsupported(`${part.type} parts`, `${where}.content[${p}]`);
        });
        messages.push({ role: 'user', content: texts.join('') });
        return;
      }
      case 'assistant': {
        const texts: string[] = [];
        const calls: TemplateToolCall[] = [];
        message.content.forEach((part, p) => {
          if (part.type === 'text') texts.push(part.text);
          else if (part.type === 'tool-call' && toolMessages && part.providerExecuted !== true)
            calls.push({
              type: 'function',
              id: part.toolCallId,
              function: { name: part.toolName, arguments: part.input },
            });
          // Earlier reasoning is not re-sent to the model, as most chat templates drop it.
          else if (part.type !== 'reasoning')
            throw unsupported(`${part.type} parts`, `${where}.content[${p}]`);
        });
        messages.push({
          role: 'assistant',
          content: texts.join(''),
          ...(calls.length === 0 ? {} : { tool_calls: calls }),
        });
        return;
      }
      case 'tool':
        if (!toolMessages) throw unsupported('tool messages', where);
        // Approval responses are for provider-executed tools, which a local model has none of.
        for (const part of message.content)
          if (part.type === 'tool-result')
            messages.push({
              role: 'tool',
              content: resultText(part.output, where),
              tool_call_id: part.toolCallId,
              name: part.toolName,
            });
        return;
    }
  });
  const last = messages.at(-1);
  if (last?.role === 'assistant' && last.tool_calls === undefined) {
    messages.pop();
    return { messages, continuation: last.content };
  }
  return { messages, continuation: undefined };
}

/** A tool result as the text the template puts in the `tool` turn. */
function resultText(output: LanguageModelV4ToolResultOutput, where: string): string {
  switch (output.type) {
    case 'text':
    case 'error-text':
      return output.value;
    case 'json':
    case 'error-json':
      return JSON.stringify(output.value);
    case 'execution-denied':
      return output.reason ?? 'The tool call was not executed: the user denied it.';
    case 'content':
      return output.value
        .map((part) => {
          if (part.type === 'text') return part.text;
          throw unsupported(`${part.type} parts in tool results`, where);
        })
        .join('');
  }
}

function unsupported(what: string, where: string): UnsupportedFunctionalityError {
  return new UnsupportedFunctionalityError({
    functionality: what,
    message: `@autotraj/llama-cpp does not support ${what} (at ${where}); send text only`,
  });
}
