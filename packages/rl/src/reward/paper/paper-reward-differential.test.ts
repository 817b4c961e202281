import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { paperValidateFormat, trajectoryFromText } from '@autotraj/trajectory';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createPaperReward } from '../paper-reward.js';
import type { RewardItem } from '../types.js';
import {
  PAPER_ASSISTANT_MARK,
  paperComputeScore,
  paperResponseOfSolution,
} from './compute-score.js';

// The evaluator's driver in front of ../shared/reference/paper_ref.py (one process per file).
const driver = fileURLToPath(
  new URL('../../../../evaluator/src/test-support/paper_ref_driver.py', import.meta.url),
);
const dataDir = fileURLToPath(new URL('../../../../../../shared/data/', import.meta.url));

function paperRef(calls: Array<{ fn: string; args: unknown[] }>): unknown[] {
  const run = spawnSync(process.env.AUTOTRAJ_PYTHON ?? 'python3', [driver], {
    input: calls.map((c) => JSON.stringify(c)).join('\n'),
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  if (run.status !== 0) throw new Error(`paper_ref driver failed: ${run.stderr}`);
  return run.stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const r = JSON.parse(l) as { ok?: unknown; error?: string };
      if (r.error !== undefined) throw new Error(r.error);
      return r.ok;
    });
}

const jsonl = (path: string) =>
  readFileSync(dataDir + path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

/** A real solution in the paper's tag format: reasoning in think, calls in code/result, answer boxed. */
function tagged(solution: string, answer: string): string {
  const parts: string[] = [];
  for (const line of solution.split('\n')) {
    parts.push(`<think>${line.replace(/<<[^<>]*>>/g, '')}</think>`);
    for (const m of line.matchAll(/<<([^<>=]*)=([^<>]*)>>/g))
      parts.push(`<code>${m[1]}</code><result>${m[2]}</result>`);
  }
  return `${parts.join('\n')}\n<answer>\\boxed{${answer}}</answer>`;
}

interface Case {
  response: string;
  golds: string[];
  rm: number;
}

function realCases(): Case[] {
  const rms = [0, 1.5, -2, 20, -0.25];
  const out: Case[] = [];
  for (const record of jsonl('gsm8k/model-solutions.dev.jsonl')) {
    const gold = /####\s*(.+?)\s*$/.exec(String(record.answer).trim())![1]!.replaceAll(',', '');
    for (const model of [
      '6b_finetuning',
      '6b_verification',
      '175b_finetuning',
      '175b_verification',
    ]) {
      const solution = (record[model] as { solution: string }).solution;
      const answer = /A:\s*(.*)$/.exec(solution)?.[1] ?? '';
      const rm = rms[out.length % rms.length]!;
      out.push({ response: solution, golds: [gold], rm });
      out.push({ response: `${tagged(solution, answer)}<|im_end|>`, golds: [gold], rm });
    }
  }
  for (const record of jsonl('tora/gsm8k.dev.jsonl')) {
    const solution = String(record.solution);
    const rm = rms[out.length % rms.length]!;
    out.push({ response: solution, golds: [String(record.gt)], rm });
    const body = solution
      .replace(/```python\n([\s\S]*?)```/g, '<code>$1</code>')
      .replace(/```output\n([\s\S]*?)```/g, '<result>$1</result>');
    const end = body.lastIndexOf('</result>');
    const prose = end < 0 ? body : body.slice(end + 9);
    const head = end < 0 ? '' : body.slice(0, end + 9);
    out.push({
      response: `<think>Plan.</think>${head}<answer>${prose}</answer>`,
      golds: [String(record.gt)],
      rm,
    });
  }
  return out;
}

const piece = fc.constantFrom(
  '<think>',
  '</think>',
  '<answer>',
  '</answer>',
  '<code>',
  '</code>',
  '<search>',
  '</search>',
  '<result>',
  '</result>',
  '\\boxed{',
  '\\boxed{4}',
  '\\boxed{-4}',
  '\\boxed 4',
  '\\boxed {4}',
  '\\fbox{4}',
  '}',
  '{',
  '$',
  '4',
  'yes',
  'no',
  'The',
  'an',
  'Paris',
  'paris,',
  'France',
  '64.0',
  '1,000',
  ' ',
  '\n',
  '\u3000',
  '<|im_end|>',
  PAPER_ASSISTANT_MARK,
  'Assistant:',
);
const textArb = fc.array(piece, { maxLength: 30 }).map((p) => p.join(''));
const shapedArb = fc
  .tuple(
    textArb,
    fc.array(fc.tuple(fc.constantFrom('code', 'search'), textArb, fc.boolean()), { maxLength: 5 }),
    textArb,
    fc.nat(2),
    textArb,
  )
  .map(([think, calls, answer, n, tail]) => {
    let t = `<think>${think}</think>`;
    for (const [tag, body, closed] of calls)
      t += closed ? `<${tag}>${body}</${tag}><result>r</result>` : `<${tag}>${body}<result>r`;
    for (let i = 0; i < n; i++) t += `<answer>${answer}</answer>`;
    return t + tail;
  });
const goldsArb = fc.array(
  fc.constantFrom('4', '-4', 'Paris', 'the Paris', 'yes', 'no', '', '64', '1000', 'noanswer'),
  { minLength: 0, maxLength: 3 },
);
const rmArb = fc.constantFrom(0, 1, -1, 0.5, 2.5, -20, 40, 0.125);
const generated: Case[] = fc.sample(
  fc.record({ response: fc.oneof(textArb, shapedArb), golds: goldsArb, rm: rmArb }),
  {
    numRuns: 4000,
    seed: 41,
  },
);

async function ours(cases: Case[]): Promise<number[]> {
  const items: RewardItem[] = cases.map((c, i) => ({
    trajectory: trajectoryFromText('', { format: 'tags', taskId: 't', salt: i }).trajectory,
    text: c.response,
    goldAnswers: c.golds,
    trajectoryModelScore: c.rm,
  }));
  return (await createPaperReward().score(items)).map((r) => r.total);
}

describe('paper reward against paper_ref.compute_score', () => {
  it.each([
    ['all real dev solutions (GSM8K raw and tagged, ToRA raw and tagged)', realCases()],
    ['generated edge cases (fixed seed)', generated],
  ] as const)(
    '%s: every reward equal',
    async (_name, cases) => {
      const refs = paperRef(
        cases.map((c) => ({ fn: 'reward_of_response', args: [c.response, c.golds, c.rm] })),
      ) as number[];
      const mine = await ours([...cases]);
      const differences = cases.flatMap((c, i) =>
        mine[i] === refs[i]
          ? []
          : [`${mine[i]} vs ${refs[i]} on ${JSON.stringify(c).slice(0, 300)}`],
      );
      expect(differences).toEqual([]);
      // The suite sees every branch: -1, 0, partial and full credit, RM bonuses.
      const totals = new Set(
        refs.map((r) => (r === -1 ? 'bad' : r === 0 ? 'zero' : r > 1 ? 'bonus' : 'credit')),
      );
      expect([...totals].sort()).toEqual(['bad', 'bonus', 'credit', 'zero']);
    },
    60_000,
  );

  it('validate_format and compute_score on prompt + response strings', () => {
    const solutions = fc.sample(
      fc.tuple(
        fc.constantFrom('', '<|im_start|>user\nq<|im_end|>\n', 'User: q\n'),
        fc.constantFrom(PAPER_ASSISTANT_MARK, 'Assistant:'),
        fc.oneof(textArb, shapedArb),
        goldsArb,
        rmArb,
      ),
      { numRuns: 2000, seed: 43 },
    );
    const refs = paperRef(
      solutions.flatMap(([prompt, mark, response, golds, rm]) => [
        { fn: 'compute_score', args: [prompt + mark + response, golds, rm] },
        { fn: 'validate_format', args: [response] },
      ]),
    );
    const differences: string[] = [];
    solutions.forEach(([prompt, mark, response, golds, rm], i) => {
      const [score] = refs[2 * i] as [number, string];
      const [ok, reason] = refs[2 * i + 1] as [boolean, string];
      const mine = paperComputeScore(paperResponseOfSolution(prompt + mark + response), golds, rm);
      const format = paperValidateFormat(response);
      if (mine.score !== score || format.ok !== ok || format.reason !== reason)
        differences.push(
          `${JSON.stringify([prompt + mark + response, golds, rm])}: ${mine.score} vs ${score}`,
        );
    });
    expect(differences).toEqual([]);
  }, 60_000);
});
