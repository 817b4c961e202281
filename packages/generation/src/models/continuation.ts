import type {
  LanguageModelV4,
  LanguageModelV4CallOptions,
  LanguageModelV4Prompt,
  LanguageModelV4StreamPart,
} from '@ai-sdk/provider';
import { wrapLanguageModel } from 'ai';
import { GenerationConfigError } from '../errors.js';

/**
 * How an endpoint continues a trailing assistant message, which the text-tag protocol needs
 * after every tool result:
 * - `vllm`: vLLM / SGLang chat; the request carries `continue_final_message: true` and
 *   `add_generation_prompt: false` (without them the chat template closes the message and a
 *   new assistant turn begins);
 * - `completions`: `/v1/completions` on a prompt rendered client-side (continues by construction);
 * - `prefill`: servers that continue a final assistant message and echo it back as part of
 *   the content (llama.cpp's server): the echoed prefix is stripped;
 * - `native`: the model continues in place itself (the embedded llama.cpp model, cassettes);
 * - `none`: no way to continue (the OpenAI API): only `--protocol native` works.
 */
export type ContinuationMode = 'vllm' | 'completions' | 'prefill' | 'native' | 'none';

export const continuationModes: ReadonlyArray<ContinuationMode> = [
  'vllm',
  'completions',
  'prefill',
  'native',
  'none',
];

const modes = new WeakMap<object, ContinuationMode>();

/** Record how `model` continues an assistant message (resolvers and providers do this). */
export function markContinuation<M extends LanguageModelV4>(model: M, mode: ContinuationMode): M {
  modes.set(model, mode);
  return model;
}

/** How `model` continues an assistant message, if whoever built it said so. */
export function continuationOf(model: object): ContinuationMode | undefined {
  return modes.get(model);
}

/** The text of a trailing assistant message, or undefined when the prompt does not end in one. */
export function trailingAssistantText(prompt: LanguageModelV4Prompt): string | undefined {
  const last = prompt[prompt.length - 1];
  if (last?.role !== 'assistant') return undefined;
  return last.content.map((part) => (part.type === 'text' ? part.text : '')).join('');
}

/** The prompt a text-tag (or markdown) loop cannot send to an endpoint without continuation. */
export function noContinuationError(
  modelId: string,
  protocol: 'text-tags' | 'markdown' = 'text-tags',
): GenerationConfigError {
  const needs =
    protocol === 'markdown'
      ? 'which the markdown protocol needs after every output block'
      : 'which the text-tag protocol needs after every tool result';
  return new GenerationConfigError({
    message: `${modelId} cannot continue an assistant message (the OpenAI API has no prefill), ${needs}: use \`protocol\` native, or a server with a continuation mode (vllm:, compatible: with \`continuation\` completions|prefill)`,
  });
}

/**
 * vLLM / SGLang: ask the chat template to continue the final assistant message. The flags go
 * in the request body through the provider's options (`@ai-sdk/openai-compatible` passes
 * unknown option keys on as body fields), only when the prompt ends in an assistant message.
 */
export function withVllmContinuation(model: LanguageModelV4): LanguageModelV4 {
  const key = model.provider.split('.')[0]!;
  const wrapped = wrapLanguageModel({
    model,
    middleware: {
      specificationVersion: 'v4',
      transformParams: async ({ params }) => {
        if (trailingAssistantText(params.prompt) === undefined) return params;
        const existing = (params.providerOptions?.[key] ?? {}) as Record<string, never>;
        return {
          ...params,
          providerOptions: {
            ...params.providerOptions,
            [key]: { ...existing, continue_final_message: true, add_generation_prompt: false },
          },
        };
      },
    },
  });
  return markContinuation(wrapped, 'vllm');
}

/**
 * Prefill servers (llama.cpp): the final assistant message is continued, but the content
 * returned is the prefill plus the new text. Strip the echo so callers get only new text;
 * content that does not start with the prefill (a server that does not echo) is kept whole.
 */
export function withPrefillContinuation(model: LanguageModelV4): LanguageModelV4 {
  const wrapped = wrapLanguageModel({
    model,
    middleware: {
      specificationVersion: 'v4',
      wrapGenerate: async ({ doGenerate, params }) => {
        const result = await doGenerate();
        const prefix = trailingAssistantText(params.prompt);
        if (prefix === undefined || prefix === '') return result;
        let pending = prefix;
        const content = result.content.map((part) => {
          if (part.type !== 'text' || pending === '') return part;
          const stripped = stripEcho(part.text, pending);
          pending = stripped.pending;
          return { ...part, text: stripped.text };
        });
        return { ...result, content };
      },
      wrapStream: async ({ doStream, params }) => {
        const result = await doStream();
        const prefix = trailingAssistantText(params.prompt);
        if (prefix === undefined || prefix === '') return result;
        return { ...result, stream: result.stream.pipeThrough(echoStripper(prefix)) };
      },
    },
  });
  return markContinuation(wrapped, 'prefill');
}

function stripEcho(text: string, pending: string): { text: string; pending: string } {
  if (text.startsWith(pending)) return { text: text.slice(pending.length), pending: '' };
  if (pending.startsWith(text)) return { text: '', pending: pending.slice(text.length) };
  // Not an echo: the server did not repeat the prefill.
  return { text, pending: '' };
}

/** Holds text deltas back until they are known to be (or not be) the echoed prefill. */
function echoStripper(
  prefix: string,
): TransformStream<LanguageModelV4StreamPart, LanguageModelV4StreamPart> {
  let seen = '';
  let decided = false;
  const held: LanguageModelV4StreamPart[] = [];
  const release = (controller: TransformStreamDefaultController<LanguageModelV4StreamPart>) => {
    decided = true;
    const echoed = seen.startsWith(prefix);
    let skip = echoed ? prefix.length : 0;
    for (const part of held) {
      if (part.type !== 'text-delta' || skip === 0) {
        controller.enqueue(part);
        continue;
      }
      const cut = Math.min(skip, part.delta.length);
      skip -= cut;
      if (cut < part.delta.length) controller.enqueue({ ...part, delta: part.delta.slice(cut) });
    }
    held.length = 0;
  };
  return new TransformStream({
    transform(part, controller) {
      if (decided) return controller.enqueue(part);
      held.push(part);
      if (part.type === 'text-delta') {
        seen += part.delta;
        if (seen.length >= prefix.length || !prefix.startsWith(seen)) release(controller);
      } else if (part.type === 'finish') release(controller);
    },
    flush(controller) {
      if (!decided) release(controller);
    },
  });
}

/** Refuse a continuation request on an endpoint that cannot continue (defence in depth). */
export function withoutContinuation(model: LanguageModelV4): LanguageModelV4 {
  const refuse = (params: LanguageModelV4CallOptions) => {
    if (trailingAssistantText(params.prompt) !== undefined)
      throw noContinuationError(model.modelId);
  };
  const wrapped = wrapLanguageModel({
    model,
    middleware: {
      specificationVersion: 'v4',
      wrapGenerate: async ({ doGenerate, params }) => {
        refuse(params);
        return doGenerate();
      },
      wrapStream: async ({ doStream, params }) => {
        refuse(params);
        return doStream();
      },
    },
  });
  return markContinuation(wrapped, 'none');
}
