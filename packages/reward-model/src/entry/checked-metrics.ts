import { z } from 'zod';
import {
  type Histogram,
  histogram as histogramUnchecked,
  pairwiseAccuracy as pairwiseUnchecked,
  rocAuc as rocAucUnchecked,
} from '../metrics.js';
import { parse } from './parse.js';

// The metrics of the main entry check their arrays (plain arrays or typed arrays, which are kept
// as they are) and options first: a string or a NaN among the scores is `TrainingError`
// `invalid_input` naming its index, not a silently wrong AUC.

const finite = z.array(z.number().finite());
const anyNumber = z.array(
  z.custom<number>((v) => typeof v === 'number', { message: 'expected a number' }),
);
const booleans = z.array(z.boolean());

function isTypedArray(value: unknown): value is ArrayLike<unknown> {
  return ArrayBuffer.isView(value) && !(value instanceof DataView);
}

/** `value` as given when every element passes `schema`'s element check; else the parse error. */
function arrayLike<T>(schema: z.ZodType<T[]>, value: unknown, entry: string, field: string) {
  if (!isTypedArray(value)) return parse(schema, value, entry, field) as ArrayLike<T>;
  // A typed array: checked through a plain copy only when it fails (the error names the index).
  const ok = schema.safeParse(Array.from(value as ArrayLike<unknown>)).success;
  if (!ok) parse(schema, Array.from(value as ArrayLike<unknown>), entry, field);
  return value as ArrayLike<T>;
}

/** Pairwise accuracy (see metrics.ts), both score arrays checked (finite numbers). */
export function pairwiseAccuracy(chosen: ArrayLike<number>, rejected: ArrayLike<number>): number {
  const entry = 'pairwiseAccuracy';
  return pairwiseUnchecked(
    arrayLike(finite, chosen, entry, 'chosen'),
    arrayLike(finite, rejected, entry, 'rejected'),
  );
}

/** ROC AUC (see metrics.ts), scores (finite numbers) and labels (booleans) checked. */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<boolean>): number {
  const entry = 'rocAuc';
  return rocAucUnchecked(
    arrayLike(finite, scores, entry, 'scores'),
    arrayLike(booleans, labels, entry, 'labels'),
  );
}

const histogramOptions = z.strictObject({
  bins: z.number().int().min(1).optional(),
  min: z.number().finite().optional(),
  max: z.number().finite().optional(),
});

/**
 * Equal-width histogram (see metrics.ts), values and options checked. Values are numbers; a NaN
 * is left out of every bin, as before.
 */
export function histogram(
  values: ArrayLike<number>,
  options: { bins?: number; min?: number; max?: number } = {},
): Histogram {
  const entry = 'histogram';
  return histogramUnchecked(
    arrayLike(anyNumber, values, entry, 'values'),
    parse(histogramOptions, options, entry, 'options') as typeof options,
  );
}
