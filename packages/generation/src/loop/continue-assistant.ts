import type { LanguageModelV4, LanguageModelV4Prompt } from '@ai-sdk/provider';
import { callSettings } from './call-settings.js';
import type { GenerateTrajectoryOptions } from './types.js';
import type { UsageTotals } from './usage.js';

/**
 * One completion of a TIR loop: the system turn (if any), the user turn and the assistant text
 * so far (continued in place), with the loop's stop sequences. The provider is called directly:
 * these loops need no tool plumbing, and skipping generateText's per-call machinery halves the
 * CPU cost of a call at high concurrency.
 */
export async function continueAssistant(options: {
  model: LanguageModelV4;
  generation: GenerateTrajectoryOptions;
  instructions: string | undefined;
  prompt: string;
  text: string;
  stopSequences: string[];
}): Promise<{ text: string; finishReason: string; usage: UsageTotals; ms: number }> {
  const prompt: LanguageModelV4Prompt = [
    ...(options.instructions === undefined
      ? []
      : [{ role: 'system' as const, content: options.instructions }]),
    { role: 'user', content: [{ type: 'text', text: options.prompt }] },
  ];
  if (options.text !== '')
    prompt.push({ role: 'assistant', content: [{ type: 'text', text: options.text }] });
  const started = performance.now();
  const completion = await options.model.doGenerate({
    prompt,
    stopSequences: options.stopSequences,
    ...callSettings(options.generation),
  });
  const inputTokens = completion.usage.inputTokens.total;
  const outputTokens = completion.usage.outputTokens.total;
  return {
    text: completion.content.map((part) => (part.type === 'text' ? part.text : '')).join(''),
    finishReason: completion.finishReason.unified,
    usage: {
      inputTokens,
      outputTokens,
      totalTokens:
        inputTokens === undefined && outputTokens === undefined
          ? undefined
          : (inputTokens ?? 0) + (outputTokens ?? 0),
    },
    ms: performance.now() - started,
  };
}
