import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  createJsonlWriter,
  promptMessages,
  type RolloutRecord,
  recordPromptMessages,
  type SftRecord,
  type Task,
} from '@autotraj/trajectory';
import { type RlPromptOptions, rlPromptMessages } from './prompt-messages.js';

/** TRL conversational prompt data for `GRPOTrainer`: extra columns reach reward functions as kwargs. */
export interface TrlPromptRow {
  prompt: Array<{ role: 'system' | 'user'; content: string }>;
  ground_truth: string[];
  data_source: string;
  task_id: string;
}

/** A scored rollout in TRL's conversational prompt/completion layout, with its reward. */
export interface TrlRolloutRow {
  prompt: Array<{ role: 'system' | 'user'; content: string }>;
  completion: Array<{ role: 'assistant'; content: string }>;
  reward: number;
  advantage: number | null;
  reward_components: Record<string, number>;
  /** Character spans of `completion[0].content` written by tools: exclude them from the loss. */
  tool_spans: Array<[number, number]>;
  id: string;
  task_id: string;
  group_id: string;
}

/**
 * A task as a TRL GRPO prompt row. With `prompt` (a template and the tools offered), the row
 * holds the turns `generateTrajectory` would prompt the policy with (the template's worked
 * examples and rules, the question); else `instructions` as the system turn and the question.
 */
export function toTrlPromptRow(task: Task, options: RlPromptOptions = {}): TrlPromptRow {
  return {
    prompt: rlPromptMessages(task, options),
    ground_truth: [...task.goldAnswers],
    data_source: task.dataSource,
    task_id: task.id,
  };
}

export function toTrlRolloutRow(record: RolloutRecord): TrlRolloutRow {
  return {
    // The turns the rollout was generated from, when recorded; else the bare question.
    prompt: promptMessages(record.promptTurns ?? { user: record.prompt }),
    completion: [{ role: 'assistant', content: record.rendered.text }],
    reward: record.reward.total,
    advantage: record.advantage,
    reward_components: record.reward.components,
    tool_spans: record.rendered.spans
      .filter((s) => s.source === 'tool')
      .map((s) => [s.start, s.end]),
    id: record.id,
    task_id: record.taskId,
    group_id: record.groupId,
  };
}

/** Write rows as a new JSONL file (`datasets.load_dataset("json", data_files=path)`); returns the count. */
export function writeTrlJsonl<T>(path: string, rows: Iterable<T>): number {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, '');
  const writer = createJsonlWriter(path);
  let n = 0;
  try {
    for (const row of rows) {
      writer.write(row);
      n++;
    }
  } finally {
    writer.close();
  }
  return n;
}

/** An SFT example in TRL's conversational prompt/completion layout, with the tool spans to mask. */
export interface TrlSftRow {
  prompt: Array<{ role: 'system' | 'user'; content: string }>;
  completion: Array<{ role: 'assistant'; content: string }>;
  /** Character spans of `completion[0].content` written by tools: exclude them from the loss. */
  tool_spans: Array<[number, number]>;
  id: string;
  task_id: string;
}

/**
 * An SFT record for TRL's `SFTTrainer`. TRL masks the prompt by itself (`completion_only_loss`);
 * the tool spans need `python/trl_sft.py`, which tokenizes span by span into `input_ids`,
 * `completion_mask` and `assistant_masks` so TRL's labels skip the tool output too.
 */
export function toTrlSftRow(record: SftRecord): TrlSftRow {
  return {
    // The turns the record was generated from (template, examples, question), as SFT exports do.
    prompt: recordPromptMessages(record),
    completion: [{ role: 'assistant', content: record.rendered.text }],
    tool_spans: record.rendered.spans
      .filter((s) => s.source === 'tool')
      .map((s) => [s.start, s.end]),
    id: record.id,
    task_id: record.taskId,
  };
}
