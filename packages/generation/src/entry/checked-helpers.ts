import type { LanguageModelV4, LanguageModelV4CallOptions } from '@ai-sdk/provider';
import type { PromptTemplate } from '@autotraj/trajectory';
import { objectWithMethods } from '@autotraj/trajectory/internal';
import { z } from 'zod';
import type { Protocol } from '../loop/types.js';
import { requestKey as requestKeyUnchecked } from '../models/cassette.js';
import {
  type ContinuationMode,
  continuationModes,
  markContinuation as markUnchecked,
  withoutContinuation as withoutUnchecked,
  withPrefillContinuation as withPrefillUnchecked,
  withVllmContinuation as withVllmUnchecked,
} from '../models/continuation.js';
import {
  defaultPrompt as defaultPromptUnchecked,
  resolvePrompt as resolvePromptUnchecked,
} from '../prompts/registry.js';
import {
  formatShard as formatShardUnchecked,
  isInShard as isInShardUnchecked,
  type Shard,
  shardIndexOf as shardIndexOfUnchecked,
} from '../tasks/shard.js';
import { parseGenerationInput as parse } from './checked-models.js';

// The shard, prompt-registry, continuation and cassette-key helpers of the main entry check
// their arguments first (`GenerationConfigError` code `invalid_input` naming the function and
// the field): a shard with a misspelt `indx` put every task out of it, a count of 0 sent every
// task to shard NaN.

const protocol = z.enum(['text-tags', 'markdown', 'native']);
const kind = z.enum(['generation', 'repair']);
const model = objectWithMethods<LanguageModelV4>('a language model', 'doGenerate');
const whole = z
  .number()
  .int()
  .nonnegative()
  .refine(Number.isSafeInteger, 'expected a safe integer');
const count = whole.refine((n) => n > 0, 'expected at least 1 shard');
// Only the two numbers are read, so a manifest's shard record (with its `spec`) is one too.
const shardNumbers = z.looseObject({ index: whole, count }).refine((s) => s.index < s.count, {
  message: 'expected an index below count (indexes are 0-based)',
  path: ['index'],
});

/** The shard a task id hashes to (see tasks/shard.ts), its arguments checked. */
export function shardIndexOf(taskId: string, shards: number): number {
  const entry = 'shardIndexOf';
  return shardIndexOfUnchecked(
    parse(z.string(), taskId, entry, 'taskId'),
    parse(count, shards, entry, 'count'),
  );
}

/** Whether a task id falls in `shard` (see tasks/shard.ts), its arguments checked. */
export function isInShard(taskId: string, inShard: Pick<Shard, 'index' | 'count'>): boolean {
  const entry = 'isInShard';
  return isInShardUnchecked(
    parse(z.string(), taskId, entry, 'taskId'),
    parse(shardNumbers, inShard, entry, 'shard'),
  );
}

/** `i/n` (see tasks/shard.ts), the shard's numbers checked. */
export function formatShard(value: Pick<Shard, 'index' | 'count'>): string {
  return formatShardUnchecked(parse(shardNumbers, value, 'formatShard', 'shard'));
}

/** The built-in template of a kind and protocol (see prompts/registry.ts), checked. */
export function defaultPrompt(
  promptKind: PromptTemplate['kind'],
  forProtocol: Protocol,
): PromptTemplate {
  const entry = 'defaultPrompt';
  return defaultPromptUnchecked(
    parse(kind, promptKind, entry, 'kind'),
    parse(protocol, forProtocol, entry, 'protocol'),
  );
}

const expectedPrompt = z.strictObject({ kind, protocol: protocol.optional() });

/** A template by built-in name or file (see prompts/registry.ts), its arguments checked. */
export function resolvePrompt(
  nameOrFile: string,
  expected: { kind: PromptTemplate['kind']; protocol?: Protocol | undefined },
): PromptTemplate {
  const entry = 'resolvePrompt';
  return resolvePromptUnchecked(
    parse(z.string().min(1), nameOrFile, entry, 'nameOrFile'),
    parse(expectedPrompt, expected, entry, 'expected'),
  );
}

/** Record how a model continues an assistant message (see models/continuation.ts), checked. */
export function markContinuation<M extends LanguageModelV4>(target: M, mode: ContinuationMode): M {
  const entry = 'markContinuation';
  parse(model, target, entry, 'model');
  return markUnchecked(target, parse(z.enum(continuationModes), mode, entry, 'mode'));
}

/** The model with vLLM's continuation (see models/continuation.ts), the model checked. */
export function withVllmContinuation(target: LanguageModelV4): LanguageModelV4 {
  return withVllmUnchecked(parse(model, target, 'withVllmContinuation', 'model'));
}

/** The model with llama.cpp's prefill continuation (see models/continuation.ts), checked. */
export function withPrefillContinuation(target: LanguageModelV4): LanguageModelV4 {
  return withPrefillUnchecked(parse(model, target, 'withPrefillContinuation', 'model'));
}

/** The model refusing a continuation (see models/continuation.ts), the model checked. */
export function withoutContinuation(target: LanguageModelV4): LanguageModelV4 {
  return withoutUnchecked(parse(model, target, 'withoutContinuation', 'model'));
}

// What the key reads: the prompt (an array of messages); the other call settings are optional
// and passed on as they are (an ai SDK call carries more keys than the key reads).
const callOptions = z.looseObject({ prompt: z.array(z.looseObject({ role: z.string() })) });

/** The hash that keys a request in a cassette (see models/cassette.ts), the call checked. */
export function requestKey(options: LanguageModelV4CallOptions): string {
  parse(callOptions, options, 'requestKey', 'options');
  return requestKeyUnchecked(options);
}
