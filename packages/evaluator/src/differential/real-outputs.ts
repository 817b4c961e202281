/**
 * Real model outputs for the agreement test with Math-Verify: whole solutions as models wrote
 * them, gold answer against the full text, so extraction from long free text is what is tested.
 *
 * - GSM8K model solutions (`gsm8k/model-solutions.dev.jsonl`, MIT): 660 problems, 4 solutions
 *   each from GPT-3 6B and 175B fine-tuned / verifier-selected models; prose with calculator
 *   annotations and stray `$`, ending in an `A: x` line, never boxed.
 * - ToRA outputs (`tora/gsm8k.dev.jsonl`, MIT): 1,320 tool-integrated solutions (code, its
 *   output, then prose with `\boxed{}`).
 * - No-tool chain of thought (`smollm2-cot-outputs.jsonl` beside this file): 27 answers of
 *   SmolLM2-135M-Instruct (Apache-2.0) to the first 15 MATH-500 and 12 GSM8K test questions, by
 *   `autotraj eval --model local:smollm2 --tools none --protocol markdown --prompt cot-boxed
 *   --max-tokens 384` (greedy, 2026-12-06): long unboxed prose, "the final answer is", cut-off
 *   texts. All wrong, so they also pair with what this verifier extracts (`extractionPairs`).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { EvaluatorError } from '../errors.js';
import { extractAnswers } from '../verify/extract.js';
import type { CorpusPair } from './corpus.js';

const SMOLLM2_OUTPUTS = fileURLToPath(new URL('./smollm2-cot-outputs.jsonl', import.meta.url));

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
  readJsonl(SMOLLM2_OUTPUTS).forEach((row, line) => {
    const golds = row.goldAnswers as string[] | undefined;
    if (!Array.isArray(golds) || typeof golds[0] !== 'string' || typeof row.text !== 'string')
      throw new EvaluatorError({
        code: 'invalid_fixture',
        message: `${SMOLLM2_OUTPUTS}:${line + 1}: fields "goldAnswers" and "text" are required`,
      });
    pairs.push({
      id: `${String(row.id)}/smollm2-135m-cot`,
      family: 'smollm2-cot',
      intent: 'differ',
      // As a data set gives a LaTeX answer to Math-Verify: in math mode.
      gold: `$${golds[0]}$`,
      pred: row.text,
    });
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

/**
 * Each solution against the answer this verifier extracts from it (as `$...$`): Math-Verify
 * agrees only when it extracts the same answer from the same long text, whether or not the
 * model was right. Solutions this verifier finds no answer in are left out.
 */
export function extractionPairs(corpus: ReadonlyArray<CorpusPair>): CorpusPair[] {
  return corpus.flatMap((pair) => {
    const best = extractAnswers(pair.pred)[0];
    if (best === undefined) return [];
    return [
      {
        id: `${pair.id}/extracted`,
        family: `${pair.family}-extracted`,
        intent: 'same' as const,
        gold: `$${best.text}$`,
        pred: pair.pred,
      },
    ];
  });
}
