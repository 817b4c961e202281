import { writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toShareGpt } from '@autotraj/trajectory';
import { describe, expect, it } from 'vitest';
import { tagSftRecord } from '../test-support.js';
import { python, runCheck } from './run-python.js';

const texts = [
  '<think>Add first.</think><code>print(17+25)</code><result>42</result><think>Then halve.</think><code>print(42/2)</code><result>21.0</result><answer>\\boxed{21}</answer>',
  '<code>print(6*7)</code><result>42</result><answer>\\boxed{42}</answer>',
  '<think>2+2=4.</think><answer>\\boxed{4}</answer>',
];

const record = (text: string, i: number) =>
  tagSftRecord({
    text,
    id: `s${i}`,
    taskId: `t${i}`,
    question: `q${i}`,
    instruction: 'Use tools.',
  });

describe.skipIf(python === undefined)("LLaMA-Factory's ShareGPT converter on our export", () => {
  it('keeps every example; tool output lands in observation turns, which its processor masks', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rl-lf-'));
    const path = join(dir, 'sharegpt.json');
    const records = texts.map(record);
    writeFileSync(path, JSON.stringify(records.map(toShareGpt)));
    const out = (await runCheck('llamafactory_check.py', [path])) as {
      roles: Record<string, string>;
      records: Array<{
        system: string;
        turns: Array<{ role: string; content: string; masked: boolean }>;
      }>;
    };
    expect(out.roles.OBSERVATION).toBe('observation');
    const [two, bare, none] = out.records;
    expect(two!.system).toBe('Use tools.');
    expect(two!.turns.map((t) => [t.role, t.masked])).toEqual([
      ['user', true],
      ['function', false],
      ['observation', true],
      ['function', false],
      ['observation', true],
      ['assistant', false],
    ]);
    expect(two!.turns.filter((t) => t.role === 'observation').map((t) => t.content)).toEqual([
      '42',
      '21.0',
    ]);
    // The thought before each call is trained on, inside the function turn.
    expect(two!.turns[1]!.content).toBe(
      '<think>\nAdd first.\n</think>\n\n{"name":"python","arguments":{"code":"print(17+25)"}}',
    );
    expect(bare!.turns.map((t) => t.role)).toEqual([
      'user',
      'function',
      'observation',
      'assistant',
    ]);
    expect(none!.turns.map((t) => t.role)).toEqual(['user', 'assistant']);
    // Every tool result, and nothing else the model wrote, is in a masked turn.
    for (const [i, r] of out.records.entries()) {
      const tool = records[i]!.trajectory.steps.flatMap((s) =>
        s.type === 'tool-result' ? [s.output] : [],
      );
      expect(r.turns.filter((t) => t.masked && t.role !== 'user').map((t) => t.content)).toEqual(
        tool,
      );
    }
  }, 120_000);
});
