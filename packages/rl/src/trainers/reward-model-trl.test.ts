import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  gsm8kCorrectnessPairs,
  HF_REWARD_MODEL_KIND,
  openTrajectoryScorer,
  renderScoreText,
  trainTransformerRewardModel,
  transformerTrainerScript,
} from '@autotraj/reward-model';
import { loadHfTokenizer } from '@autotraj/reward-model/internal';
import { PythonTrainerError } from '@autotraj/tools';
import {
  type PreferencePair,
  type RolloutRecord,
  type TrajectoryScorer,
  taskSchema,
} from '@autotraj/trajectory';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paperRewardOptions } from '../reward/paper-reward.js';
import { runRollouts } from '../rollout/run-rollouts.js';
import { createRewardServer } from '../server/reward-server.js';
import { trajectoryFromPolicyText } from '../text-trajectory.js';
import { python } from './run-python.js';

const run = promisify(execFile);
const dataDir = fileURLToPath(new URL('../../../../../shared/data/', import.meta.url));
const MAX_LENGTH = 48;

function realPairs(): PreferencePair[] {
  const records = readFileSync(join(dataDir, 'gsm8k/model-solutions.dev.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as unknown);
  return gsm8kCorrectnessPairs(records);
}

/** PyTorch's token ids and scores for `texts` (train_rm.py score: the trained checkpoint, unpadded). */
async function torchScores(dir: string, texts: string[]) {
  const file = join(dir, 'texts.jsonl');
  writeFileSync(file, texts.map((text) => `${JSON.stringify({ text })}\n`).join(''));
  const { stdout } = await run(
    python!,
    [
      transformerTrainerScript,
      'score',
      '--model',
      join(dir, 'rm'),
      '--texts',
      file,
      '--max-length',
      String(MAX_LENGTH),
    ],
    {
      env: { ...process.env, HF_HUB_OFFLINE: '1', TRANSFORMERS_OFFLINE: '1', OMP_NUM_THREADS: '1' },
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as { ids: number[][]; scores: number[] };
}

describe.skipIf(python === undefined)(
  'transformer reward model (TRL RewardTrainer, MiniLM)',
  () => {
    let dir: string;
    let scorer: TrajectoryScorer;
    const pairs = realPairs();
    const train = pairs.slice(0, 8);
    // Real trajectories the model never saw, long enough that truncation to MAX_LENGTH cuts them.
    const unseen = pairs.slice(40, 46).flatMap((p) => [
      { question: p.question, trajectory: p.chosen },
      { question: p.question, trajectory: p.rejected },
    ]);

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'rm-trl-'));
      const summary = await trainTransformerRewardModel({
        pairs: train,
        outDir: join(dir, 'rm'),
        base: 'minilm',
        maxSteps: 2,
        batchSize: 4,
        maxLength: MAX_LENGTH,
      });
      expect(summary).toMatchObject({ pairs: 8, steps: 2 });
      scorer = await openTrajectoryScorer({ path: join(dir, 'rm') });
    }, 600_000);
    afterAll(async () => {
      await scorer?.close();
    });

    it('is opened by its metadata as the Hugging Face scorer', () => {
      expect(scorer.metadata).toMatchObject({ kind: 'hf-sequence-classifier' });
      expect(scorer.metadata?.props?.['autotraj.kind']).toBe(HF_REWARD_MODEL_KIND);
    });

    it('tokenizes exactly as the Python tokenizer and scores as PyTorch (1e-4)', async () => {
      const texts = unseen.map((item) => renderScoreText(item));
      const reference = await torchScores(dir, texts);
      const tokenizer = await loadHfTokenizer({
        tokenizerPath: join(dir, 'rm', 'tokenizer.json'),
        tokenizerConfigPath: join(dir, 'rm', 'tokenizer_config.json'),
        maxLength: MAX_LENGTH,
        truncationSide: 'left',
      });
      const ours = texts.map((text) => tokenizer.encode(text));
      expect(ours).toEqual(reference.ids);
      // Truncation was exercised: every text is longer than MAX_LENGTH tokens.
      expect(ours.every((ids) => ids.length === MAX_LENGTH)).toBe(true);
      // Shorter texts in one padded batch: the attention mask must hide the padding.
      const mixed = [
        ...unseen.slice(0, 4),
        { question: 'What is 6*7?', trajectory: unseen[0]!.trajectory },
      ];
      const mixedTexts = mixed.map((item) => renderScoreText(item));
      const mixedReference = await torchScores(dir, mixedTexts);
      const got = await scorer.score(mixed);
      for (let i = 0; i < mixed.length; i++)
        expect(Math.abs(got[i]! - mixedReference.scores[i]!)).toBeLessThan(1e-4);
      const all = await scorer.score(unseen);
      for (let i = 0; i < unseen.length; i++)
        expect(Math.abs(all[i]! - reference.scores[i]!)).toBeLessThan(1e-4);
      // A trained head, not a constant.
      expect(new Set(Array.from(all)).size).toBeGreaterThan(1);
    }, 300_000);

    it('scores requests in the reward server', async () => {
      const server = createRewardServer({ scorer, reward: paperRewardOptions() });
      const { url } = await server.listen({ port: 0, host: '127.0.0.1' });
      try {
        const question = 'What is 6*7?';
        const text =
          '<think>6*7</think><code>print(6*7)</code><result>42</result><answer>\\boxed{42}</answer>';
        const response = await fetch(`${url}/score`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ trajectory: text, question }),
        });
        expect(response.status).toBe(200);
        const body = (await response.json()) as { score: number };
        const direct = await scorer.score([
          { question, trajectory: trajectoryFromPolicyText(text, { question }) },
        ]);
        expect(body.score).toBeCloseTo(direct[0]!, 5);
      } finally {
        await server.close();
      }
    }, 120_000);

    it('gives the rollout loop its RM term', async () => {
      const task = taskSchema.parse({
        id: 'g1',
        question: 'What is 6*7?',
        goldAnswers: ['42'],
        dataSource: 'gsm8k',
      });
      const seen: RolloutRecord[] = [];
      const outDir = join(dir, 'rollouts');
      const summary = await runRollouts({
        prompts: [task],
        groupSize: 2,
        trajectoryModel: scorer,
        outDir,
        generate: async (t, { rolloutIndex }) =>
          trajectoryFromPolicyText(
            `<think>compute ${rolloutIndex}</think><code>print(6*7)</code><result>42</result><answer>\\boxed{42}</answer>`,
            { question: t.question, taskId: t.id, id: `g1-${rolloutIndex}` },
          ),
        onGroup: (records) => seen.push(...records),
      });
      expect(summary).toMatchObject({ groups: 1, rollouts: 2, failedGroups: 0 });
      const direct = await scorer.score(
        seen.map((r) => ({ question: task.question, trajectory: r.trajectory })),
      );
      seen.forEach((record, i) => {
        expect(record.reward.components.outcome).toBe(1);
        expect(record.reward.components.trajectoryModel).toBeCloseTo(direct[i]!, 5);
      });
    }, 120_000);

    it('names the requirements file when Python cannot run the trainer', async () => {
      const error = await trainTransformerRewardModel({
        pairs: train,
        outDir: join(dir, 'never'),
        python: join(dir, 'no-such-python'),
      }).catch((e: unknown) => e);
      expect(PythonTrainerError.isInstance(error)).toBe(true);
      expect((error as PythonTrainerError).problem).toBe('python-missing');
      expect((error as Error).message).toContain('python/requirements-trainers.txt');
    });
  },
);
