import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { defaultPrompt, generationPrompt } from '@autotraj/generation';
import {
  promptRef,
  type RolloutRecord,
  renderWithLossMask,
  rolloutRecordSchema,
  sftRecordSchema,
  tagCodec,
  taskSchema,
} from '@autotraj/trajectory';
import { parquetMetadata, parquetReadObjects, parquetSchema } from 'hyparquet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mathOutcome } from '../reward/outcomes.js';
import { createFunctionScorer } from '../scorer.js';
import { createRewardServer, type RewardServer } from '../server/reward-server.js';
import { simpleFormatCheck, tagTrajectory } from '../test-support.js';
import { toTrlPromptRow, toTrlRolloutRow, toTrlSftRow, writeTrlJsonl } from './trl.js';
import { toVerlRows, writeVerlParquet } from './verl.js';

const run = promisify(execFile);
const tasks = [
  taskSchema.parse({
    id: 't1',
    question: 'What is 6*7?',
    goldAnswers: ['42'],
    dataSource: 'gsm8k',
  }),
  taskSchema.parse({
    id: 't2',
    question: 'Capital of France?',
    goldAnswers: ['Paris', 'Paris, France'],
    dataSource: 'hotpotqa',
  }),
];

describe('verl Parquet export', () => {
  it('writes verl prompt rows that read back with the expected nested schema', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rl-verl-'));
    const path = join(dir, 'train.parquet');
    expect(await writeVerlParquet({ tasks, path, instructions: 'Use <think>.' })).toBe(2);
    const file = new Uint8Array(readFileSync(path)).buffer;
    const rows = await parquetReadObjects({ file });
    expect(rows[0]).toEqual({
      data_source: 'gsm8k',
      prompt: [
        { content: 'Use <think>.', role: 'system' },
        { content: 'What is 6*7?', role: 'user' },
      ],
      ability: 'math',
      reward_model: { ground_truth: '42', style: 'rule' },
      extra_info: {
        split: 'train',
        index: 0n,
        question: 'What is 6*7?',
        task_id: 't1',
        gold_answers: ['42'],
      },
    });
    expect(rows[1]).toMatchObject({
      ability: 'qa',
      extra_info: { index: 1n, gold_answers: ['Paris', 'Paris, France'] },
    });
    // Column layout as verl (pandas/pyarrow) reads it: prompt is list<struct<content, role>>.
    const schema = parquetSchema(parquetMetadata(file));
    const top = schema.children.map((c) => c.element.name);
    expect(top).toEqual(['data_source', 'prompt', 'ability', 'reward_model', 'extra_info']);
    const prompt = schema.children[1]!;
    expect(prompt.element.converted_type).toBe('LIST');
    expect(prompt.children[0]!.children[0]!.children.map((c) => c.element.name)).toEqual([
      'content',
      'role',
    ]);
    expect(toVerlRows(tasks)[0]!.prompt).toEqual([{ role: 'user', content: 'What is 6*7?' }]);
  });
});

describe('TRL JSONL', () => {
  it('writes prompt rows for GRPOTrainer and rollout rows with rewards and tool spans', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rl-trl-'));
    expect(
      writeTrlJsonl(
        join(dir, 'prompts.jsonl'),
        tasks.map((t) => toTrlPromptRow(t)),
      ),
    ).toBe(2);
    const prompts = readFileSync(join(dir, 'prompts.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(prompts[1]).toEqual({
      prompt: [{ role: 'user', content: 'Capital of France?' }],
      ground_truth: ['Paris', 'Paris, France'],
      data_source: 'hotpotqa',
      task_id: 't2',
    });
    const trajectory = tagTrajectory({ answer: '42' });
    const record: RolloutRecord = rolloutRecordSchema.parse({
      id: 'r1',
      taskId: 't1',
      groupId: 'g1',
      rolloutIndex: 0,
      prompt: 'What is 6*7?',
      trajectory,
      reward: { total: 1.4, components: { outcome: 1, trajectoryModel: 2 } },
      advantage: 0.87,
      rendered: renderWithLossMask(trajectory.steps, tagCodec),
    });
    const row = toTrlRolloutRow(record);
    expect(row).toMatchObject({
      reward: 1.4,
      advantage: 0.87,
      completion: [{ role: 'assistant', content: record.rendered.text }],
    });
    // The tool span covers exactly the tool's output.
    expect(
      row.tool_spans.map(([s, e]) => row.completion[0]!.content.slice(s, e)).join(''),
    ).toContain('42');
    expect(
      row.tool_spans.map(([s, e]) => row.completion[0]!.content.slice(s, e)).join(''),
    ).not.toContain('print');
    // Rewriting truncates rather than appends.
    writeTrlJsonl(join(dir, 'prompts.jsonl'), [toTrlPromptRow(tasks[0]!)]);
    expect(readFileSync(join(dir, 'prompts.jsonl'), 'utf8').trim().split('\n')).toHaveLength(1);
  });
});

describe('RL prompts are the prompts the policy is generated with', () => {
  const template = defaultPrompt('generation', 'text-tags');
  const prompt = { template, toolNames: ['python'], maxToolCalls: 3 };
  const generated = generationPrompt({
    question: 'What is 6*7?',
    toolNames: ['python'],
    promptTemplate: template,
  }).rendered;

  it('verl and TRL prompt rows hold the template turns generateTrajectory renders', () => {
    expect(generated.user).toContain('What is 6*7?');
    expect(generated.user.length).toBeGreaterThan('What is 6*7?'.length + 100);
    const messages = [{ role: 'user', content: generated.user }];
    expect(toVerlRows(tasks, { prompt })[0]!.prompt).toEqual(messages);
    expect(toTrlPromptRow(tasks[0]!, { prompt }).prompt).toEqual(messages);
    expect(() => toVerlRows(tasks, { prompt, instructions: 'x' })).toThrow(/not both/);
  });

  it('a TRL rollout row is prompted with the turns recorded on the rollout', () => {
    const trajectory = tagTrajectory({ answer: '42' });
    const record = rolloutRecordSchema.parse({
      id: 'r1',
      taskId: 't1',
      groupId: 'g1',
      rolloutIndex: 0,
      prompt: 'What is 6*7?',
      promptTurns: { ...promptRef(template), user: generated.user },
      trajectory,
      reward: { total: 1, components: { outcome: 1 } },
      advantage: 0,
      rendered: renderWithLossMask(trajectory.steps, tagCodec),
    });
    expect(toTrlRolloutRow(record).prompt).toEqual([{ role: 'user', content: generated.user }]);
  });

  it('a TRL SFT row is prompted with the turns recorded on the SFT record', () => {
    const trajectory = tagTrajectory({ answer: '42' });
    const record = sftRecordSchema.parse({
      id: 's1',
      taskId: 't1',
      question: 'What is 6*7?',
      prompt: { ...promptRef(template), user: generated.user },
      trajectory,
      origin: 'kept',
      rendered: renderWithLossMask(trajectory.steps, tagCodec),
    });
    expect(toTrlSftRow(record).prompt).toEqual([{ role: 'user', content: generated.user }]);
  });
});

describe('Python clients (verl compute_score, TRL reward function) against a loopback server', () => {
  let server: RewardServer;
  let url: string;
  beforeAll(async () => {
    server = createRewardServer({
      scorer: createFunctionScorer(() => 2),
      reward: {
        format: simpleFormatCheck,
        outcome: mathOutcome({ verify: ({ gold, pred }) => ({ equivalent: gold === pred }) }),
      },
    });
    url = (await server.listen()).url;
  });
  afterAll(() => server.close());

  const python = async (dir: string, code: string) => {
    const { stdout } = await run('python3', ['-c', code], {
      cwd: dir,
      env: { ...process.env, AUTOTRAJ_REWARD_URL: url },
      timeout: 20_000,
    });
    return JSON.parse(stdout);
  };

  it('python/verl_reward.py returns the paper reward with its components', async () => {
    const dir = fileURLToPath(new URL('../../python/', import.meta.url));
    const out = await python(
      dir,
      `import json; from verl_reward import compute_score
print(json.dumps([compute_score("gsm8k", "<think>x</think><answer>\\\\boxed{42}</answer>", "42", {"question": "q", "index": 3}),
                  compute_score("gsm8k", "<think>x</think><answer>\\\\boxed{41}</answer>", "42"),
                  compute_score("gsm8k", "no think <answer>\\\\boxed{42}</answer>", "42")]))`,
    );
    expect(out[0]).toMatchObject({ score: 1.4, outcome: 1, format: 1, trajectoryModel: 2 });
    expect(out[1]).toEqual({
      score: 0,
      format: 1,
      formatViolations: 0,
      outcome: 0,
      trajectoryModel: 0,
      trajectoryModelBonus: 0,
    });
    expect(out[2].score).toBe(-1);
  });

  it('python/trl_reward.py returns one reward per completion', async () => {
    const dir = fileURLToPath(new URL('../../python/', import.meta.url));
    const out = await python(
      dir,
      `import json; from trl_reward import autotraj_reward
print(json.dumps(autotraj_reward(
  prompts=[[{"role": "user", "content": "6*7?"}], [{"role": "user", "content": "6*7?"}]],
  completions=[[{"role": "assistant", "content": "<think>x</think><answer>\\\\boxed{42}</answer>"}], [{"role": "assistant", "content": "<think>x</think><answer>\\\\boxed{7}</answer>"}]],
  ground_truth=[["42"], ["42"]])))`,
    );
    expect(out).toEqual([1.4, 0]);
  });
});
