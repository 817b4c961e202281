import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { BenchmarkError } from '../errors.js';
import { type BenchmarkKind, benchmarkPath, getBenchmark } from '../registry.js';
import { goldAnswersOf } from './answers.js';

/** One line of a benchmark file: `id`, `question`, `answer` (string, or aliases as an array), `kind`. */
export const benchmarkLineSchema = z.object({
  id: z.union([z.string().min(1), z.number().int()]).transform(String),
  question: z.string().min(1),
  answer: z.union([z.string(), z.array(z.string()).min(1)]),
  kind: z.enum(['math', 'qa']),
});

export interface BenchmarkQuestion {
  /** The benchmark's name (the shipped name, or the file's base name for `--benchmark-file`). */
  benchmark: string;
  id: string;
  question: string;
  kind: BenchmarkKind;
  /** Gold answers with the paper's braces removed; several for QA aliases. */
  goldAnswers: string[];
}

export interface LoadBenchmarkOptions {
  /** Only the first `limit` questions (after the benchmark's own `take`). */
  limit?: number;
}

/**
 * Read a benchmark JSONL file. Every line must parse and match `benchmarkLineSchema`; a bad
 * line throws a `BenchmarkError` naming file, line and field. Duplicate ids are errors too
 * (results are keyed by question id).
 */
export function readBenchmarkFile(
  path: string,
  options: { benchmark: string; take?: number; limit?: number },
): BenchmarkQuestion[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new BenchmarkError({
      code: 'unreadable_file',
      message: `cannot read benchmark file: ${(cause as Error).message}`,
      location: { file: path },
      cause,
    });
  }
  const max = Math.min(
    options.take ?? Number.POSITIVE_INFINITY,
    options.limit ?? Number.POSITIVE_INFINITY,
  );
  const out: BenchmarkQuestion[] = [];
  const seen = new Set<string>();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length && out.length < max; i++) {
    const raw = lines[i]!.trim();
    if (raw === '') continue;
    const location = { file: path, line: i + 1 };
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (cause) {
      throw new BenchmarkError({
        code: 'bad_line',
        message: `not JSON: ${(cause as Error).message}`,
        location,
        cause,
      });
    }
    const parsed = benchmarkLineSchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new BenchmarkError({
        code: 'bad_line',
        message: issue.message,
        location: { ...location, path: issue.path.join('.') },
      });
    }
    const line = parsed.data;
    if (seen.has(line.id))
      throw new BenchmarkError({
        code: 'duplicate_id',
        message: `duplicate question id "${line.id}"`,
        location: { ...location, path: 'id' },
      });
    seen.add(line.id);
    const goldAnswers = goldAnswersOf(line.answer, line.kind);
    if (goldAnswers.length === 0)
      throw new BenchmarkError({
        code: 'bad_line',
        message: 'empty answer',
        location: { ...location, path: 'answer' },
      });
    out.push({
      benchmark: options.benchmark,
      id: line.id,
      question: line.question,
      kind: line.kind,
      goldAnswers,
    });
  }
  return out;
}

/** A shipped benchmark's questions, by name (`gsm8k-test`, `math500`, `hotpotqa`, ...). */
export function loadBenchmark(
  name: string,
  options: LoadBenchmarkOptions = {},
): BenchmarkQuestion[] {
  const info = getBenchmark(name);
  return readBenchmarkFile(benchmarkPath(name), {
    benchmark: name,
    ...(info.take === undefined ? {} : { take: info.take }),
    ...(options.limit === undefined ? {} : { limit: options.limit }),
  });
}
