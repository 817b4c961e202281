/**
 * Real model outputs for the agreement test with Math-Verify: whole solutions as models wrote
 * them, gold answer against the full text, so extraction from long free text is what is tested.
 *
 * - GSM8K model solutions (`gsm8k/model-solutions.dev.jsonl`, MIT): 660 problems, 4 solutions
 *   each from GPT-3 6B and 175B fine-tuned / verifier-selected models; prose with calculator
 *   annotations and stray `$`, ending in an `A: x` line, never boxed.
 * - ToRA outputs (`tora/gsm8k.dev.jsonl`, MIT): 1,320 tool-integrated solutions (code, its
 *   output, then prose with `\boxed{}`).
 */
import { readFileSync } from 'node:fs';
import { EvaluatorError } from '../errors.js';
import type { CorpusPair } from './corpus.js';

const GSM8K_MODELS = ['6b_finetuning', '6b_verification', '175b_finetuning', '175b_verification'];

function readJsonl(file: string): Record<string, unknown>[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** The gold answer of a GSM8K reference solution: its last `A: x` (or `#### x`) line. */
function gsm8kGold(reference: string, where: string): string {
  const lines = reference.trim().split('\n');
  const last = lines[lines.length - 1]!.trim();
  const match = /^(?:A:|####)\s*(.+)$/.exec(last);
  if (match === null)
    throw new EvaluatorError({
      code: 'invalid_fixture',
      message: `${where}: field "answer": the reference solution has no final "A: x" line`,
    });
  return match[1]!.trim();
}

export interface RealOutputOptions {
  /** `shared/data` (holding `gsm8k/` and `tora/`). */
  dataDir: string;
}

/** Every real solution as a gold/prediction pair, in file order (ids `gsm8k-<index>/<model>`, `tora-<idx>/<model>`). */
export function buildRealOutputCorpus(options: RealOutputOptions): CorpusPair[] {
  const dir = options.dataDir.endsWith('/') ? options.dataDir : `${options.dataDir}/`;
  const pairs: CorpusPair[] = [];
  const gsm8kFile = `${dir}gsm8k/model-solutions.dev.jsonl`;
  readJsonl(gsm8kFile).forEach((row, line) => {
    const where = `${gsm8kFile}:${line + 1}`;
    const gold = gsm8kGold(String(row.answer ?? row.ground_truth ?? ''), where);
    for (const model of GSM8K_MODELS) {
      const solution = row[model] as { is_correct: boolean; solution: string } | undefined;
      if (solution === undefined) continue;
      pairs.push({
        id: `gsm8k-${String(row.index)}/${model}`,
        family: 'gsm8k-model-solution',
        intent: solution.is_correct ? 'same' : 'differ',
        gold,
        pred: solution.solution,
      });
    }
  });
  for (const row of readJsonl(`${dir}tora/gsm8k.dev.jsonl`)) {
    pairs.push({
      id: `tora-${String(row.idx)}/${String(row.model)}`,
      family: 'tora-solution',
      intent: row.is_correct === true ? 'same' : 'differ',
      gold: String(row.gt),
      pred: String(row.solution),
    });
  }
  return pairs;
}
