import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createVllmProvider } from '@autotraj/generation';
import {
  type LoopbackServer,
  startLoopbackServer,
  tagScriptReply,
} from '@autotraj/generation/testing';
import {
  rolloutRecordSchema,
  SAMPLE_SEED_DERIVATION,
  sampleSeed,
  type Task,
  type ToolRuntime,
  taskSchema,
} from '@autotraj/trajectory';
import { modelWrittenText } from '@autotraj/trajectory/internal';
import { afterEach, describe, expect, it } from 'vitest';
import { groupAdvantages } from '../advantages.js';
import { createReward } from '../reward/create-reward.js';
import { mathOutcome } from '../reward/outcomes.js';
import { createFunctionScorer, type TrajectoryScorer } from '../scorer.js';
import { simpleFormatCheck, tagTrajectory } from '../test-support.js';
import { readRollouts } from './read-rollouts.js';
import { runRollouts } from './run-rollouts.js';

const exactMath = mathOutcome({ verify: ({ gold, pred }) => ({ equivalent: gold === pred }) });
const tasks: Task[] = [
  taskSchema.parse({
    id: 'mul',
    question: 'What is 6*7?',
    goldAnswers: ['42'],
    dataSource: 'gsm8k',
  }),
  taskSchema.parse({
    id: 'add',
    question: 'What is 20+22?',
    goldAnswers: ['42'],
    dataSource: 'gsm8k',
  }),
];

/** The calculator as a tool runtime (arithmetic only). */
const calculator: ToolRuntime = {
  name: 'calculator',
  async run(input) {
    const expression = String((input as { expression?: string }).expression ?? '');
    if (!/^[\d\s+*/().-]+$/.test(expression))
      return { output: 'error', isError: true, durationMs: 0 };
    return { output: String(Function(`return (${expression})`)()), isError: false, durationMs: 0 };
  },
};

let loopback: LoopbackServer | undefined;
afterEach(async () => {
  await loopback?.close();
  loopback = undefined;
});

describe('runRollouts through the TIR generation loop and a loopback OpenAI-compatible policy', () => {
  it('writes G scored rollouts per prompt with advantages and loss masks, and resumes', async () => {
    // Each rollout follows variant k (round robin over first calls); odd variants answer wrong.
    let firstCalls = 0;
    const userTurns = new Set<string>();
    loopback = await startLoopbackServer({
      reply: tagScriptReply((request) => {
        const user = request.messages.find((m) => m.role === 'user');
        if (typeof user?.content === 'string') userTurns.add(user.content);
        const last = request.messages.at(-1)!;
        const prefix =
          last.role === 'assistant' && typeof last.content === 'string' ? last.content : '';
        const k = prefix === '' ? firstCalls++ % 4 : Number(/variant (\d)/.exec(prefix)![1]);
        const q = JSON.stringify(request.messages).includes('6*7') ? '6*7' : '20+22';
        return `<think>variant ${k}: compute ${q}.</think>\n<calculator>${q}</calculator>\n<think>So it is that.</think>\n<answer>\\boxed{${k % 2 === 0 ? 42 : 41}}</answer>`;
      }),
    });
    const model = createVllmProvider({ baseURL: loopback.baseURL }).languageModel('policy');
    const rmCalls: number[] = [];
    const scorer: TrajectoryScorer = {
      score: async (items) => {
        rmCalls.push(items.length);
        return createFunctionScorer((i) => (i.question === 'What is 6*7?' ? 1 : 2)).score(items);
      },
      close: async () => {},
    };
    const reward = createReward({
      format: simpleFormatCheck,
      outcome: exactMath,
      trajectoryModel: scorer,
    });
    const outDir = mkdtempSync(join(tmpdir(), 'rl-rollouts-'));
    const summary = await runRollouts({
      prompts: tasks,
      groupSize: 4,
      model,
      tools: [calculator],
      reward,
      outDir,
      concurrency: 4,
      rewardBatchSize: 4,
    });
    expect(summary).toMatchObject({
      groups: 2,
      rollouts: 8,
      failedGroups: 0,
      resumedGroups: 0,
      zeroVarianceGroups: 0,
    });

    const lines = readFileSync(summary.path, 'utf8')
      .trim()
      .split('\n')
      .map((l) => rolloutRecordSchema.parse(JSON.parse(l)));
    expect(lines).toHaveLength(8);
    for (const task of tasks) {
      const group = lines
        .filter((r) => r.taskId === task.id)
        .sort((a, b) => a.rolloutIndex - b.rolloutIndex);
      expect(group.map((r) => r.rolloutIndex)).toEqual([0, 1, 2, 3]);
      // Two right, two wrong: correct ones get 1 + 0.2 * rm, wrong ones 0.
      const rm = task.id === 'mul' ? 1 : 2;
      expect(group.map((r) => r.reward.total).sort()).toEqual([0, 0, 1 + 0.2 * rm, 1 + 0.2 * rm]);
      expect(group.map((r) => r.advantage)).toEqual(
        groupAdvantages(group.map((r) => r.reward.total)),
      );
      for (const r of group) {
        // The turns recorded for the trainer are the ones the policy was sent.
        expect(r.promptTurns?.name).toBe('tags-example');
        expect(userTurns.has(r.promptTurns?.user ?? '')).toBe(true);
        expect(r.promptTurns?.user).toContain(task.question);
        expect(r.trajectory.provenance.origin).toBe('rollout');
        expect(r.trajectory.steps.map((s) => s.type)).toEqual([
          'think',
          'tool-call',
          'tool-result',
          'think',
          'answer',
        ]);
        // The tool's output is masked; everything the policy wrote is trained on.
        const toolText = r.rendered.spans
          .filter((s) => s.source === 'tool')
          .map((s) => r.rendered.text.slice(s.start, s.end))
          .join('');
        expect(toolText).toContain('42');
        expect(modelWrittenText(r.rendered)).toContain(
          `<calculator>${task.id === 'mul' ? '6*7' : '20+22'}</calculator>`,
        );
        expect(modelWrittenText(r.rendered)).not.toMatch(/<result>\s*42/);
      }
    }
    // Rewards went out in batches, not one call per rollout.
    expect(rmCalls.reduce((a, b) => a + b, 0)).toBe(4);
    expect(summary.rewardBatches).toBeLessThan(8);

    // Resume: nothing to do.
    const requestsBefore = loopback.requests.length;
    const again = await runRollouts({
      prompts: tasks,
      groupSize: 4,
      model,
      tools: [calculator],
      reward,
      outDir,
    });
    expect(again).toMatchObject({ groups: 0, resumedGroups: 2 });
    expect(loopback.requests.length).toBe(requestsBefore);

    // A kill in the middle of writing the last group: it is regenerated whole, once.
    const text = readFileSync(summary.path, 'utf8');
    const kept = text.split('\n').slice(0, 6).join('\n');
    writeFileSync(summary.path, `${kept}\n{"id": "cut`);
    const resumed = await runRollouts({
      prompts: tasks,
      groupSize: 4,
      model,
      tools: [calculator],
      reward,
      outDir,
    });
    expect(resumed).toMatchObject({ groups: 1, resumedGroups: 1 });
    const read = await readRollouts(summary.path);
    expect(read.records).toHaveLength(8);
    expect([...read.groupSizes.values()]).toEqual([4, 4]);
  });
});

describe('runRollouts seeds', () => {
  it('draws rollout i of each group with the seed derived from the run seed, prompt and i', async () => {
    loopback = await startLoopbackServer({
      reply: (request) => ({
        text: `<think>seed ${request.seed ?? 'none'}</think>\n<answer>\boxed{42}</answer>`,
      }),
    });
    const model = createVllmProvider({ baseURL: loopback.baseURL }).languageModel('policy');
    const prompts = Array.from({ length: 20 }, (_, k) =>
      taskSchema.parse({ id: `p${k}`, question: `What is ${k}+42-${k}?`, goldAnswers: ['42'] }),
    );
    const reward = createReward({ outcome: exactMath });
    const rollouts = async (sampling: { temperature: number; seed?: number }) => {
      const outDir = mkdtempSync(join(tmpdir(), 'rl-seeds-'));
      const summary = await runRollouts({
        prompts,
        groupSize: 3,
        model,
        reward,
        outDir,
        generation: { sampling },
      });
      expect(summary.failedGroups).toBe(0);
      return (await readRollouts(summary.path)).records;
    };

    const records = await rollouts({ temperature: 1, seed: 3 });
    expect(records).toHaveLength(60);
    const sent = new Set(loopback.requests.map((r) => r.seed));
    for (const r of records) {
      const seed = sampleSeed({ runSeed: 3, taskId: r.taskId, index: r.rolloutIndex });
      expect(r.trajectory.provenance.sampling).toEqual({ temperature: 1, seed });
      expect(sent.has(seed)).toBe(true);
      expect(r.metadata.seedDerivation).toBe(SAMPLE_SEED_DERIVATION);
    }
    // Rollout 1 of the 20 groups: 20 different draws, not seed 3 + 1 twenty times.
    const ones = records.filter((r) => r.rolloutIndex === 1).map((r) => r.trajectory);
    expect(new Set(ones.map((t) => t.provenance.sampling?.seed)).size).toBe(20);
    expect(ones.map((t) => t.provenance.sampling?.seed)).not.toContain(4);

    // A rerun gets the same seeds; without a seed none is sent and none is claimed.
    const seedsById = (rs: typeof records) =>
      Object.fromEntries(rs.map((r) => [r.id, r.trajectory.provenance.sampling?.seed]));
    expect(seedsById(await rollouts({ temperature: 1, seed: 3 }))).toEqual(seedsById(records));
    const before = loopback.requests.length;
    const unseeded = await rollouts({ temperature: 1 });
    expect(loopback.requests.slice(before).every((r) => r.seed === undefined)).toBe(true);
    expect(unseeded.every((r) => r.metadata.seedDerivation === undefined)).toBe(true);
  });
});

describe('runRollouts pipelining and failures (injected generation)', () => {
  it('rewards finished rollouts while others are still generating', async () => {
    const events: string[] = [];
    let active = 0;
    const many = Array.from({ length: 6 }, (_, i) =>
      taskSchema.parse({ id: `t${i}`, question: `q${i}`, goldAnswers: ['42'] }),
    );
    const reward = createReward({
      outcome: exactMath,
      trajectoryModel: {
        score: async (items) => {
          events.push(`reward:${items.length}:active=${active}`);
          return new Float32Array(items.length).fill(1);
        },
        close: async () => {},
      },
    });
    const summary = await runRollouts({
      prompts: many,
      groupSize: 4,
      reward,
      outDir: mkdtempSync(join(tmpdir(), 'rl-pipe-')),
      concurrency: 6,
      rewardBatchSize: 6,
      generate: async (task, { rolloutIndex }) => {
        active++;
        await new Promise((r) => setTimeout(r, 5 + ((rolloutIndex * 7) % 11)));
        active--;
        return tagTrajectory({
          answer: rolloutIndex % 2 === 0 ? '42' : '0',
          taskId: task.id,
          question: task.question,
          salt: `${task.id}${rolloutIndex}`,
        });
      },
    });
    expect(summary).toMatchObject({ groups: 6, rollouts: 24, failedGroups: 0 });
    // Some reward calls ran while generation was still active.
    expect(events.some((e) => !e.endsWith('active=0'))).toBe(true);
    expect(summary.rewardBatches).toBeLessThanOrEqual(12);
    expect(summary.meanReward).toBeCloseTo(0.6, 6);
  });

  it('does not write a group whose generation failed, and retries it on resume', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'rl-fail-'));
    const reward = createReward({ outcome: exactMath });
    let fail = true;
    const generate = async (task: Task, { rolloutIndex }: { rolloutIndex: number }) => {
      if (fail && task.id === 'add' && rolloutIndex === 2) throw new Error('policy server down');
      return tagTrajectory({ answer: '42', taskId: task.id, salt: `${rolloutIndex}` });
    };
    const first = await runRollouts({ prompts: tasks, groupSize: 4, reward, outDir, generate });
    expect(first).toMatchObject({
      groups: 1,
      failedGroups: 1,
      zeroVarianceGroups: 1,
      errors: [{ groupId: 'add', message: 'policy server down' }],
    });
    fail = false;
    const second = await runRollouts({ prompts: tasks, groupSize: 4, reward, outDir, generate });
    expect(second).toMatchObject({ groups: 1, resumedGroups: 1, failedGroups: 0 });
    expect((await readRollouts(first.path)).records).toHaveLength(8);
  });

  it('fails the groups of a reward batch whose scoring failed, and keeps the others', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'rl-rmfail-'));
    let calls = 0;
    const reward = {
      score: async (items: ReadonlyArray<{ trajectory: { taskId: string } }>) => {
        if (calls++ === 0) throw new Error('reward model crashed');
        return items.map(() => ({ total: 1, components: { outcome: 1 } }));
      },
    };
    const generate = async (task: Task, { rolloutIndex }: { rolloutIndex: number }) =>
      tagTrajectory({ answer: '42', taskId: task.id, salt: `${rolloutIndex}` });
    const summary = await runRollouts({
      prompts: tasks,
      groupSize: 2,
      reward,
      outDir,
      generate,
      concurrency: 2,
      rewardBatchSize: 2,
    });
    expect(summary).toMatchObject({
      groups: 1,
      failedGroups: 1,
      errors: [{ message: 'reward model crashed' }],
    });
    expect((await readRollouts(summary.path)).records.map((r) => r.taskId)).toEqual(['add', 'add']);
  });

  it('rejects a bad group size and a missing model', async () => {
    const reward = createReward({ outcome: exactMath });
    await expect(
      runRollouts({ prompts: tasks, groupSize: 0, reward, outDir: tmpdir() }),
    ).rejects.toThrow(/groupSize/);
    await expect(
      runRollouts({ prompts: tasks, groupSize: 2, reward, outDir: tmpdir() }),
    ).rejects.toThrow(/needs a policy/);
  });

  it('rejects the { tools, close } object of createRolloutTools passed as tools', async () => {
    const reward = createReward({ outcome: exactMath });
    const rolloutTools = { tools: [] as ToolRuntime[], close: async () => {} };
    await expect(
      runRollouts({
        prompts: tasks,
        groupSize: 2,
        reward,
        outDir: tmpdir(),
        generate: async () => {
          throw new Error('not reached');
        },
        // @ts-expect-error: the mistake the README once taught
        tools: rolloutTools,
      }),
    ).rejects.toThrow(/tools.*createRolloutTools/);
  });
});
