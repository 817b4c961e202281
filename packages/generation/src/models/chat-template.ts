import { readFileSync } from 'node:fs';
import type { LanguageModelV4Prompt } from '@ai-sdk/provider';
import { Template } from '@huggingface/jinja';
import { GenerationConfigError } from '../errors.js';

/** A chat message as chat templates receive it. */
export interface TemplateMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/**
 * Renders the conversation up to and including the generation prompt; a partial final
 * assistant message is appended raw after it, so the model continues that text.
 */
export type ChatTemplate = (messages: ReadonlyArray<TemplateMessage>) => string;

/** ChatML, the template of Qwen2.5 (the paper's models) and SmolLM2. */
export const chatmlTemplate: ChatTemplate = (messages) =>
  `${messages.map((m) => `<|im_start|>${m.role}\n${m.content}<|im_end|>\n`).join('')}<|im_start|>assistant\n`;

/**
 * A Jinja chat template (Hugging Face `chat_template`), rendered with the generation prompt.
 * `bos_token` renders empty: servers add BOS themselves when the model asks for it.
 */
export function jinjaChatTemplate(
  source: string,
  options: { eosToken?: string } = {},
): ChatTemplate {
  let template: Template;
  try {
    template = new Template(source);
  } catch (cause) {
    throw new GenerationConfigError({
      message: `invalid chat template: ${(cause as Error).message}`,
      cause,
    });
  }
  return (messages) =>
    template.render({
      messages,
      add_generation_prompt: true,
      bos_token: '',
      eos_token: options.eosToken ?? '',
    });
}

/**
 * A chat template from a file: a model's `tokenizer_config.json` (its `chat_template` field,
 * a string or the `default` of a list) or a `.jinja` file; `chatml` names the built-in one.
 */
export function loadChatTemplate(source: string): ChatTemplate {
  if (source === 'chatml') return chatmlTemplate;
  let text: string;
  try {
    text = readFileSync(source, 'utf8');
  } catch (cause) {
    throw new GenerationConfigError({
      message: `cannot read chat template ${source}: ${(cause as Error).message}`,
      cause,
    });
  }
  if (!source.endsWith('.json')) return jinjaChatTemplate(text);
  let config: { chat_template?: unknown; eos_token?: unknown };
  try {
    config = JSON.parse(text) as typeof config;
  } catch (cause) {
    throw new GenerationConfigError({ message: `${source}: not valid JSON`, cause });
  }
  const raw = config.chat_template;
  const picked = Array.isArray(raw)
    ? (raw as Array<{ name?: string; template?: string }>).find((t) => t.name === 'default')
        ?.template
    : raw;
  if (typeof picked !== 'string')
    throw new GenerationConfigError({
      message: `${source}: field chat_template: expected a template string (or a list with a "default" entry)`,
    });
  const eos =
    typeof config.eos_token === 'string'
      ? config.eos_token
      : ((config.eos_token as { content?: string } | undefined)?.content ?? '');
  return jinjaChatTemplate(picked, { eosToken: eos });
}

/**
 * The prompt as template messages plus the partial assistant text that follows the
 * generation prompt. Tool messages and non-text parts have no place in a raw prompt.
 */
export function splitPrompt(prompt: LanguageModelV4Prompt): {
  messages: TemplateMessage[];
  assistantPrefix: string;
} {
  const messages: TemplateMessage[] = [];
  prompt.forEach((message, index) => {
    if (message.role === 'system') {
      messages.push({ role: 'system', content: message.content });
      return;
    }
    if (message.role === 'tool')
      throw new GenerationConfigError({
        message: `prompt message ${index}: tool messages cannot be sent to a completions endpoint; use the text-tag protocol`,
      });
    const parts = message.content.map((part) => {
      if (part.type !== 'text')
        throw new GenerationConfigError({
          message: `prompt message ${index}: a ${part.type} part cannot be sent to a completions endpoint`,
        });
      return part.text;
    });
    messages.push({ role: message.role, content: parts.join('') });
  });
  const last = messages[messages.length - 1];
  if (last?.role !== 'assistant') return { messages, assistantPrefix: '' };
  return { messages: messages.slice(0, -1), assistantPrefix: last.content };
}
