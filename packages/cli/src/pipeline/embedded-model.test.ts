import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { realModelPath } from '../test-support/real-model.js';
import { run } from '../test-support/run.js';

const model = realModelPath('smollm2', 'the embedded-model pipeline test');

describe.skipIf(model === undefined)(
  'autotraj run on the embedded model (SmolLM2-135M, real weights)',
  () => {
    it('every stage completes; the summary records the model and states what the tiny model did', async () => {
      const out = join(mkdtempSync(join(tmpdir(), 'autotraj-embedded-')), 'run');
      // One problem, 2 candidates, groups of 2, 48 tokens a call: small enough for a loaded CI box.
      const result = await run([
        ...['run', '--model', 'local:smollm2', '--out', out, '--limit', '1'],
        ...['--n', '2', '--group-size', '2', '--max-tokens', '48', '--concurrency', '2'],
      ]);
      expect(result.code, result.stderr).toBe(0);
      const summary = JSON.parse(readFileSync(join(out, 'run-summary.json'), 'utf8'));
      expect(summary.model).toEqual({ mode: 'live', name: 'local:smollm2' });
      expect(summary.sampling).toMatchObject({
        taskCount: 1,
        n: 2,
        groupSize: 2,
        temperature: 0.3,
        maxTokens: 48,
      });
      const { synthesize, rollout } = summary.stages;
      const rm = summary.stages['train-rm'];
      expect(synthesize).toMatchObject({ status: 'completed', candidates: 2 });
      expect(rollout).toMatchObject({ status: 'completed', rollouts: 2 });
      // One problem cannot give the 4 pairs train-rm needs: it is skipped, with the reason, and
      // the rollouts are scored without a reward model.
      expect(rm).toMatchObject({ status: 'skipped', minPairs: 4, modelPath: null });
      expect(rm.notes[0]).toMatch(
        /^\d preference pair\(s\): too few to train a reward model \(need 4\); rollout rewards use format \+ outcome only$/,
      );
      expect(rollout.rewardTerms).toEqual(['format', 'outcome']);
      expect(result.stdout).toContain(rm.notes[0]);
      expect(result.stdout).toContain(`${synthesize.correct} of 2 candidates answered correctly`);
      // Each stage's statements reach the user and the report, figures as measured.
      for (const note of [...synthesize.notes, ...rollout.notes])
        expect(result.stdout).toContain(note);
      const html = readFileSync(join(out, 'report.html'), 'utf8');
      expect(html).toContain('model: local:smollm2 (live)');
      expect(html).toContain('id="rm-skipped"');
      expect(html).not.toContain('id="rm-accuracy"');
      expect(existsSync(join(out, 'reward-model', 'model.onnx'))).toBe(false);
      const rollouts = readFileSync(join(out, 'rl', 'rollouts.jsonl'), 'utf8')
        .trim()
        .split('\n');
      for (const line of rollouts) {
        const record = JSON.parse(line);
        expect(record.trajectory.provenance.model).toBe('local:smollm2');
        expect(record.reward.components).not.toHaveProperty('trajectoryModel');
      }
    }, 900_000);
  },
);
