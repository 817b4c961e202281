import { z } from 'zod';
import {
  type AdmissionMode,
  type AdmittedRecords,
  type AdmittedSet,
  admissionModeSchema,
  admitPreferencePairs as admitPairsUnchecked,
  admitRecords as admitRecordsUnchecked,
  admitSftRecords as admitSftUnchecked,
  formatDroppedByReason as formatDroppedUnchecked,
} from '../admission/admit-records.js';
import type { TextCodec } from '../codecs/codec.js';
import { type TextFormat, textFormats } from '../codecs/registry.js';
import { preferencePairFromTrl as fromTrlUnchecked } from '../datasets/preference-formats.js';
import {
  type ChatPromptMessage,
  promptMessages as promptMessagesUnchecked,
  recordPromptMessages as recordPromptMessagesUnchecked,
} from '../datasets/prompt-turns.js';
import { entryInputParser, objectWithMethods } from '../entry-input.js';
import type { InputLocation } from '../errors.js';
import {
  type JsonlRecord,
  type ReadJsonlOptions,
  readJsonlArray as readArrayUnchecked,
  readJsonl as readJsonlUnchecked,
} from '../jsonl/read-jsonl.js';
import {
  createJsonlWriter as createWriterUnchecked,
  type JsonlWriter,
  type JsonlWriterOptions,
} from '../jsonl/write-jsonl.js';
import {
  lossMaskArray as lossMaskArrayUnchecked,
  renderWithLossMask as renderUnchecked,
} from '../render/loss-mask.js';
import {
  lossMaskSpanSchema,
  type PreferencePair,
  preferencePairSchema,
  promptTurnsSchema,
  type RenderedText,
  type SftRecord,
  sftRecordSchema,
} from '../schemas/records.js';
import { type Step, stepListSchema } from '../schemas/step.js';

// The admission sets, the loss-mask renderer, the prompt-turn helpers, the TRL import and the
// JSONL writer of the main entry check their arguments first (records with the contract
// schemas, defaults filled, unknown record keys ignored as the JSONL readers do; options
// strictly). Bad input is the `ValidationError` every reader throws (code
// `validation_failed`), naming the function and the field path. Sibling packages that pass
// records they already read with these schemas call the unchecked functions (/internal).

const parse = entryInputParser((problem) => problem.error);

const sftRecords = z.array(sftRecordSchema);
const pairs = z.array(preferencePairSchema);

/** The admission gate over one task's records (see admission/admit-records.ts), checked. */
export function admitRecords(
  mode: AdmissionMode,
  question: string,
  sft: ReadonlyArray<SftRecord>,
  pairList: ReadonlyArray<PreferencePair>,
): AdmittedRecords {
  const entry = 'admitRecords';
  return admitRecordsUnchecked(
    parse(admissionModeSchema, mode, entry, 'mode'),
    parse(z.string(), question, entry, 'question'),
    parse(sftRecords, sft, entry, 'sft'),
    parse(pairs, pairList, entry, 'pairs'),
  );
}

/** The admission gate over an SFT set (see admission/admit-records.ts), records checked. */
export function admitSftRecords(
  mode: AdmissionMode,
  records: ReadonlyArray<SftRecord>,
): AdmittedSet<SftRecord> {
  const entry = 'admitSftRecords';
  return admitSftUnchecked(
    parse(admissionModeSchema, mode, entry, 'mode'),
    parse(sftRecords, records, entry, 'records'),
  );
}

/** The admission gate over preference pairs (see admission/admit-records.ts), pairs checked. */
export function admitPreferencePairs(
  mode: AdmissionMode,
  pairList: ReadonlyArray<PreferencePair>,
): AdmittedSet<PreferencePair> {
  const entry = 'admitPreferencePairs';
  return admitPairsUnchecked(
    parse(admissionModeSchema, mode, entry, 'mode'),
    parse(pairs, pairList, entry, 'pairs'),
  );
}

const counts = z.record(z.string(), z.number());

/** Dropped records by reason as one phrase, the counts checked. */
export function formatDroppedByReason(byReason: Readonly<Record<string, number>>): string {
  return formatDroppedUnchecked(parse(counts, byReason, 'formatDroppedByReason', 'byReason'));
}

const codecArg = objectWithMethods<TextCodec>('a text codec', 'renderSegments');

/** Render steps with loss-mask spans (see render/loss-mask.ts), steps and codec checked. */
export function renderWithLossMask(steps: ReadonlyArray<Step>, codec: TextCodec): RenderedText {
  const entry = 'renderWithLossMask';
  const checkedSteps = parse(stepListSchema, steps, entry, 'steps');
  const checkedCodec = parse(codecArg, codec, entry, 'codec');
  parse(z.string(), checkedCodec.name, entry, 'codec.name');
  return renderUnchecked(checkedSteps, checkedCodec);
}

const maskedText = z.looseObject({ text: z.string(), spans: z.array(lossMaskSpanSchema) });

/** Per-character loss mask (1 = train, 0 = masked), the rendered text checked. */
export function lossMaskArray(rendered: Pick<RenderedText, 'text' | 'spans'>): Uint8Array {
  return lossMaskArrayUnchecked(parse(maskedText, rendered, 'lossMaskArray', 'rendered'));
}

// Loose: a record's `PromptTurns` (with its template's name, version and hash) is turns too.
const turnsArg = z.looseObject({
  system: z.string().optional(),
  user: z.string(),
});

/** Prompt turns as chat messages, the turns checked. */
export function promptMessages(turns: {
  system?: string | undefined;
  user: string;
}): ChatPromptMessage[] {
  return promptMessagesUnchecked(parse(turnsArg, turns, 'promptMessages', 'turns'));
}

// What recordPromptMessages reads of an SFT record or a pair (other keys are the record's own).
const withPrompt = z.looseObject({
  instruction: z.string().optional(),
  question: z.string(),
  prompt: promptTurnsSchema.optional(),
});

/** The chat messages a trainer prompts with for a record, the record checked. */
export function recordPromptMessages(
  record: Pick<SftRecord | PreferencePair, 'instruction' | 'question' | 'prompt'>,
): ChatPromptMessage[] {
  return recordPromptMessagesUnchecked(parse(withPrompt, record, 'recordPromptMessages', 'record'));
}

const fromTrlOptions = z.strictObject({
  format: z.enum(textFormats).optional(),
  dataSource: z.string().optional(),
  location: z
    .strictObject({
      file: z.string().optional(),
      line: z.number().int().optional(),
      path: z.string().optional(),
    })
    .optional(),
});

/**
 * A TRL preference row back into a `PreferencePair` (see datasets/preference-formats.ts): the
 * row is validated there; the options are checked here.
 */
export function preferencePairFromTrl(
  raw: unknown,
  options: { format?: TextFormat; dataSource?: string; location?: InputLocation } = {},
): PreferencePair {
  return fromTrlUnchecked(
    raw,
    parse(fromTrlOptions, options, 'preferencePairFromTrl', 'options') as typeof options,
  );
}

const writerOptions = z.strictObject({
  schema: z
    .custom<z.ZodType>(
      (v) =>
        typeof v === 'object' && v !== null && typeof (v as z.ZodType).safeParse === 'function',
      { message: 'expected a zod schema' },
    )
    .optional(),
  fsyncEvery: z.number().int().nonnegative().optional(),
});

/** Append-only JSONL writer (see jsonl/write-jsonl.ts), its path and options checked. */
export function createJsonlWriter<S extends z.ZodType | undefined = undefined>(
  path: string,
  options: JsonlWriterOptions<S> = {},
): JsonlWriter<S extends z.ZodType ? z.input<S> : unknown> {
  const entry = 'createJsonlWriter';
  return createWriterUnchecked(
    parse(z.string().min(1), path, entry, 'path'),
    parse(writerOptions, options, entry, 'options') as JsonlWriterOptions<S>,
  );
}

const readerOptions = z.strictObject({
  schema: writerOptions.shape.schema,
  mode: z.enum(['strict', 'lenient']).optional(),
  onReject: z
    .custom<unknown>((v) => typeof v === 'function', { message: 'expected a function' })
    .optional(),
  maxLineBytes: z.number().int().positive().optional(),
  displayName: z.string().optional(),
});

type Out<S> = S extends z.ZodType ? z.infer<S> : unknown;

/**
 * Stream a JSONL file (see jsonl/read-jsonl.ts), path and options checked when it is called (a
 * misspelt `shema` was a read without validation). The reader's own generator is returned, not
 * wrapped (no extra step per record); the caller's options object is passed on as is: the
 * reader seals what some schemas return, recognising them by identity.
 */
export function readJsonl<S extends z.ZodType | undefined = undefined>(
  path: string,
  options: ReadJsonlOptions<S> = {},
): AsyncGenerator<JsonlRecord<Out<S>>> {
  parse(z.string().min(1), path, 'readJsonl', 'path');
  parse(readerOptions, options, 'readJsonl', 'options');
  return readJsonlUnchecked(path, options);
}

/** Every record of a JSONL file (see jsonl/read-jsonl.ts), path and options checked first. */
export async function readJsonlArray<S extends z.ZodType | undefined = undefined>(
  path: string,
  options: ReadJsonlOptions<S> = {},
): Promise<Out<S>[]> {
  parse(z.string().min(1), path, 'readJsonlArray', 'path');
  parse(readerOptions, options, 'readJsonlArray', 'options');
  return readArrayUnchecked(path, options);
}
