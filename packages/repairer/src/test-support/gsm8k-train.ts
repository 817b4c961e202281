import { readFileSync } from 'node:fs';
import type { Gsm8kProblem } from '@autotraj/generation/testing';

/** The real GSM8K train file in `../shared/data` (the tests' task source). */
export const GSM8K_TRAIN = new URL('../../../../../shared/data/gsm8k/train.jsonl', import.meta.url)
  .pathname;

/** The first `count` GSM8K train problems, as the loopback policy's answer key reads them. */
export function gsm8kTrainProblems(count: number): Gsm8kProblem[] {
  return readFileSync(GSM8K_TRAIN, 'utf8')
    .split('\n')
    .slice(0, count)
    .map((line) => JSON.parse(line) as Gsm8kProblem);
}
