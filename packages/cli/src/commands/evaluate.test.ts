import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, sharedData } from '../test-support/run.js';

const dir = mkdtempSync(join(tmpdir(), 'autotraj-evaluate-'));

function firstLines(relative: string, count: number): string {
  const path = join(dir, relative.replaceAll('/', '-'));
  writeFileSync(
    path,
    readFileSync(sharedData(relative), 'utf8').split('\n').slice(0, count).join('\n'),
  );
  return path;
}

describe('autotraj evaluate', () => {
  it('reads GSM8K model solutions directly, writes one report line per solution and a summary', async () => {
    const input = firstLines('gsm8k/model-solutions.dev.jsonl', 25);
    const out = join(dir, 'gsm8k-report.jsonl');
    const result = await run(['evaluate', input, '--preset', 'full', '--out', out]);
    expect(result.code).toBe(0);
    const reports = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(reports).toHaveLength(100);
    expect(reports.every((r) => r.correct === r.label)).toBe(true);
    expect(Object.keys(reports[0].dimensions)).toContain('consistency');
    expect(new Set(reports.map((r) => r.action))).toEqual(new Set(['keep', 'repair']));
    expect(result.stdout).toMatch(/agreement with labels\s+100\/100/);
    expect(result.stdout).toMatch(/queries\s+25/);
  });

  it('reads ToRA outputs with the paper preset', async () => {
    const input = firstLines('tora/gsm8k.dev.jsonl', 20);
    const out = join(dir, 'tora-report.jsonl');
    const result = await run(['evaluate', input, '--out', out]);
    expect(result.code).toBe(0);
    const reports = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(reports).toHaveLength(20);
    expect(Object.keys(reports[0].dimensions).sort()).toEqual([
      'confidence',
      'correctness',
      'length',
      'repetition',
    ]);
    expect(result.stdout).toMatch(/preset paper/);
  });

  it('takes gold answers for trajectory files from --tasks', async () => {
    const task = { id: 't1', question: 'What is 6 * 7?', goldAnswers: ['42'] };
    const trajectory = (id: string, answer: string) => ({
      id,
      taskId: 't1',
      steps: [
        { type: 'think', text: 'six times seven' },
        { type: 'answer', text: `\\boxed{${answer}}`, answer },
      ],
      finalAnswer: answer,
    });
    const tasks = join(dir, 'tasks.jsonl');
    const input = join(dir, 'trajectories.jsonl');
    writeFileSync(tasks, JSON.stringify(task));
    writeFileSync(
      input,
      [trajectory('a', '42'), trajectory('b', '41')].map((t) => JSON.stringify(t)).join('\n'),
    );
    const out = join(dir, 'traj-report.jsonl');
    const result = await run(['evaluate', input, '--tasks', tasks, '--out', out]);
    expect(result.code).toBe(0);
    const reports = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(reports.map((r) => [r.trajectoryId, r.correct, r.action])).toEqual([
      ['a', true, 'keep'],
      ['b', false, 'repair'],
    ]);
    expect(reports[1].reason).toBe('wrong-answer');
  });

  it('rejects an unknown preset as a usage error', async () => {
    const result = await run([
      'evaluate',
      'x.jsonl',
      '--preset',
      'nope',
      '--out',
      join(dir, 'x.jsonl'),
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown --preset "nope"/);
  });
});

describe('autotraj evaluate --preset paper', () => {
  it('writes C, L, E, quality, the ideal length and the decision per trajectory, on the text as written', async () => {
    const input = firstLines('tora/gsm8k.dev.jsonl', 40);
    const out = join(dir, 'tora-paper.jsonl');
    const result = await run(['evaluate', input, '--preset', 'paper', '--out', out]);
    expect(result.code).toBe(0);
    const reports = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    for (const r of reports) {
      expect(typeof r.C).toBe('number');
      expect(typeof r.L).toBe('number');
      expect(typeof r.E).toBe('number');
      expect(r.quality).toBeCloseTo(0.4 * r.C + 0.3 * r.L + 0.3 * r.E, 12);
      expect(Number.isInteger(r.idealLength)).toBe(true);
      expect(['keep', 'repair']).toContain(r.action);
    }
    // ToRA's markdown has no <answer> block: the paper's checker finds every answer wrong.
    expect(reports.every((r) => r.correct === false && r.action === 'repair')).toBe(true);
    expect(reports.every((r) => r.storedQuality === null)).toBe(true);
    // The words are Python str.split() words of the solution text itself.
    const first = JSON.parse(readFileSync(input, 'utf8').split('\n')[0]!);
    expect(reports[0].words).toBe(first.solution.split(/\s+/).filter(Boolean).length);
  });
});
