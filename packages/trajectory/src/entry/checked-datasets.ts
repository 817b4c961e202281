import { z } from 'zod';
import {
  type AdmissionInput,
  type AdmissionVerdict,
  checkAdmission as checkAdmissionUnchecked,
} from '../admission/admission-gate.js';
import { textFormats } from '../codecs/registry.js';
import {
  toLlamaFactoryPreference as toLlamaFactoryUnchecked,
  toTrlConversationalPreference as toTrlConversationalUnchecked,
  toTrlPreference as toTrlPreferenceUnchecked,
} from '../datasets/preference-formats.js';
import {
  type AlpacaRecord,
  type ShareGptRecord,
  toAlpaca as toAlpacaUnchecked,
  toOpenAiSft as toOpenAiSftUnchecked,
  toShareGpt as toShareGptUnchecked,
} from '../datasets/sft-formats.js';
import { entryInputParser } from '../entry-input.js';
import type { PreferencePair, SftRecord } from '../schemas/records.js';
import { preferencePairSchema, renderedTextSchema, sftRecordSchema } from '../schemas/records.js';
import { trajectorySchema } from '../schemas/trajectory.js';

// The dataset exports and the admission gate of the main entry parse their records with the
// contract schemas first (defaults filled; unknown record keys ignored, as the JSONL readers
// do) and their options strictly. Bad input is the `ValidationError` every reader throws
// (code `validation_failed`), naming the function and the field path.

const parse = entryInputParser((problem) => problem.error);

const formatOptions = z.strictObject({ format: z.enum(textFormats).optional() });

/** TRL standard preference format (see preference-formats.ts), the pair checked first. */
export function toTrlPreference(
  pair: PreferencePair,
  options: { format?: (typeof textFormats)[number] } = {},
): ReturnType<typeof toTrlPreferenceUnchecked> {
  const entry = 'toTrlPreference';
  return toTrlPreferenceUnchecked(
    parse(preferencePairSchema, pair, entry, 'pair'),
    parse(formatOptions, options, entry, 'options') as typeof options,
  );
}

/** TRL conversational preference format, the pair checked first. */
export function toTrlConversationalPreference(
  pair: PreferencePair,
  options: { format?: (typeof textFormats)[number] } = {},
): ReturnType<typeof toTrlConversationalUnchecked> {
  const entry = 'toTrlConversationalPreference';
  return toTrlConversationalUnchecked(
    parse(preferencePairSchema, pair, entry, 'pair'),
    parse(formatOptions, options, entry, 'options') as typeof options,
  );
}

/** LLaMA-Factory pairwise format, the pair checked first. */
export function toLlamaFactoryPreference(
  pair: PreferencePair,
  options: { format?: (typeof textFormats)[number] } = {},
): ReturnType<typeof toLlamaFactoryUnchecked> {
  const entry = 'toLlamaFactoryPreference';
  return toLlamaFactoryUnchecked(
    parse(preferencePairSchema, pair, entry, 'pair'),
    parse(formatOptions, options, entry, 'options') as typeof options,
  );
}

/** OpenAI chat fine-tuning rows, the SFT record checked first. */
export function toOpenAiSft(
  record: SftRecord,
  options: { style?: 'tool-calls' | 'text' } = {},
): ReturnType<typeof toOpenAiSftUnchecked> {
  const entry = 'toOpenAiSft';
  const style = z.strictObject({ style: z.enum(['tool-calls', 'text']).optional() });
  return toOpenAiSftUnchecked(
    parse(sftRecordSchema, record, entry, 'record'),
    parse(style, options, entry, 'options') as typeof options,
  );
}

/** ShareGPT (LLaMA-Factory) SFT record, the SFT record checked first. */
export function toShareGpt(record: SftRecord): ShareGptRecord {
  return toShareGptUnchecked(parse(sftRecordSchema, record, 'toShareGpt', 'record'));
}

/** Alpaca SFT record, the SFT record checked first. */
export function toAlpaca(record: SftRecord): AlpacaRecord {
  return toAlpacaUnchecked(parse(sftRecordSchema, record, 'toAlpaca', 'record'));
}

const admissionArgs = z.strictObject({
  trajectory: z.unknown(),
  rendered: renderedTextSchema.optional(),
  codec: z.looseObject({}).optional(),
  question: z.string().optional(),
  detectFabricatedToolOutput: z
    .custom<unknown>((v) => typeof v === 'function', { message: 'expected a function' })
    .nullable()
    .optional(),
});

/** The admission gate (see admission-gate.ts), its input checked first. */
export function checkAdmission(input: AdmissionInput): AdmissionVerdict {
  const entry = 'checkAdmission';
  const args = parse(admissionArgs, input, entry, '');
  return checkAdmissionUnchecked({
    ...input,
    ...(args.rendered === undefined ? {} : { rendered: args.rendered }),
    trajectory: parse(trajectorySchema, args.trajectory, entry, 'trajectory'),
  });
}
