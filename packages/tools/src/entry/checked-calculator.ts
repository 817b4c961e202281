import { z } from 'zod';
import {
  type CalculateOptions,
  type CalculatorResult,
  calculate as calculateUnchecked,
  calculatorResultMatches as matchesUnchecked,
} from '../calculator/calculate.js';
import {
  formatCalculatorOutput as formatCalculatorUnchecked,
  formatSearchHits as formatHitsUnchecked,
} from '../runtimes/format.js';
import type { SearchHit } from '../search/types.js';
import { parseToolInput as parse } from './parse.js';

// The calculator and the output formatters of the main entry check their arguments
// (`ToolInputError` code `invalid_input` naming the function and the field). `calculate` and
// `calculatorResultMatches` run once per annotation in the evaluator's consistency check: a
// string and no options (the usual call) costs a `typeof`, zod runs only for anything else.

const calculateOptions = z.strictObject({
  maxLength: z.number().int().positive().optional(),
  precision: z.number().int().positive().optional(),
  normalize: z.boolean().optional(),
});

/** Evaluate an arithmetic expression safely (see calculator/calculate.ts), arguments checked. */
export function calculate(expression: string, options?: CalculateOptions): CalculatorResult {
  if (typeof expression === 'string' && options === undefined)
    return calculateUnchecked(expression);
  const entry = 'calculate';
  return calculateUnchecked(
    parse(z.string(), expression, entry, 'expression'),
    parse(calculateOptions.optional(), options, entry, 'options') as CalculateOptions | undefined,
  );
}

const calculatorResult = z.union([
  z.looseObject({
    ok: z.literal(true),
    value: z.union([z.number(), z.string()]),
    text: z.string(),
  }),
  z.looseObject({
    ok: z.literal(false),
    error: z.looseObject({ type: z.string(), message: z.string() }),
  }),
]);

function isResult(value: unknown): value is CalculatorResult {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  if (r.ok === true)
    return (
      (typeof r.value === 'number' || typeof r.value === 'string') && typeof r.text === 'string'
    );
  return r.ok === false && typeof r.error === 'object' && r.error !== null;
}

/** Whether a recorded result agrees with a computed one (see calculator/calculate.ts), checked. */
export function calculatorResultMatches(recorded: string, result: CalculatorResult): boolean {
  if (typeof recorded === 'string' && isResult(result)) return matchesUnchecked(recorded, result);
  const entry = 'calculatorResultMatches';
  return matchesUnchecked(
    parse(z.string(), recorded, entry, 'recorded'),
    parse(calculatorResult, result, entry, 'result') as CalculatorResult,
  );
}

/** A calculator result as the model is shown it (see runtimes/format.ts), the result checked. */
export function formatCalculatorOutput(result: CalculatorResult): string {
  return formatCalculatorUnchecked(
    parse(calculatorResult, result, 'formatCalculatorOutput', 'result') as CalculatorResult,
  );
}

const hits = z.array(
  z.looseObject({ id: z.string(), title: z.string(), text: z.string(), score: z.number() }),
);

/** Passages as numbered blocks (see runtimes/format.ts), the hits checked. */
export function formatSearchHits(list: ReadonlyArray<SearchHit>): string {
  return formatHitsUnchecked(parse(hits, list, 'formatSearchHits', 'hits') as SearchHit[]);
}
