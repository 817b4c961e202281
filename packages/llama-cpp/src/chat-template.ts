import { Template } from '@huggingface/jinja';
import { LlamaCppError } from './errors.js';
import type { ChatPrompt } from './prompt.js';
import type { TemplateTool } from './tool-plan.js';
import { detectToolCalling, type ToolCallingSupport } from './tool-template.js';

/**
 * Used when the GGUF carries no chat template (base models such as Gemma-3-270M): a plain
 * transcript a base model can continue. The model adds {@link PLAIN_TRANSCRIPT_TURN_END} as a stop
 * sequence with it: a base model has no end-of-turn token, and otherwise writes the user's next
 * line itself, and the next, until it runs out of tokens.
 */
export const PLAIN_TRANSCRIPT_TEMPLATE =
  "{% for message in messages %}{% if message['role'] == 'system' %}{{ message['content'] + '\\n\\n' }}" +
  "{% elif message['role'] == 'user' %}{{ 'User: ' + message['content'] + '\\n' }}" +
  "{% else %}{{ 'Assistant: ' + message['content'] + '\\n' }}{% endif %}{% endfor %}" +
  "{% if add_generation_prompt %}{{ 'Assistant: ' }}{% endif %}";

/** Where an assistant turn ends in {@link PLAIN_TRANSCRIPT_TEMPLATE}: the next user line. */
export const PLAIN_TRANSCRIPT_TURN_END = '\nUser:';

export interface ChatTemplateOptions {
  /** The Jinja source (the GGUF's `tokenizer.chat_template`, or an override). */
  source: string;
  /** Where the template came from, for error messages. */
  origin: string;
  /** The model's EOS text, for templates that print it. */
  eosToken?: string;
}

/** A compiled chat template that renders an ai SDK prompt into the model's prompt text. */
export class ChatTemplate {
  readonly source: string;
  readonly origin: string;
  /** Whether the template can carry native tool calls; read from its source. */
  readonly toolCalling: ToolCallingSupport;
  readonly #template: Template;
  readonly #eosToken: string;

  constructor(options: ChatTemplateOptions) {
    this.source = options.source;
    this.origin = options.origin;
    this.#eosToken = options.eosToken ?? '';
    this.toolCalling = detectToolCalling(options.source);
    try {
      this.#template = new Template(options.source);
    } catch (cause) {
      throw new LlamaCppError({
        code: 'chat_template_failed',
        message: `${options.origin}: the chat template does not parse: ${(cause as Error).message}`,
        cause,
      });
    }
  }

  /**
   * The prompt text: the turns with the generation prompt, then the text of a trailing
   * assistant message verbatim, so the model continues that message rather than opening a new one.
   * `tools` go into the template's `tools` variable (left out when there are none: templates test
   * `if tools`).
   */
  render(prompt: ChatPrompt, options: { tools?: TemplateTool[] | undefined } = {}): string {
    try {
      const rendered = this.#template.render({
        messages: prompt.messages,
        ...(options.tools === undefined || options.tools.length === 0
          ? {}
          : { tools: options.tools }),
        add_generation_prompt: true,
        // Empty: the tokenizer adds BOS itself when the file asks for it, so a template that
        // prints `bos_token` would double it.
        bos_token: '',
        eos_token: this.#eosToken,
      });
      return rendered + (prompt.continuation ?? '');
    } catch (cause) {
      throw new LlamaCppError({
        code: 'chat_template_failed',
        message: `${this.origin}: the chat template failed to render: ${(cause as Error).message}`,
        cause,
      });
    }
  }
}
