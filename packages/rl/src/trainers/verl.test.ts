import { writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { taskSchema } from '@autotraj/trajectory';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeVerlParquet } from '../bridges/verl.js';
import { paperRewardOptions } from '../reward/paper-reward.js';
import { createFunctionScorer } from '../scorer.js';
import { createRewardServer, type RewardServer } from '../server/reward-server.js';
import { python, runCheck } from './run-python.js';

const computeScore = fileURLToPath(new URL('../../python/verl_reward.py', import.meta.url));
const tasks = [
  { id: 'v1', question: 'What is 6*7?', goldAnswers: ['42'], dataSource: 'gsm8k' },
  {
    id: 'v2',
    question: 'Capital of France?',
    goldAnswers: ['Paris', 'Paris, France'],
    dataSource: 'hotpotqa',
  },
  { id: 'v3', question: 'What is 2+2?', goldAnswers: ['4'], dataSource: 'gsm8k' },
].map((t) => taskSchema.parse(t));
const responses = [
  '<think>6 times 7.</think><code>print(6*7)</code><result>42</result><answer>\\boxed{42}</answer>',
  '<think>France.</think><answer>\\boxed{Paris}</answer>',
  'It is 5.', // no <think>: the paper's format penalty
];

describe.skipIf(python === undefined)('verl reads our Parquet and calls our compute_score', () => {
  let server: RewardServer;
  let url: string;
  beforeAll(async () => {
    // A constant RM score, so the expected totals are exact: 1 + 0.2 x 0.5.
    server = createRewardServer({
      scorer: createFunctionScorer(() => 0.5),
      reward: paperRewardOptions(),
    });
    ({ url } = await server.listen({ port: 0 }));
  });
  afterAll(() => server?.close());

  it('pyarrow, datasets and RLHFDataset read the rows; the naive reward manager scores them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rl-verl-real-'));
    const parquet = join(dir, 'train.parquet');
    await writeVerlParquet({ tasks, path: parquet, instructions: 'Think in <think>.' });
    writeFileSync(join(dir, 'responses.json'), JSON.stringify(responses));
    const out = (await runCheck(
      'verl_check.py',
      [parquet, computeScore, dir, join(dir, 'responses.json')],
      { AUTOTRAJ_REWARD_URL: url },
    )) as {
      verl: string;
      manager: string;
      arrow: { schema: Record<string, string>; rows: number; metadata: Record<string, string> };
      datasetColumns: string[];
      items: Array<Record<string, unknown>>;
      results: Array<{ reward_score: number; reward_extra_info: Record<string, unknown> }>;
    };
    expect(out.manager).toBe(
      'verl.experimental.reward_loop.reward_manager.naive.NaiveRewardManager',
    );
    expect(out.arrow.rows).toBe(3);
    expect(out.arrow.schema).toEqual({
      data_source: 'string',
      prompt: 'list<element: struct<content: string, role: string>>',
      ability: 'string',
      reward_model: 'struct<ground_truth: string, style: string>',
      extra_info:
        'struct<split: string, index: int64, question: string, task_id: string, gold_answers: list<element: string>>',
    });
    expect(out.arrow.metadata['autotraj.schema']).toBe('verl-rl-prompts/1');
    expect(out.datasetColumns).toEqual([
      'ability',
      'data_source',
      'extra_info',
      'prompt',
      'reward_model',
    ]);
    expect(out.items[1]).toMatchObject({
      data_source: 'hotpotqa',
      reward_model: { ground_truth: 'Paris', style: 'rule' },
      extra_info: { index: 1, task_id: 'v2', gold_answers: ['Paris', 'Paris, France'] },
      raw_prompt: [
        { role: 'system', content: 'Think in <think>.' },
        { role: 'user', content: 'Capital of France?' },
      ],
      index: 1,
    });
    const scores = out.results.map((r) => r.reward_score);
    expect(scores[0]).toBeCloseTo(1.1, 6);
    expect(scores[1]).toBeCloseTo(1.1, 6); // QA: answer F1 1 against the alias list
    expect(scores[2]).toBe(-1);
    // Every component of our answer reaches verl's reward_extra_info (logged per key).
    expect(out.results[0]!.reward_extra_info).toMatchObject({
      score: scores[0],
      outcome: 1,
      format: 1,
    });
    expect(out.results[2]!.reward_extra_info).toMatchObject({ score: -1, format: 0 });
  }, 600_000);
});
