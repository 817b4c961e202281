import {
  type PromptTemplate,
  type PromptTurns,
  promptTemplateSchema,
  type RenderedPrompt,
  type Task,
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
  type ChatTemplate,
  jinjaChatTemplate as jinjaUnchecked,
  loadChatTemplate as loadChatTemplateUnchecked,
} from '../models/chat-template.js';
import {
  type GenerationPromptOptions,
  generationPromptTurns as generationPromptTurnsUnchecked,
  generationPrompt as generationPromptUnchecked,
} from '../prompts/generation-prompt.js';
import { createLimiter as createLimiterUnchecked, type Limiter } from '../sampling/limiter.js';
import { readTasksJsonl as readTasksUnchecked } from '../tasks/tasks-file.js';
import {
  parseGenerationInput as parse,
  promptValuesSchema,
  toolBudgetSchema,
} from './checked-models.js';

// The prompt builders, the ai SDK tool bridge, the limiter, the task reader and the Jinja
// template of the main entry check their
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

const tasksOptions = z.strictObject({
  limit: z.number().int().nonnegative().optional(),
  dataSource: z.string().optional(),
});

/** Tasks from a JSONL file (see tasks/tasks-file.ts), path and options checked when called. */
export function readTasksJsonl(
  path: string,
  options: { limit?: number; dataSource?: string } = {},
): AsyncGenerator<Task> {
  const entry = 'readTasksJsonl';
  parse(z.string().min(1), path, entry, 'path');
  // The reader's own generator: no extra step per task.
  return readTasksUnchecked(path, parse(tasksOptions, options, entry, 'options') as typeof options);
}

/** A Jinja chat template (see models/chat-template.ts), source and options checked. */
export function jinjaChatTemplate(
  source: string,
  options: { eosToken?: string } = {},
): ChatTemplate {
  const entry = 'jinjaChatTemplate';
  return jinjaUnchecked(
    parse(z.string(), source, entry, 'source'),
    parse(z.strictObject({ eosToken: z.string().optional() }), options, entry, 'options') as {
      eosToken?: string;
    },
  );
}

/**
 * A chat template from a file or `chatml` (see models/chat-template.ts), the source checked
 * (was a read of the file "undefined").
 */
export function loadChatTemplate(source: string): ChatTemplate {
  return loadChatTemplateUnchecked(parse(z.string().min(1), source, 'loadChatTemplate', 'source'));
}
