import { type LanguageModelV4Prompt, UnsupportedFunctionalityError } from '@ai-sdk/provider';

/** One chat turn as chat templates expect it. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** The prompt as text turns; `continuation` is the trailing assistant text to continue in place. */
export interface ChatPrompt {
  messages: ChatMessage[];
  continuation: string | undefined;
}

/**
 * Flattens an ai SDK prompt into text turns. A trailing assistant message is split off: it is
 * continued in place (appended after the generation prompt) rather than closed by the template.
 * Files, tool calls and tool results have no text form in a plain chat template, so they are
 * refused rather than silently dropped.
 */
export function toChatPrompt(prompt: LanguageModelV4Prompt): ChatPrompt {
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
        message.content.forEach((part, p) => {
          if (part.type === 'text') texts.push(part.text);
          // Earlier reasoning is not re-sent to the model, as most chat templates drop it.
          else if (part.type !== 'reasoning')
            throw unsupported(`${part.type} parts`, `${where}.content[${p}]`);
        });
        messages.push({ role: 'assistant', content: texts.join('') });
        return;
      }
      case 'tool':
        throw unsupported('tool messages', where);
    }
  });
  const last = messages.at(-1);
  if (last?.role === 'assistant') {
    messages.pop();
    return { messages, continuation: last.content };
  }
  return { messages, continuation: undefined };
}

function unsupported(what: string, where: string): UnsupportedFunctionalityError {
  return new UnsupportedFunctionalityError({
    functionality: what,
    message: `@autotraj/llama-cpp does not support ${what} (at ${where}); send text only`,
  });
}
