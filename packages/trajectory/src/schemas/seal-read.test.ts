import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { trajectoryFromText } from '../index.js';
import { readJsonlArray } from '../jsonl/read-jsonl.js';
import { isTrajectory } from './guards.js';
import { preferencePairSchema, rolloutRecordSchema } from './records.js';
import { isSealedTrajectory } from './sealed.js';
import { trajectorySchema } from './trajectory.js';

const dir = mkdtempSync(join(tmpdir(), 'seal-read-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const text = '<think>Multiply.</think><python>print(6*7)</python><answer>\\boxed{42}</answer>';
const built = (salt: number) =>
  trajectoryFromText(text, { format: 'tags', taskId: 'q1', question: 'What is 6 * 7?', salt })
    .trajectory;
function file(name: string, records: unknown[]): string {
  const path = join(dir, name);
  writeFileSync(path, records.map((r) => `${JSON.stringify(r)}\n`).join(''));
  return path;
}

describe('records read with a contract schema: trajectories sealed', () => {
  it('a trajectories file: each one sealed and frozen, equal to what was written', async () => {
    const written = [built(1), built(2)];
    const read = await readJsonlArray(file('t.jsonl', written), { schema: trajectorySchema });
    expect(read).toEqual(written);
    for (const t of read) {
      expect(isSealedTrajectory(t)).toBe(true);
      expect(Object.isFrozen(t.steps[0])).toBe(true);
      expect(() => {
        (t.metadata as Record<string, unknown>).x = 1;
      }).toThrow(TypeError);
    }
  });

  it('rollouts and pairs: the trajectories inside are sealed; the record itself stays writable', async () => {
    const rollout = {
      id: 'r1',
      taskId: 'q1',
      groupId: 'g1',
      rolloutIndex: 0,
      prompt: 'What is 6 * 7?',
      trajectory: built(3),
      reward: { total: 1, components: { outcome: 1 } },
      rendered: { format: 'tags', text, spans: [] },
    };
    const [r] = await readJsonlArray(file('r.jsonl', [rollout]), { schema: rolloutRecordSchema });
    expect(isSealedTrajectory(r!.trajectory)).toBe(true);
    r!.advantage = 0.5;
    expect(r!.advantage).toBe(0.5);
    const pair = {
      id: 'p1',
      taskId: 'q1',
      question: 'What is 6 * 7?',
      chosen: built(4),
      rejected: built(5),
    };
    const [p] = await readJsonlArray(file('p.jsonl', [pair]), { schema: preferencePairSchema });
    expect(isSealedTrajectory(p!.chosen) && isSealedTrajectory(p!.rejected)).toBe(true);
  });

  it('records read without a schema are the caller-owned JSON values, not sealed', async () => {
    const [t] = await readJsonlArray(file('u.jsonl', [built(6)]));
    expect(isSealedTrajectory(t)).toBe(false);
    expect(Object.isFrozen(t)).toBe(false);
    // Still checked (by the guard) wherever an entry takes it.
    expect(isTrajectory(t)).toBe(true);
  });
});
