import {
  type PromptTemplate,
  type PromptTurns,
  promptTemplateSchema,
  type RenderedPrompt,
} from '@autotraj/trajectory';
import { objectWithMethods } from '@autotraj/trajectory/internal';
import type { ToolSet } from 'ai';
import { z } from 'zod';
import { aiToolsFromRuntimes as aiToolsUnchecked } from '../loop/native-loop.js';
import {
  markdownInstructions as markdownUnchecked,
  nativeInstructions as nativeUnchecked,
  tirInstructions as tirUnchecked,
} from '../loop/prompts.js';
import {
  type GenerationPromptOptions,
  generationPromptTurns as generationPromptTurnsUnchecked,
  generationPrompt as generationPromptUnchecked,
} from '../prompts/generation-prompt.js';
import { createLimiter as createLimiterUnchecked, type Limiter } from '../sampling/limiter.js';
import {
  parseGenerationInput as parse,
  promptValuesSchema,
  toolBudgetSchema,
} from './checked-models.js';

// The prompt builders, the ai SDK tool bridge and the limiter of the main entry check their
// arguments first (`GenerationConfigError` code `invalid_input` naming the function and the
// field; keys strict): a misspelt `maxToolCall` was a prompt promising "at most undefined".

const budget = toolBudgetSchema;
const toolNames = z.array(z.string());

/** The text-tag protocol's generation prompt (see loop/prompts.ts), options checked. */
export function tirInstructions(options: {
  toolNames: ReadonlyArray<string>;
  maxToolCalls: number;
}): string {
  const schema = z.strictObject({ toolNames, maxToolCalls: budget });
  return tirUnchecked(parse(schema, options, 'tirInstructions', 'options'));
}

const budgetOnly = z.strictObject({ maxToolCalls: budget });

/** The markdown protocol's generation prompt (see loop/prompts.ts), options checked. */
export function markdownInstructions(options: { maxToolCalls: number }): string {
  return markdownUnchecked(parse(budgetOnly, options, 'markdownInstructions', 'options'));
}

/** The native protocol's generation prompt (see loop/prompts.ts), options checked. */
export function nativeInstructions(options: { maxToolCalls: number }): string {
  return nativeUnchecked(parse(budgetOnly, options, 'nativeInstructions', 'options'));
}

// Loose at the top: callers pass their whole generation options (the loop's, a rollout's), of
// which these are the fields read; each is checked, and `promptValues` strictly.
const promptOptions = z.looseObject({
  question: z.string(),
  toolNames,
  protocol: z.enum(['text-tags', 'markdown', 'native']).optional(),
  maxToolCalls: budget.optional(),
  promptTemplate: promptTemplateSchema.optional(),
  promptValues: promptValuesSchema.optional(),
  instructions: z.string().optional(),
  prompt: z.string().optional(),
});

/** The turns `generateTrajectory` prompts with (see prompts/generation-prompt.ts), checked. */
export function generationPrompt(options: GenerationPromptOptions): {
  rendered: RenderedPrompt;
  template: PromptTemplate | null;
} {
  return generationPromptUnchecked(
    parse(promptOptions, options, 'generationPrompt', 'options') as GenerationPromptOptions,
  );
}

/** `generationPrompt`'s turns with the template's name, version and hash, options checked. */
export function generationPromptTurns(options: GenerationPromptOptions): PromptTurns | null {
  return generationPromptTurnsUnchecked(
    parse(promptOptions, options, 'generationPromptTurns', 'options') as GenerationPromptOptions,
  );
}

const bridgeOptions = z.strictObject({
  sessionId: z.string(),
  results: z.instanceof(Map).optional(),
});

/** `ai` SDK tools over `ToolRuntime`s (see loop/native-loop.ts), arguments checked. */
export function aiToolsFromRuntimes(
  runtimes: Parameters<typeof aiToolsUnchecked>[0],
  options: Parameters<typeof aiToolsUnchecked>[1],
): ToolSet {
  const entry = 'aiToolsFromRuntimes';
  parse(z.array(objectWithMethods('a tool runtime', 'run')), runtimes, entry, 'runtimes');
  // The caller's results map is kept (the bridge records into it).
  parse(bridgeOptions, options, entry, 'options');
  return aiToolsUnchecked(runtimes, options);
}

/** A counting semaphore (see sampling/limiter.ts), its concurrency checked. */
export function createLimiter(concurrency: number): Limiter {
  return createLimiterUnchecked(
    parse(z.number().int().min(1), concurrency, 'createLimiter', 'concurrency'),
  );
}
