import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trajectoryFromText } from '@autotraj/trajectory';
import { isSealedTrajectory } from '@autotraj/trajectory/internal';
import { afterAll, describe, expect, it } from 'vitest';
import { readCandidateSource } from './candidate-source.js';

const dir = mkdtempSync(join(tmpdir(), 'candidate-source-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readCandidateSource', () => {
  it('returns each candidate trajectory sealed, as a sampled one is (the evaluator takes it without another walk)', () => {
    const { trajectory } = trajectoryFromText('<answer>\\boxed{42}</answer>', {
      format: 'tags',
      taskId: 'q1',
      question: 'What is 6 * 7?',
    });
    const record = {
      id: 'c1',
      taskId: 'q1',
      index: 0,
      trajectory,
      correct: true,
      quality: 1,
      diagnostics: [],
      decision: { action: 'keep', reason: 'correct' },
    };
    const file = join(dir, 'candidates.jsonl');
    writeFileSync(file, `${JSON.stringify(record)}\n`);
    const read = readCandidateSource(file).byTask.get('q1')!.get(0)!.record;
    expect(read.trajectory).toEqual(trajectory);
    expect(read.trajectory).not.toBe(trajectory);
    expect(isSealedTrajectory(read.trajectory)).toBe(true);
    expect(() => {
      (read.trajectory.metadata as Record<string, unknown>).x = 1;
    }).toThrow(TypeError);
  });
});
