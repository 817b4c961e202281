import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../test-support/run.js';

const dir = mkdtempSync(join(tmpdir(), 'autotraj-reward-'));
const calls = '<code>print(1)</code><result>1</result>'.repeat(4);
const lines = [
  {
    id: 'sign',
    response: `<think>t</think><answer>\\boxed{-5}</answer>`,
    gold: '5',
    dataSource: 'gsm8k',
    rmScore: 1.5,
  },
  {
    id: 'float',
    response: `<think>t</think>${calls}<answer>\\boxed{64.0}</answer><|im_end|>`,
    gold: 64,
    dataSource: 'gsm8k',
    rmScore: 2,
  },
  {
    id: 'no-think',
    response: 'Sure. <answer>\\boxed{4}</answer>',
    gold: ['4'],
    dataSource: 'math',
  },
  {
    id: 'unboxable',
    response: '<think>a</think><answer>}\\boxed{</answer>',
    gold: '1',
    dataSource: 'math',
    rmScore: 1,
  },
  {
    id: 'qa',
    response: '<think>a</think><answer>\\boxed{Paris France}</answer>',
    gold: ['Paris'],
    dataSource: 'hotpotqa',
    rmScore: -4,
  },
];

async function rewards(preset: string) {
  const input = join(dir, 'in.jsonl');
  writeFileSync(input, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
  const out = join(dir, `${preset}.jsonl`);
  const result = await run(['reward', input, '--preset', preset, '--out', out]);
  expect(result.code).toBe(0);
  expect(result.stdout).toMatch(new RegExp(`preset ${preset}`));
  return readFileSync(out, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
}

describe('autotraj reward', () => {
  it('paper: the paper compute_score per line, with its components', async () => {
    const out = await rewards('paper');
    expect(out.map((r) => [r.id, r.total])).toEqual([
      ['sign', 1 + 0.2 * 1.5],
      ['float', 0],
      ['no-think', -1],
      ['unboxable', -1],
      ['qa', 2 / 3],
    ]);
    expect(out[0]).toMatchObject({
      preset: 'paper',
      formatOk: true,
      formatReason: null,
      answer: '-5',
      outcome: 1,
      rmScore: 1.5,
    });
    expect(out[0].rmBonus).toBeCloseTo(0.3, 12);
    expect(out[1]).toMatchObject({ formatOk: true, answer: '64.0', outcome: 0, rmBonus: 0 });
    expect(out[2]).toMatchObject({
      formatOk: false,
      formatReason: 'search bad format: <think> or </think> not found',
    });
    expect(out[3]).toMatchObject({ formatOk: false, formatReason: 'find box error', answer: null });
    // A negative RM never takes a correct answer below its F1.
    expect(out[4]).toMatchObject({ answer: 'Paris France', rmScore: -4, rmBonus: 0 });
  });

  it('autotraj: tool budget and equivalence-checked math', async () => {
    const out = await rewards('autotraj');
    expect(out[1]).toMatchObject({ total: -1, formatOk: false, outcome: 1 });
    expect(out[1].formatReason).toMatch(/4 tool calls; at most 3/);
    expect(out[0]).toMatchObject({ total: 0, outcome: 0 });
  });

  it('autotraj: --rm-calibration centres the RM term; the summary fits one to the right answers', async () => {
    const input = join(dir, 'calibrate.jsonl');
    const right = (id: string, rmScore: number) => ({
      id,
      response: '<think>t</think><answer>\\boxed{5}</answer>',
      gold: '5',
      dataSource: 'gsm8k',
      rmScore,
    });
    const wrong = { ...right('wrong', 9), response: '<think>t</think><answer>\\boxed{6}</answer>' };
    writeFileSync(
      input,
      `${[right('high', 3), right('low', 1), wrong].map((l) => JSON.stringify(l)).join('\n')}\n`,
    );
    const out = join(dir, 'calibrated.jsonl');
    const result = await run([
      'reward',
      input,
      '--preset',
      'autotraj',
      '--rm-calibration',
      '2,1',
      '--out',
      out,
    ]);
    expect(result.code, result.stderr).toBe(0);
    const rows = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    // (3 - 2) / 1 = 1 adds 0.2; (1 - 2) / 1 = -1 is floored at the outcome; a wrong answer gets none.
    expect(rows.map((r) => [r.id, r.total, r.rmScore])).toEqual([
      ['high', 1.2, 3],
      ['low', 1, 1],
      ['wrong', 0, null],
    ]);
    expect(rows[0].components.trajectoryModelCalibrated).toBe(1);
    // Median 2, median absolute deviation 1 x 1.4826, of the two right answers' raw scores.
    expect(result.stdout).toMatch(/RM calibration of the 2 right answers\s+2\.0000,1\.4826/);
    expect(result.stdout).toMatch(/RM calibration used \(center,scale\)\s+2,1/);

    const paper = await run(['reward', input, '--rm-calibration', '2,1', '--out', out]);
    expect(paper.code).toBe(2);
    expect(paper.stderr).toMatch(/--rm-calibration: the paper preset uses the raw RM score/);
  });

  it('names the file and line of a bad input line', async () => {
    const input = join(dir, 'bad.jsonl');
    writeFileSync(input, `${JSON.stringify(lines[0])}\n{"response": 3, "gold": "1"}\n`);
    // Lenient (the default): the good line is rewarded, the bad one goes to a rejects file
    // beside the output, and the summary says so.
    const out = join(dir, 'bad-out.jsonl');
    const lenient = await run(['reward', input, '--out', out]);
    expect(lenient.code, lenient.stderr).toBe(0);
    expect(readFileSync(out, 'utf8').trim().split('\n')).toHaveLength(1);
    expect(lenient.stderr).toContain(`1 of 2 lines of ${input} rejected -> ${out}.rejects.jsonl`);
    const reject = JSON.parse(readFileSync(`${out}.rejects.jsonl`, 'utf8'));
    expect(reject).toMatchObject({ line: 2 });
    expect(reject.message).toMatch(/response/);
    // --strict stops at it, naming the place.
    const result = await run(['reward', input, '--out', out, '--strict']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/bad\.jsonl.*2|line 2/);
    expect(result.stderr).toMatch(/response/);
  });
});
