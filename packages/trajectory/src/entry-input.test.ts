import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// The package's main entry, as a user imports it.
import {
  checkAdmission,
  preferencePairSchema,
  readJsonlArray,
  toAlpaca,
  toShareGpt,
  toTrlPreference,
  ValidationError,
} from './index.js';

const trajectory = {
  id: 't1',
  taskId: 'q1',
  steps: [
    { type: 'think', text: 'Six times seven.' },
    { type: 'tool-call', callId: 'c1', toolName: 'python', input: { code: 'print(6*7)' } },
    { type: 'tool-result', callId: 'c1', toolName: 'python', output: '42' },
    { type: 'answer', text: '\\boxed{42}', answer: '42' },
  ],
};
// Records as a user writes them: only the required fields (defaults filled in).
const pair = {
  id: 'p1',
  taskId: 'q1',
  question: 'What is 6 * 7?',
  chosen: trajectory,
  rejected: { ...trajectory, id: 't2', steps: [{ type: 'answer', text: '\\boxed{41}' }] },
};
const sft = {
  id: 's1',
  taskId: 'q1',
  question: 'What is 6 * 7?',
  trajectory,
  origin: 'kept',
  rendered: { format: 'tags', text: '<think>Six times seven.</think>', spans: [] },
};

function invalid(call: () => unknown, entry: string, field: string): void {
  let thrown: unknown;
  try {
    call();
  } catch (error) {
    thrown = error;
  }
  expect(ValidationError.isInstance(thrown), String(thrown)).toBe(true);
  const error = thrown as ValidationError;
  expect(error.code).toBe('validation_failed');
  expect(error.issues[0]?.path).toBe(field);
  expect(error.message).toContain(entry);
  expect(error.message).toContain(`field ${field}:`);
}

describe('dataset exports and the admission gate: entry input', () => {
  it('take records given without their defaulted fields', () => {
    expect(toTrlPreference(pair as never).chosen).toContain('print(6*7)');
    expect(toShareGpt(sft as never).conversations[0]).toEqual({
      from: 'human',
      value: 'What is 6 * 7?',
    });
    expect(checkAdmission({ trajectory } as never).admitted).toBe(true);
  });

  it('refuse a missing field, naming it', () => {
    const { rejected: _r, ...noRejected } = pair;
    invalid(() => toTrlPreference(noRejected as never), 'toTrlPreference', 'pair.rejected');
    const { rendered: _x, ...noRendered } = sft;
    invalid(() => toAlpaca(noRendered as never), 'toAlpaca', 'record.rendered');
  });

  it('refuse a wrong type, naming the field', () => {
    invalid(
      () =>
        toShareGpt({
          ...sft,
          trajectory: { ...trajectory, steps: [{ type: 'think', text: 1 }] },
        } as never),
      'toShareGpt',
      'record.trajectory.steps[0].text',
    );
    invalid(
      () => checkAdmission({ trajectory: { ...trajectory, id: '' } } as never),
      'checkAdmission',
      'trajectory.id',
    );
  });

  it('refuse a misspelt option or argument key; ignore unknown record keys as the JSONL readers do', async () => {
    invalid(
      () => toTrlPreference(pair as never, { fromat: 'tags' } as never),
      'toTrlPreference',
      'options.fromat',
    );
    invalid(
      () => checkAdmission({ trajectory, qestion: 'q' } as never),
      'checkAdmission',
      'qestion',
    );
    const dir = mkdtempSync(join(tmpdir(), 'entry-input-'));
    try {
      const extra = { ...pair, reviewer: 'me' };
      writeFileSync(join(dir, 'pairs.jsonl'), `${JSON.stringify(extra)}\n`);
      const [fromFile] = await readJsonlArray(join(dir, 'pairs.jsonl'), {
        schema: preferencePairSchema,
      });
      expect(fromFile).not.toHaveProperty('reviewer');
      expect(toTrlPreference(extra as never)).toEqual(toTrlPreference(fromFile!));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
