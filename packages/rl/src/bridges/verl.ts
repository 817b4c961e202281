import { writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Task } from '@autotraj/trajectory';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { qaDataSources } from '../reward/outcomes.js';
import { type RlPromptOptions, rlPromptMessages } from './prompt-messages.js';

/** One row of verl's RL prompt data set (as its `examples/data_preprocess/*.py` write them). */
export interface VerlRow {
  data_source: string;
  prompt: Array<{ role: 'system' | 'user'; content: string }>;
  ability: string;
  reward_model: { style: 'rule' | 'model'; ground_truth: string };
  extra_info: {
    split: string;
    index: bigint;
    question: string;
    task_id: string;
    gold_answers: string[];
  };
}

export interface VerlExportOptions extends RlPromptOptions {
  /** `extra_info.split` (default `train`). */
  split?: string;
  /** `ability` per task; default `qa` for QA data sources, else `math`. */
  ability?: (task: Task) => string;
  /** `reward_model.style` (default `rule`: verl calls `compute_score`, which forwards to our server). */
  style?: 'rule' | 'model';
}

/**
 * verl rows for tasks: the prompt turns (`prompt`: the template's, as generation renders them; else
 * `instructions` and the question), the first gold answer as ground truth.
 */
export function toVerlRows(tasks: ReadonlyArray<Task>, options: VerlExportOptions = {}): VerlRow[] {
  const ability =
    options.ability ??
    ((task: Task) => (qaDataSources.has(task.dataSource.toLowerCase()) ? 'qa' : 'math'));
  return tasks.map((task, index) => ({
    data_source: task.dataSource,
    prompt: rlPromptMessages(task, options),
    ability: ability(task),
    reward_model: { style: options.style ?? 'rule', ground_truth: task.goldAnswers[0] ?? '' },
    extra_info: {
      split: options.split ?? 'train',
      index: BigInt(index),
      question: task.question,
      task_id: task.id,
      gold_answers: [...task.goldAnswers],
    },
  }));
}

const utf8 = (name: string) => ({
  name,
  type: 'BYTE_ARRAY' as const,
  converted_type: 'UTF8' as const,
  repetition_type: 'OPTIONAL' as const,
});

/** Parquet schema matching what pandas/pyarrow write for verl's row dicts (3-level lists, structs). */
const verlSchema = [
  { name: 'root', num_children: 5 },
  utf8('data_source'),
  {
    name: 'prompt',
    repetition_type: 'OPTIONAL' as const,
    converted_type: 'LIST' as const,
    num_children: 1,
  },
  { name: 'list', repetition_type: 'REPEATED' as const, num_children: 1 },
  { name: 'element', repetition_type: 'OPTIONAL' as const, num_children: 2 },
  utf8('content'),
  utf8('role'),
  utf8('ability'),
  { name: 'reward_model', repetition_type: 'OPTIONAL' as const, num_children: 2 },
  utf8('ground_truth'),
  utf8('style'),
  { name: 'extra_info', repetition_type: 'OPTIONAL' as const, num_children: 5 },
  utf8('split'),
  { name: 'index', type: 'INT64' as const, repetition_type: 'OPTIONAL' as const },
  utf8('question'),
  utf8('task_id'),
  {
    name: 'gold_answers',
    repetition_type: 'OPTIONAL' as const,
    converted_type: 'LIST' as const,
    num_children: 1,
  },
  { name: 'list', repetition_type: 'REPEATED' as const, num_children: 1 },
  utf8('element'),
];

/** verl rows as a Parquet file in memory. */
export function verlParquetBuffer(rows: ReadonlyArray<VerlRow>): ArrayBuffer {
  const columns = ['data_source', 'prompt', 'ability', 'reward_model', 'extra_info'] as const;
  // Struct fields in schema order, so the writer's nested encoding lines up with the schema.
  const ordered = rows.map((r) => ({
    data_source: r.data_source,
    prompt: r.prompt.map((m) => ({ content: m.content, role: m.role })),
    ability: r.ability,
    reward_model: { ground_truth: r.reward_model.ground_truth, style: r.reward_model.style },
    extra_info: r.extra_info,
  }));
  return parquetWriteBuffer({
    columnData: columns.map((name) => ({ name, data: ordered.map((row) => row[name]) })),
    schema: verlSchema,
    kvMetadata: [{ key: 'autotraj.schema', value: 'verl-rl-prompts/1' }],
  });
}

/** Write tasks as a verl RL data set (`data.train_files=...parquet`); returns the row count. */
export async function writeVerlParquet(
  options: VerlExportOptions & { tasks: ReadonlyArray<Task>; path: string },
): Promise<number> {
  const rows = toVerlRows(options.tasks, options);
  await mkdir(dirname(options.path), { recursive: true });
  writeFileSync(options.path, Buffer.from(verlParquetBuffer(rows)));
  return rows.length;
}
