import {
  admissionModes,
  jsonValueSchema,
  type SftTrainingReport,
  sftRecordSchema,
} from '@autotraj/trajectory';
import { z } from 'zod';
import {
  type PrepareSftOptions,
  prepareSftTraining as prepareUnchecked,
  type SftTrainingSet,
} from '../sft/prepare-sft.js';
import { type TrainSftOptions, trainSft as trainSftUnchecked } from '../sft/train-sft.js';
import { fn, parseRlInput } from './parse-input.js';

// `trainSft` and `prepareSftTraining` check their options before reading or writing anything:
// keys strictly (a misspelt `epoch` or `lora.rank` is an error naming it, not a run with the
// default), the records given in memory with `sftRecordSchema` (defaults filled; unknown record
// keys ignored, as the JSONL readers do). A records file is read and checked line by line by the
// reader (`sft.jsonl:12`). Out-of-range numbers keep their own `RlConfigError`s.

const prepareShape = {
  // Each record is parsed apart below, so a bad one is named by its position.
  records: z.union([z.string().min(1), z.array(z.unknown())]),
  origin: z.enum(['kept', 'repaired']).optional(),
  admission: z.enum(admissionModes).optional(),
};
const prepareOptionsSchema = z.strictObject(prepareShape);
const trainSftOptionsSchema = z.strictObject({
  ...prepareShape,
  base: z.string().min(1),
  outDir: z.string().min(1),
  method: z.enum(['lora', 'full']).optional(),
  lora: z
    .strictObject({ r: z.number(), alpha: z.number(), dropout: z.number() })
    .partial()
    .optional(),
  epochs: z.number().optional(),
  maxSteps: z.number().optional(),
  maxLength: z.number().optional(),
  batchSize: z.number().optional(),
  gradientAccumulation: z.number().optional(),
  learningRate: z.number().optional(),
  seed: z.number().int().optional(),
  saveSteps: z.number().optional(),
  llamaCppSource: z.string().optional(),
  ggufType: z.enum(['f32', 'f16', 'bf16', 'q8_0']).optional(),
  python: z.string().optional(),
  threads: z.number().int().positive().optional(),
  gpu: z.boolean().optional(),
  onProgress: fn('a function').optional(),
  onLog: fn('a function').optional(),
  settings: z.record(z.string(), jsonValueSchema).optional(),
  forceNew: z.boolean().optional(),
});

function withRecords<T extends { records: unknown }>(options: T, entry: string): T {
  const { records } = options;
  if (typeof records === 'string') return options;
  const list = records as ReadonlyArray<unknown>;
  const parsed = list.map((record, i) =>
    parseRlInput(sftRecordSchema, record, entry, `options.records[${i}]`),
  );
  return { ...options, records: parsed };
}

/** What an SFT run would train on (see sft/prepare-sft.ts), its options checked first. */
export function prepareSftTraining(options: PrepareSftOptions): Promise<SftTrainingSet> {
  return Promise.resolve().then(() =>
    prepareUnchecked(
      withRecords(
        parseRlInput(prepareOptionsSchema, options, 'prepareSftTraining', 'options'),
        'prepareSftTraining',
      ) as PrepareSftOptions,
    ),
  );
}

/** SFT with TRL (see sft/train-sft.ts), its options checked before anything is written. */
export function trainSft(options: TrainSftOptions): Promise<SftTrainingReport> {
  return Promise.resolve().then(() =>
    trainSftUnchecked(
      withRecords(
        parseRlInput(trainSftOptionsSchema, options, 'trainSft', 'options'),
        'trainSft',
      ) as TrainSftOptions,
    ),
  );
}
