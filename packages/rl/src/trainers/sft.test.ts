import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { modelWrittenText } from '@autotraj/trajectory/internal';
import { describe, expect, it } from 'vitest';
import { toTrlSftRow, writeTrlJsonl } from '../bridges/trl.js';
import { tagSftRecord } from '../test-support.js';
import { python, runCheck } from './run-python.js';

const texts = [
  '<think>Add first.</think><code>print(17+25)</code><result>42</result><think>Then halve.</think><code>print(42/2)</code><result>21.0</result><answer>\\boxed{21}</answer>',
  '<think>Multiply.</think><code>print(6*7)</code><result>42\n</result><answer>\\boxed{42}</answer>',
  '<think>No tool needed: 2+2=4.</think><answer>\\boxed{4}</answer>',
  '<think>Square it.</think><code>x = 9\nprint(x**2)</code><result>81</result><answer>\\boxed{81}</answer>',
];
const questions = ['(17+25)/2?', 'What is 6*7?', 'What is 2+2?', 'What is 9 squared?'];

const sftRecord = (text: string, i: number) =>
  tagSftRecord({ text, id: `s${i}`, taskId: `t${i}`, question: questions[i]! });

describe.skipIf(python === undefined)("TRL's SFTTrainer on our SFT export", () => {
  it('trains 3 steps; its labels cover exactly the model-written text', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rl-sft-'));
    const records = texts.map(sftRecord);
    const rows = records.map(toTrlSftRow);
    // The fixtures do contain tool output to mask.
    expect(rows.map((r) => r.tool_spans.length)).toEqual([2, 1, 0, 1]);
    const path = join(dir, 'sft.trl.jsonl');
    writeTrlJsonl(path, rows);
    const out = (await runCheck('sft_check.py', [path, dir])) as {
      examples: Array<{
        columns: string[];
        promptAllMasked: boolean;
        trained: string;
        maskedCompletion: string;
        labelsMatchIds: boolean;
      }>;
      collatedTrainedCounts: number[];
      trainedCounts: number[];
      losses: number[];
      globalStep: number;
      changed: number;
      parameters: number;
      eos: string;
    };
    expect(out.globalStep).toBe(3);
    expect(out.losses).toHaveLength(3);
    for (const loss of out.losses) expect(Number.isFinite(loss)).toBe(true);
    expect(out.changed).toBe(out.parameters);
    out.examples.forEach((example, i) => {
      const rendered = records[i]!.rendered;
      const tool = rendered.spans
        .filter((s) => s.source === 'tool')
        .map((s) => rendered.text.slice(s.start, s.end))
        .join('');
      // TRL folded our masks into labels and dropped them.
      expect(example.columns).toEqual(['input_ids', 'labels']);
      expect(example.promptAllMasked).toBe(true);
      expect(example.labelsMatchIds).toBe(true);
      // Trained: what the model wrote, then the end-of-turn token; masked: the tool output.
      expect(example.trained).toBe(modelWrittenText(rendered) + out.eos);
      expect(example.maskedCompletion).toBe(tool);
    });
    // The collator pads with -100 and keeps every trained token of its batch.
    for (const n of out.collatedTrainedCounts) expect(out.trainedCounts).toContain(n);
  }, 600_000);
});
