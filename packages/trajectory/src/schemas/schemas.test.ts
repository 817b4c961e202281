import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.js';
import { contentId, trajectoryId } from '../ids.js';
import { validate } from '../validate.js';
import { isJsonValue } from './json-value.js';
import { trajectorySchema } from './trajectory.js';

const base = { id: 't1', taskId: 'task', steps: [] };

describe('trajectory schema', () => {
  it('fills defaults and accepts linked call/result pairs', () => {
    const t = validate(trajectorySchema, {
      ...base,
      steps: [
        { type: 'tool-call', callId: 'a', toolName: 'python', input: { code: 'print(1)' } },
        { type: 'tool-result', callId: 'a', toolName: 'python', output: '1' },
      ],
    });
    expect(t.finalAnswer).toBeNull();
    expect(t.steps[1]).toMatchObject({ isError: false });
    expect(t.provenance).toEqual({});
  });

  it('rejects results for unknown calls and duplicate call ids, naming the step', () => {
    const orphan = () =>
      validate(trajectorySchema, {
        ...base,
        steps: [{ type: 'tool-result', callId: 'nope', toolName: 'python', output: '' }],
      });
    expect(orphan).toThrow(/field steps\[0\]\.callId: result for unknown call id "nope"/);
    const dup = () =>
      validate(trajectorySchema, {
        ...base,
        steps: [
          { type: 'tool-call', callId: 'a', toolName: 'python', input: {} },
          { type: 'tool-call', callId: 'a', toolName: 'python', input: {} },
        ],
      });
    expect(dup).toThrow(ValidationError);
  });

  it('rejects unknown step types and non-JSON tool inputs', () => {
    expect(() => validate(trajectorySchema, { ...base, steps: [{ type: 'dance' }] })).toThrow(
      /steps\[0\]/,
    );
    expect(() =>
      validate(trajectorySchema, {
        ...base,
        steps: [{ type: 'tool-call', callId: 'a', toolName: 'x', input: () => 1 }],
      }),
    ).toThrow(/steps\[0\]\.input/);
  });
});

describe('content ids', () => {
  it('are stable across key order and change with content', () => {
    expect(contentId('x', { a: 1, b: [1, { c: 2, d: 3 }] })).toBe(
      contentId('x', { b: [1, { d: 3, c: 2 }], a: 1 }),
    );
    expect(contentId('x', { a: 1 })).not.toBe(contentId('x', { a: 2 }));
    expect(contentId('x', { a: 1 })).toMatch(/^x_[0-9a-f]{16}$/);
  });

  it('salt separates identical samples', () => {
    const steps = [{ type: 'think', text: 'a' }];
    expect(trajectoryId({ taskId: 't', steps, salt: 0 })).not.toBe(
      trajectoryId({ taskId: 't', steps, salt: 1 }),
    );
    expect(trajectoryId({ taskId: 't', steps })).toBe(trajectoryId({ taskId: 't', steps }));
  });
});

describe('JSON values', () => {
  it('accept what survives a JSON round trip and nothing else', () => {
    expect(isJsonValue({ a: [1, 'x', null, true, { b: 2.5 }] })).toBe(true);
    expect(isJsonValue(Object.create(null))).toBe(true);
    for (const bad of [
      undefined,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      () => 1,
      new Date(),
      new Map(),
      [1, undefined],
      { a: 1n },
    ]) {
      expect(isJsonValue(bad), String(bad)).toBe(false);
    }
  });
});
