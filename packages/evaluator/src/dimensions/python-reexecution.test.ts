import { createPythonPool } from '@autotraj/tools';
import { toraTrajectory } from '@autotraj/trajectory';
import { afterAll, describe, expect, it } from 'vitest';
import { createEvaluator } from '../evaluate/create-evaluator.js';
import { readSharedJsonl } from '../test-support/shared-data.js';
import { pythonOutputsAgree, reexecutePython } from './python-reexecution.js';

const pool = createPythonPool({ size: 1 });
afterAll(() => pool.close());

describe('Python re-execution', () => {
  it('compares outputs ignoring whitespace and float printing noise', () => {
    expect(pythonOutputsAgree('16.0\n', '16.0')).toBe(true);
    expect(pythonOutputsAgree('0.30000000000000004', '0.3')).toBe(true);
    expect(pythonOutputsAgree('16', '17')).toBe(false);
  });

  it('reproduces real ToRA outputs and flags a tampered one', async () => {
    const records = readSharedJsonl('tora/gsm8k.dev.jsonl').slice(0, 3);
    for (const raw of records) {
      const { trajectory } = toraTrajectory(raw);
      const outcome = await reexecutePython(trajectory, { executor: pool });
      expect(outcome.checks).toBeGreaterThan(0);
      expect(outcome.diagnostics).toEqual([]);
    }
    const { task, trajectory } = toraTrajectory(records[0]);
    const tampered = {
      ...trajectory,
      steps: trajectory.steps.map((step) =>
        step.type === 'tool-result' ? { ...step, output: '123456789' } : step,
      ),
    };
    const evaluator = createEvaluator({ preset: 'full', python: { executor: pool } });
    const report = await evaluator.evaluate({ task, trajectory: tampered });
    expect(report.dimensions.consistency!.diagnostics.map((d) => d.code)).toContain(
      'consistency/python-mismatch',
    );
    expect(report.dimensions.consistency!.score).toBeLessThan(1);
  });
});
