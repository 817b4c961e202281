import {
  metadataSchema,
  promptTemplateSchema,
  type RolloutRecord,
  rolloutRecordSchema,
  type SftRecord,
  sftRecordSchema,
  type Task,
  taskSchema,
} from '@autotraj/trajectory';
import { rejecting } from '@autotraj/trajectory/internal';
import { z } from 'zod';
import {
  type GroupAdvantageOptions,
  groupAdvantages as groupAdvantagesUnchecked,
} from '../advantages.js';
import type { RlPromptOptions } from '../bridges/prompt-messages.js';
import {
  type TrlPromptRow,
  type TrlRolloutRow,
  type TrlSftRow,
  toTrlPromptRow as toTrlPromptRowUnchecked,
  toTrlRolloutRow as toTrlRolloutRowUnchecked,
  toTrlSftRow as toTrlSftRowUnchecked,
  writeTrlJsonl as writeTrlJsonlUnchecked,
} from '../bridges/trl.js';
import {
  toVerlRows as toVerlRowsUnchecked,
  type VerlExportOptions,
  type VerlRow,
  verlParquetBuffer as verlParquetBufferUnchecked,
  writeVerlParquet as writeVerlParquetUnchecked,
} from '../bridges/verl.js';
import { fn, isPlainObject, parseRlInput } from './parse-input.js';

// Advantages and the trainer bridges of the main entry, with their input checked first.

export const advantageOptionsSchema = z.strictObject({
  estimator: z.enum(['grpo', 'dr-grpo', 'rloo']).optional(),
  epsilon: z.number().optional(),
  std: z.enum(['sample', 'population']).optional(),
});
export const rewardsSchema = z.array(z.number());

export function areNumbers(values: unknown): boolean {
  if (!Array.isArray(values)) return false;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) return false;
  }
  return true;
}

/**
 * A group's advantages (see `groupAdvantages` in advantages.ts); the rewards must be finite
 * numbers and the options known keys. Checked by hand on this hot path, zod names the problem.
 */
export function groupAdvantages(
  rewards: ReadonlyArray<number>,
  options: GroupAdvantageOptions = NO_OPTIONS,
): number[] {
  const entry = 'groupAdvantages';
  if (!areNumbers(rewards)) parseRlInput(rewardsSchema, rewards, entry, 'rewards');
  const parsed =
    options === NO_OPTIONS || areAdvantageOptions(options)
      ? options
      : parseRlInput(advantageOptionsSchema, options, entry, 'options');
  return groupAdvantagesUnchecked(rewards, parsed);
}

const NO_OPTIONS: GroupAdvantageOptions = Object.freeze({});
const ESTIMATORS: ReadonlyArray<unknown> = advantageOptionsSchema.shape.estimator.unwrap().options;
const STDS: ReadonlyArray<unknown> = advantageOptionsSchema.shape.std.unwrap().options;

/** `advantageOptionsSchema` by hand (the hot path); guards.test.ts checks they agree. */
export function areAdvantageOptions(options: unknown): boolean {
  if (!isPlainObject(options)) return false;
  for (const key in options) {
    const v = options[key];
    if (key === 'estimator') {
      if (v !== undefined && !ESTIMATORS.includes(v)) return false;
    } else if (key === 'std') {
      if (v !== undefined && !STDS.includes(v)) return false;
    } else if (key === 'epsilon') {
      if (v !== undefined && !(typeof v === 'number' && Number.isFinite(v))) return false;
    } else return false;
  }
  return true;
}

const promptOptionsShape = {
  instructions: z.string().optional(),
  prompt: z
    .strictObject({
      template: promptTemplateSchema,
      toolNames: z.array(z.string()),
      maxToolCalls: z.number().optional(),
    })
    .optional(),
};
const promptOptionsSchema = z.strictObject(promptOptionsShape);
const verlOptionsSchema = z.strictObject({
  ...promptOptionsShape,
  split: z.string().optional(),
  ability: fn<(task: Task) => string>('a function of the task').optional(),
  style: z.enum(['rule', 'model']).optional(),
});

/** TRL prompt row for a task (`task` parsed with `taskSchema`, defaults filled). */
export function toTrlPromptRow(task: Task, options: RlPromptOptions = {}): TrlPromptRow {
  const entry = 'toTrlPromptRow';
  return toTrlPromptRowUnchecked(
    parseRlInput(taskSchema, task, entry, 'task'),
    parseRlInput(promptOptionsSchema, options, entry, 'options') as RlPromptOptions,
  );
}

/** TRL rollout row for a rollout record (parsed with `rolloutRecordSchema`). */
export function toTrlRolloutRow(record: RolloutRecord): TrlRolloutRow {
  return toTrlRolloutRowUnchecked(
    parseRlInput(rolloutRecordSchema, record, 'toTrlRolloutRow', 'record'),
  );
}

/** TRL SFT row for an SFT record (parsed with `sftRecordSchema`). */
export function toTrlSftRow(record: SftRecord): TrlSftRow {
  return toTrlSftRowUnchecked(parseRlInput(sftRecordSchema, record, 'toTrlSftRow', 'record'));
}

const message = z.strictObject({ role: z.enum(['system', 'user']), content: z.string() });
const verlRowSchema = z.strictObject({
  data_source: z.string(),
  prompt: z.array(message),
  ability: z.string(),
  reward_model: z.strictObject({ style: z.enum(['rule', 'model']), ground_truth: z.string() }),
  extra_info: z.strictObject({
    split: z.string(),
    index: z.bigint(),
    question: z.string(),
    task_id: z.string(),
    gold_answers: z.array(z.string()),
  }),
});

function tasksArg(tasks: unknown, entry: string, field: string): Task[] {
  const list = parseRlInput(z.array(z.unknown()), tasks, entry, field);
  const parsed: Task[] = [];
  for (let i = 0; i < list.length; i++)
    parsed.push(parseRlInput(taskSchema, list[i], entry, `${field}[${i}]`));
  return parsed;
}

/** verl rows for tasks (each parsed with `taskSchema`, defaults filled). */
export function toVerlRows(tasks: ReadonlyArray<Task>, options: VerlExportOptions = {}): VerlRow[] {
  const entry = 'toVerlRows';
  return toVerlRowsUnchecked(
    tasksArg(tasks, entry, 'tasks'),
    parseRlInput(verlOptionsSchema, options, entry, 'options') as VerlExportOptions,
  );
}

/** verl rows as a Parquet file in memory, each row checked against verl's layout first. */
export function verlParquetBuffer(rows: ReadonlyArray<VerlRow>): ArrayBuffer {
  return verlParquetBufferUnchecked(
    parseRlInput(z.array(verlRowSchema), rows, 'verlParquetBuffer', 'rows') as VerlRow[],
  );
}

const writeVerlOptionsSchema = verlOptionsSchema.extend({
  tasks: z.array(z.unknown()),
  path: z.string().min(1),
});

/** Write verl's Parquet for tasks: options and each task checked before anything is written. */
export function writeVerlParquet(
  options: VerlExportOptions & { tasks: ReadonlyArray<Task>; path: string },
): Promise<number> {
  const entry = 'writeVerlParquet';
  return rejecting(() => {
    const parsed = parseRlInput(writeVerlOptionsSchema, options, entry, 'options');
    return writeVerlParquetUnchecked({
      ...(parsed as VerlExportOptions & { path: string }),
      tasks: tasksArg(parsed.tasks, entry, 'options.tasks'),
    });
  });
}

const rowsSchema = z.custom<Iterable<unknown>>(
  (v) =>
    typeof v === 'object' &&
    v !== null &&
    typeof (v as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function',
  { message: 'expected an iterable of rows' },
);

/**
 * Write rows as JSONL for TRL (see bridges/trl.ts). Each row must be a JSON object (what one
 * line holds: a bigint, a function or a class instance is refused, naming the row and field);
 * rows are checked as they are written, so a bad row stops the write with the file holding the
 * rows before it.
 */
export function writeTrlJsonl<T>(path: string, rows: Iterable<T>): number {
  const entry = 'writeTrlJsonl';
  const file = parseRlInput(z.string().min(1), path, entry, 'path');
  parseRlInput(rowsSchema, rows, entry, 'rows');
  let index = 0;
  const checkedRows = function* () {
    for (const row of rows) {
      yield parseRlInput(metadataSchema, row, entry, `rows[${index}]`) as T;
      index++;
    }
  };
  return writeTrlJsonlUnchecked(file, checkedRows());
}
