import { fileURLToPath } from 'node:url';
import { BenchmarkError } from './errors.js';

/** `math`: equivalence-checked answers, Python as the tool; `qa`: EM / F1, search as the tool. */
export type BenchmarkKind = 'math' | 'qa';

export interface BenchmarkInfo {
  name: string;
  /** File in this package's `data/` folder. */
  file: string;
  kind: BenchmarkKind;
  /** Questions evaluated: the file's first `take` lines (the paper's MATH subset), else all. */
  take?: number;
  items: number;
  source: string;
  licence: string;
}

const LIST: ReadonlyArray<BenchmarkInfo> = [
  {
    name: 'gsm8k-test',
    file: 'gsm8k-test.jsonl',
    kind: 'math',
    items: 1319,
    source: 'GSM8K test split (Cobbe et al., 2021)',
    licence: 'MIT',
  },
  {
    name: 'math',
    file: 'math-test.jsonl',
    kind: 'math',
    take: 1000,
    items: 1000,
    source: "MATH test split, first 1,000 (the paper's subset; Hendrycks et al., 2021)",
    licence: 'MIT',
  },
  {
    name: 'math-test',
    file: 'math-test.jsonl',
    kind: 'math',
    items: 5000,
    source: 'MATH test split (Hendrycks et al., 2021)',
    licence: 'MIT',
  },
  {
    name: 'math500',
    file: 'math500.jsonl',
    kind: 'math',
    items: 500,
    source: 'MATH-500 (Lightman et al., 2023)',
    licence: 'MIT',
  },
  {
    name: 'aime24',
    file: 'aime24.jsonl',
    kind: 'math',
    items: 30,
    source: 'AIME 2024 (MAA)',
    licence: 'problems (c) MAA; evaluation use',
  },
  {
    name: 'aime25',
    file: 'aime25.jsonl',
    kind: 'math',
    items: 30,
    source: 'AIME 2025 (MAA)',
    licence: 'problems (c) MAA; evaluation use',
  },
  {
    name: 'amc23',
    file: 'amc23.jsonl',
    kind: 'math',
    items: 40,
    source: 'AMC 2023 (MAA)',
    licence: 'problems (c) MAA; evaluation use',
  },
  {
    name: 'hotpotqa',
    file: 'hotpotqa.jsonl',
    kind: 'qa',
    items: 200,
    source: 'HotpotQA dev, 200-question sample (Yang et al., 2018)',
    licence: 'CC BY-SA 4.0',
  },
  {
    name: '2wikimultihopqa',
    file: '2wikimultihopqa.jsonl',
    kind: 'qa',
    items: 200,
    source: '2WikiMultiHopQA dev, 200-question sample (Ho et al., 2020)',
    licence: 'Apache-2.0',
  },
  {
    name: 'musique',
    file: 'musique.jsonl',
    kind: 'qa',
    items: 200,
    source: 'MuSiQue dev, 200-question sample (Trivedi et al., 2022)',
    licence: 'CC BY 4.0',
  },
  {
    name: 'bamboogle',
    file: 'bamboogle.jsonl',
    kind: 'qa',
    items: 125,
    source: 'Bamboogle (Press et al., 2023)',
    licence: 'MIT',
  },
];

/** The shipped benchmarks, by name (data and licences in the package's `data/` folder). */
export const benchmarks: ReadonlyMap<string, BenchmarkInfo> = new Map(LIST.map((b) => [b.name, b]));

export const benchmarkNames: ReadonlyArray<string> = LIST.map((b) => b.name);

/** A shipped benchmark by name; an unknown name throws a `BenchmarkError` listing the known ones. */
export function getBenchmark(name: string): BenchmarkInfo {
  const info = benchmarks.get(name);
  if (info === undefined)
    throw new BenchmarkError({
      code: 'unknown_benchmark',
      message: `unknown benchmark "${name}"; shipped: ${benchmarkNames.join(', ')}`,
    });
  return info;
}

/** Absolute path of a shipped benchmark's JSONL file. This module must stay at src/ top level: src/ and the bundled dist/ sit at the same depth, so `../data/` is the package's data folder from both. */
export function benchmarkPath(name: string): string {
  return fileURLToPath(new URL(`../data/${getBenchmark(name).file}`, import.meta.url));
}
