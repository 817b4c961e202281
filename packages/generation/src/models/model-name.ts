import type { ModelLike } from './resilient-model.js';

/** `openai:gpt-4o-mini` style name for provenance (`openai.chat` -> `openai`). */
export function modelNameOf(model: ModelLike): string {
  const provider = model.provider.split('.')[0] ?? model.provider;
  return `${provider}:${model.modelId}`;
}
