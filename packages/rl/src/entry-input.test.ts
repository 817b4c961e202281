import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ValidationError } from '@autotraj/trajectory';
import { describe, expect, it } from 'vitest';
// The package's main entry, as a user imports it.
import {
  createFunctionScorer,
  createPaperReward,
  createPolicyModel,
  createPresetReward,
  createReward,
  createRewardServer,
  createRolloutTools,
  filterZeroVarianceGroups,
  fitRmCalibration,
  groupAdvantages,
  mathOutcome,
  outcomeByDataSource,
  prepareSftTraining,
  qaF1Outcome,
  RlConfigError,
  readRollouts,
  rewardTextOf,
  runRollouts,
  toTrlRolloutRow,
  toVerlRows,
  trainSft,
  trajectoryFromPolicyText,
  verlParquetBuffer,
  writeTrlJsonl,
  writeVerlParquet,
} from './index.js';

// A trajectory as a user writes it by hand: only the required fields (defaults filled in).
const trajectory = {
  id: 't1',
  taskId: 'q1',
  steps: [
    { type: 'think', text: 'Multiply.' },
    { type: 'answer', text: '\\boxed{42}', answer: '42' },
  ],
  finalAnswer: '42',
};

async function invalid(call: () => unknown, entry: string, field: string): Promise<RlConfigError> {
  let thrown: unknown;
  try {
    await call();
  } catch (error) {
    thrown = error;
  }
  expect(RlConfigError.isInstance(thrown), String(thrown)).toBe(true);
  const error = thrown as RlConfigError;
  expect(error.code).toBe('invalid_input');
  expect(error.option).toBe(field);
  expect(error.message).toContain(`${entry}: ${field}:`);
  expect(ValidationError.isInstance(error.cause)).toBe(true);
  return error;
}

describe('reward entry input', () => {
  const reward = createReward({ outcome: mathOutcome(), format: null });

  it('scores items whose trajectory leaves out its defaulted fields', async () => {
    const [breakdown] = await reward.score([{ trajectory, goldAnswers: ['42'] } as never]);
    expect(breakdown!.total).toBe(1);
  });

  it('createReward: missing outcome, wrong type, misspelt option', async () => {
    await invalid(() => createReward({} as never), 'createReward', 'options.outcome');
    await invalid(
      () => createReward({ outcome: mathOutcome(), weights: { outcome: '1' } } as never),
      'createReward',
      'options.weights.outcome',
    );
    await invalid(
      () => createReward({ outcome: mathOutcome(), weight: {} } as never),
      'createReward',
      'options.weight',
    );
    await invalid(
      () => createPaperReward({ formt: null } as never),
      'createPaperReward',
      'options.formt',
    );
    await invalid(() => createPresetReward('papr' as never), 'createPresetReward', 'preset');
  });

  it('reward.score: missing trajectory field, wrong type, misspelt item key', async () => {
    const { steps: _steps, ...noSteps } = trajectory;
    await invalid(
      () => reward.score([{ trajectory }, { trajectory: noSteps }] as never),
      'reward.score',
      'items[1].trajectory.steps',
    );
    await invalid(
      () => reward.score([{ trajectory, goldAnswers: '42' }] as never),
      'reward.score',
      'items[0].goldAnswers',
    );
    await invalid(
      () => reward.score([{ trajectory, gold: ['42'] }] as never),
      'reward.score',
      'items[0].gold',
    );
    const paper = createPaperReward();
    await invalid(
      () =>
        paper.scoreDetailed!([
          { trajectory: { ...trajectory, steps: [{ type: 'think' }] } },
        ] as never),
      'reward.scoreDetailed',
      'items[0].trajectory.steps[0].text',
    );
  });
});

describe('groupAdvantages entry input', () => {
  it('refuses a missing group, a non-number reward and a misspelt option', async () => {
    expect(groupAdvantages([1, 0])).toHaveLength(2);
    await invalid(() => groupAdvantages(undefined as never), 'groupAdvantages', 'rewards');
    await invalid(() => groupAdvantages([1, '0'] as never), 'groupAdvantages', 'rewards[1]');
    await invalid(
      () => groupAdvantages([1, 0], { estimater: 'rloo' } as never),
      'groupAdvantages',
      'options.estimater',
    );
  });
});

describe('trainer bridges entry input', () => {
  const rollout = {
    id: 'r1',
    taskId: 'q1',
    groupId: 'g1',
    rolloutIndex: 0,
    prompt: 'What is 6 * 7?',
    trajectory,
    reward: { total: 1, components: { outcome: 1 } },
    rendered: { format: 'tags', text: '<answer>\\boxed{42}</answer>', spans: [] },
  };

  it('toTrlRolloutRow: defaults filled; missing field, wrong type, unknown key ignored as the readers do', async () => {
    expect(toTrlRolloutRow(rollout as never).advantage).toBeNull();
    const { rendered: _r, ...noRendered } = rollout;
    await invalid(() => toTrlRolloutRow(noRendered as never), 'toTrlRolloutRow', 'record.rendered');
    await invalid(
      () => toTrlRolloutRow({ ...rollout, rolloutIndex: '0' } as never),
      'toTrlRolloutRow',
      'record.rolloutIndex',
    );
    expect(toTrlRolloutRow({ ...rollout, note: 'x' } as never)).toEqual(
      toTrlRolloutRow(rollout as never),
    );
  });

  it('toVerlRows: tasks with defaults; a task without a question, a misspelt option', async () => {
    const [row] = toVerlRows([{ id: 'q1', question: 'What is 6 * 7?' }] as never);
    expect(row!.data_source).toBe('unknown');
    await invalid(
      () => toVerlRows([{ id: 'q1', question: 'x' }, { id: 'q2' }] as never),
      'toVerlRows',
      'tasks[1].question',
    );
    await invalid(() => toVerlRows([], { splt: 'test' } as never), 'toVerlRows', 'options.splt');
  });

  it('the file writers check their input before writing, naming the field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rl-writers-'));
    try {
      const tasks = [{ id: 'q1', question: 'What is 6 * 7?', goldAnswers: ['42'] }];
      const path = join(dir, 'verl.parquet');
      // Tasks without their defaulted fields are written as full tasks are.
      expect(await writeVerlParquet({ tasks, path } as never)).toBe(1);
      await invalid(
        () => writeVerlParquet({ tasks: [{ id: 'q2' }], path: join(dir, 'b.parquet') } as never),
        'writeVerlParquet',
        'options.tasks[0].question',
      );
      await invalid(
        () => writeVerlParquet({ tasks, path: 7 } as never),
        'writeVerlParquet',
        'options.path',
      );
      await invalid(
        () => writeVerlParquet({ tasks, path: join(dir, 'c.parquet'), styl: 'model' } as never),
        'writeVerlParquet',
        'options.styl',
      );
      expect(existsSync(join(dir, 'b.parquet')) || existsSync(join(dir, 'c.parquet'))).toBe(false);

      const [row] = toVerlRows(tasks as never);
      expect(verlParquetBuffer([row!]).byteLength).toBeGreaterThan(0);
      const { ability: _a, ...noAbility } = row!;
      await invalid(
        () => verlParquetBuffer([noAbility] as never),
        'verlParquetBuffer',
        'rows[0].ability',
      );
      await invalid(
        () =>
          verlParquetBuffer([{ ...row!, extra_info: { ...row!.extra_info, index: 0 } }] as never),
        'verlParquetBuffer',
        'rows[0].extra_info.index',
      );
      await invalid(
        () => verlParquetBuffer([{ ...row!, reward: 1 }] as never),
        'verlParquetBuffer',
        'rows[0].reward',
      );

      const jsonl = join(dir, 'rows.jsonl');
      expect(writeTrlJsonl(jsonl, [{ prompt: [], ground_truth: ['42'] }])).toBe(1);
      await invalid(
        () => (writeTrlJsonl as (p: string) => unknown)(jsonl),
        'writeTrlJsonl',
        'rows',
      );
      await invalid(() => writeTrlJsonl(7 as never, []), 'writeTrlJsonl', 'path');
      // A value JSON cannot hold is refused, naming the row and field (was written as {} or thrown by JSON.stringify).
      await invalid(
        () => writeTrlJsonl(jsonl, [{ a: 1 }, { index: 1n }]),
        'writeTrlJsonl',
        'rows[1].index',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('runRollouts entry input', () => {
  const base = (
    outDir: string,
    prompts: unknown[] = [{ id: 'q1', question: 'What is 6 * 7?' }],
  ) => ({
    prompts,
    groupSize: 2,
    outDir,
    generate: async (
      task: { id: string; question: string },
      { rolloutIndex }: { rolloutIndex: number },
    ) =>
      trajectoryFromPolicyText('<think>6 * 7.</think>\n<answer>\\boxed{42}</answer>', {
        question: task.question,
        taskId: task.id,
        id: `${task.id}-${rolloutIndex}`,
      }),
  });

  it('refuses a missing field, a wrong type and a misspelt option before touching outDir', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'entry-input-'));
    const outDir = join(dir, 'rl');
    try {
      const { outDir: _o, ...noOut } = base(outDir);
      await invalid(() => runRollouts(noOut as never), 'runRollouts', 'options.outDir');
      await invalid(
        () => runRollouts({ ...base(outDir), groupSize: '2' } as never),
        'runRollouts',
        'options.groupSize',
      );
      await invalid(
        () => runRollouts({ ...base(outDir), advantage: { estimater: 'rloo' } } as never),
        'runRollouts',
        'options.advantage.estimater',
      );
      expect(existsSync(outDir)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs prompts given as { id, question } and names a bad one by its position', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'entry-input-'));
    try {
      const summary = await runRollouts(base(join(dir, 'ok')) as never);
      expect(summary.rollouts).toBe(2);
      await invalid(
        () =>
          runRollouts(base(join(dir, 'bad'), [{ id: 'q1', question: 'x' }, { id: 'q2' }]) as never),
        'runRollouts',
        'options.prompts[1].question',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('createRewardServer entry input', () => {
  const scorer = createFunctionScorer(() => 0.5);

  it('refuses a missing scorer, a wrong type and a misspelt option before it is built', async () => {
    await invalid(() => createRewardServer({} as never), 'createRewardServer', 'options.scorer');
    await invalid(
      () => createRewardServer({ scorer, maxBatchSize: '64' } as never),
      'createRewardServer',
      'options.maxBatchSize',
    );
    await invalid(
      () => createRewardServer({ scorer, maxBatchSise: 64 } as never),
      'createRewardServer',
      'options.maxBatchSise',
    );
    await invalid(
      () =>
        createRewardServer({ scorer, reward: { outcome: mathOutcome(), wieghts: {} } } as never),
      'createRewardServer',
      'options.reward.wieghts',
    );
    const tool = (name: string) => ({
      name,
      run: async () => ({ output: '', isError: false, durationMs: 0 }),
    });
    await invalid(
      () => createRewardServer({ scorer, tools: [tool('python'), tool('python')] }),
      'createRewardServer',
      'options.tools',
    );
    await invalid(
      () => createRewardServer({ scorer, tools: [{ name: 'python' }] } as never),
      'createRewardServer',
      'options.tools[0]',
    );
    const server = createRewardServer({ scorer, maxBatchSize: 64 });
    const { url } = await server.listen({ port: 0, host: '127.0.0.1' });
    try {
      const response = await fetch(`${url}/score`, {
        method: 'POST',
        body: JSON.stringify({ trajectory: '<think>x</think><answer>\\boxed{1}</answer>' }),
      });
      expect(await response.json()).toEqual({ score: 0.5 });
    } finally {
      await server.close();
    }
  });
});

describe('trainSft and prepareSftTraining entry input', () => {
  // An SFT record as a user writes it: only the required fields (defaults filled in).
  const record = {
    id: 's1',
    taskId: 'q1',
    question: 'What is 6 * 7?',
    trajectory,
    origin: 'kept',
    rendered: {
      format: 'tags',
      text: '<think>Multiply.</think>\n<answer>\\boxed{42}</answer>',
      spans: [{ start: 0, end: 52, source: 'model' }],
    },
  };

  it('prepares records given without their defaulted fields', async () => {
    const set = await prepareSftTraining({ records: [record] as never, admission: 'none' });
    expect(set.rows).toHaveLength(1);
  });

  it('refuse a missing field, a wrong type and a misspelt option before anything is written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'entry-input-'));
    const outDir = join(dir, 'sft');
    try {
      const { rendered: _r, ...noRendered } = record;
      await invalid(
        () => prepareSftTraining({ records: [record, noRendered] } as never),
        'prepareSftTraining',
        'options.records[1].rendered',
      );
      await invalid(
        () => trainSft({ records: [record], outDir } as never),
        'trainSft',
        'options.base',
      );
      await invalid(
        () => trainSft({ records: [record], base: 'm.gguf', outDir, epochs: '1' } as never),
        'trainSft',
        'options.epochs',
      );
      await invalid(
        () => trainSft({ records: [record], base: 'm.gguf', outDir, lora: { rank: 8 } } as never),
        'trainSft',
        'options.lora.rank',
      );
      expect(existsSync(outDir)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('policy helpers entry input', () => {
  it('refuse a missing model, a wrong type and a misspelt option', async () => {
    await invalid(() => createPolicyModel({} as never), 'createPolicyModel', 'options.model');
    await invalid(
      () => createPolicyModel({ model: 'm', baseUrl: 'http://localhost:8000/v1' } as never),
      'createPolicyModel',
      'options.baseUrl',
    );
    await invalid(() => createRolloutTools('python' as never), 'createRolloutTools', 'names');
    await invalid(
      () => createRolloutTools(['calculator'], { pythonWorker: 2 } as never),
      'createRolloutTools',
      'options.pythonWorker',
    );
    const { tools, close } = createRolloutTools(['calculator']);
    expect(tools).toHaveLength(1);
    await close();
  });
});

describe('reward building blocks entry input', () => {
  it('outcomes check their options when built', async () => {
    const item = { trajectory, goldAnswers: ['42'] } as never;
    expect(await mathOutcome()(item)).toBe(1);
    expect(await qaF1Outcome({ f1: () => 0.5 })(item)).toBe(0.5);
    await invalid(
      () => mathOutcome({ verfy: () => ({ equivalent: true }) } as never),
      'mathOutcome',
      'options.verfy',
    );
    await invalid(() => qaF1Outcome({ f1: 1 } as never), 'qaF1Outcome', 'options.f1');
    await invalid(
      () => outcomeByDataSource({ qaSources: ['hotpotqa'] } as never),
      'outcomeByDataSource',
      'options.qaSources',
    );
  });

  it('filterZeroVarianceGroups, fitRmCalibration and createFunctionScorer check their arguments', async () => {
    const groups = [
      [1, 1],
      [0, 1],
    ];
    expect(filterZeroVarianceGroups(groups, (g) => g).kept).toEqual([[0, 1]]);
    await invalid(
      () => filterZeroVarianceGroups(groups, 'g' as never),
      'filterZeroVarianceGroups',
      'rewardsOf',
    );
    await invalid(
      () =>
        (filterZeroVarianceGroups as (...a: unknown[]) => unknown)(undefined, (g: number[]) => g),
      'filterZeroVarianceGroups',
      'groups',
    );
    await invalid(
      () => filterZeroVarianceGroups(groups, (g) => g, { tolerence: 0.1 } as never),
      'filterZeroVarianceGroups',
      'options.tolerence',
    );
    expect(fitRmCalibration([1, 2, 3]).center).toBe(2);
    await invalid(() => fitRmCalibration(['1', 2] as never), 'fitRmCalibration', 'scores');
    await invalid(() => createFunctionScorer(undefined as never), 'createFunctionScorer', 'fn');
  });
});

describe('rewardTextOf and readRollouts entry input', () => {
  it('take an item whose trajectory lacks its defaulted fields; read a missing file as empty', async () => {
    expect(rewardTextOf({ trajectory } as never)).toContain('<answer>');
    expect(rewardTextOf({ trajectory, text: 'as written' } as never)).toBe('as written');
    const dir = mkdtempSync(join(tmpdir(), 'entry-input-'));
    try {
      expect((await readRollouts(join(dir, 'rollouts.jsonl'))).records).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuse a missing field, naming it', async () => {
    await invalid(() => rewardTextOf({ text: 'x' } as never), 'rewardTextOf', 'item.trajectory');
    const { id: _id, ...noId } = trajectory;
    await invalid(
      () => rewardTextOf({ trajectory: noId } as never),
      'rewardTextOf',
      'item.trajectory.id',
    );
    await invalid(() => readRollouts(undefined as never), 'readRollouts', 'path');
  });

  it('refuse a wrong type, naming the field', async () => {
    await invalid(
      () => rewardTextOf({ trajectory, text: 7 } as never),
      'rewardTextOf',
      'item.text',
    );
    await invalid(() => readRollouts(7 as never), 'readRollouts', 'path');
  });

  it('refuse a misspelt key, naming it', async () => {
    await invalid(
      () => rewardTextOf({ trajectory, txt: 'x' } as never),
      'rewardTextOf',
      'item.txt',
    );
  });
});
