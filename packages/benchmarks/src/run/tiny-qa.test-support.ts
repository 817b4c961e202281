import type { BenchmarkQuestion } from '../load/load-benchmark.js';
import type { EvalSettings } from './records.js';

/** 30 QA questions without tools: the answer check is pure, so only the sampling is under test. */
export const tinyQaQuestions: BenchmarkQuestion[] = Array.from({ length: 30 }, (_, k) => ({
  benchmark: 'tiny-qa',
  id: `tiny-qa-${k}`,
  question: `Who wrote book ${k}?`,
  kind: 'qa',
  goldAnswers: ['someone'],
}));

/** Two samples a question at T=0.7 from run seed 11, no tools. */
export const tinyQaSettings: EvalSettings = {
  protocol: 'text-tags',
  n: 2,
  temperature: 0.7,
  seed: 11,
  maxToolCalls: 0,
  maxTokens: null,
  tools: { math: [], qa: [] },
  search: null,
  mathChecker: 'builtin',
};
