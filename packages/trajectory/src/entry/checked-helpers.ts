import { z } from 'zod';
import {
  promptTemplateHash as hashUnchecked,
  type PromptRef,
  type PromptTemplate,
  promptRef as promptRefUnchecked,
  promptTemplateSchema,
  type RenderedPrompt,
  renderPromptTemplate as renderUnchecked,
} from '../contracts/prompt-template.js';
import { entryInputParser } from '../entry-input.js';
import { taskId as taskIdUnchecked, trajectoryId as trajectoryIdUnchecked } from '../ids.js';
import { taskSetDigest as digestUnchecked, type TaskSetDigest } from '../run-dir/shard-claim.js';
import { type SampleSeedOptions, sampleSeed as sampleSeedUnchecked } from '../sample-seed.js';
import type { ToolResultStep } from '../schemas/step.js';
import { type ToolRunOutput, toolResultStep as toolResultStepUnchecked } from '../tool-runtime.js';

// The id, seed, prompt and tool-result helpers of the main entry check their arguments first
// (`ValidationError` naming the function and the field; keys strict): a `sampleSeed` without
// its `taskId` seeded every task alike from the string "undefined", and a template or a result
// with a misspelt key was used with the key ignored.

const parse = entryInputParser((problem) => problem.error);

const seedOptions = z.strictObject({
  runSeed: z.number().int().refine(Number.isSafeInteger, 'expected a safe integer'),
  taskId: z.string().min(1),
  index: z.number().int().nonnegative().refine(Number.isSafeInteger, 'expected a safe integer'),
});

/** The seed of one sample (see sample-seed.ts), its options checked. */
export function sampleSeed(options: SampleSeedOptions): number {
  return sampleSeedUnchecked(parse(seedOptions, options, 'sampleSeed', 'options'));
}

const placeholderValues = z
  .record(z.string(), z.union([z.string(), z.number(), z.undefined()]))
  .and(z.looseObject({ question: z.string() }));

/** Fill a template's placeholders (see contracts/prompt-template.ts), both arguments checked. */
export function renderPromptTemplate(
  template: PromptTemplate,
  values: Parameters<typeof renderUnchecked>[1],
): RenderedPrompt {
  const entry = 'renderPromptTemplate';
  return renderUnchecked(
    parse(promptTemplateSchema, template, entry, 'template'),
    parse(placeholderValues, values, entry, 'values') as Parameters<typeof renderUnchecked>[1],
  );
}

/** SHA-256 of a template's canonical JSON, the template checked (defaults filled first). */
export function promptTemplateHash(template: PromptTemplate): string {
  return hashUnchecked(parse(promptTemplateSchema, template, 'promptTemplateHash', 'template'));
}

/** A template's name, version and hash, the template checked. */
export function promptRef(template: PromptTemplate): PromptRef {
  return promptRefUnchecked(parse(promptTemplateSchema, template, 'promptRef', 'template'));
}

const resultOptions = z.strictObject({
  callId: z.string().min(1),
  toolName: z.string().min(1),
  // A runtime's output may carry more than the step takes (left out of the step, as before).
  result: z.looseObject({
    output: z.string(),
    isError: z.boolean(),
    timedOut: z.boolean().optional(),
    durationMs: z.number().nonnegative(),
  }),
});

/** A tool-result step from a runtime's output, its options checked. */
export function toolResultStep(options: {
  callId: string;
  toolName: string;
  result: ToolRunOutput;
}): ToolResultStep {
  return toolResultStepUnchecked(
    parse(resultOptions, options, 'toolResultStep', 'options') as typeof options,
  );
}

const taskIdOptions = z.strictObject({
  question: z.string(),
  dataSource: z.string().optional(),
});

/** Id of a task from its data source and question, the options checked. */
export function taskId(options: { question: string; dataSource?: string }): string {
  return taskIdUnchecked(parse(taskIdOptions, options, 'taskId', 'options') as typeof options);
}

const trajectoryIdOptions = z.strictObject({
  taskId: z.string().min(1),
  steps: z.unknown(),
  model: z.string().optional(),
  salt: z.union([z.string(), z.number()]).optional(),
});

/** Id of a trajectory from its task, steps and model, the options checked. */
export function trajectoryId(options: Parameters<typeof trajectoryIdUnchecked>[0]): string {
  return trajectoryIdUnchecked(parse(trajectoryIdOptions, options, 'trajectoryId', 'options'));
}

const ids = z.custom<Iterable<unknown>>(
  (v) =>
    typeof v === 'object' &&
    v !== null &&
    typeof (v as Record<symbol, unknown>)[Symbol.iterator] === 'function',
  { message: 'expected an iterable of ids' },
);

/** Count and digest of a set of task ids (see run-dir/shard-claim.ts), each id checked. */
export function taskSetDigest(entries: Iterable<string>): TaskSetDigest {
  const entry = 'taskSetDigest';
  const list = [...parse(ids, entries, entry, 'entries')];
  return digestUnchecked(parse(z.array(z.string()), list, entry, 'entries'));
}
