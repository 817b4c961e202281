import {
  type PreferencePair,
  preferencePairFromTrl,
  preferencePairSchema,
  readJsonl,
  type TextFormat,
  validate,
} from '@autotraj/trajectory';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Preference pairs from a JSONL file holding our `PreferencePair` records or TRL preference rows
 * (`prompt`, `chosen`, `rejected` as strings or chat turns; the texts parsed with `format`, or
 * with the codec detected per text). Line by line; a bad line throws naming file, line and field.
 */
export async function readPreferencePairs(
  path: string,
  options: { format?: TextFormat } = {},
): Promise<PreferencePair[]> {
  const pairs: PreferencePair[] = [];
  for await (const { value, line } of readJsonl(path)) {
    const location = { file: path, line };
    if (isObject(value) && isObject(value.chosen) && Array.isArray(value.chosen.steps)) {
      pairs.push(validate(preferencePairSchema, value, { location, what: 'preference pair' }));
    } else {
      pairs.push(
        preferencePairFromTrl(value, {
          location,
          ...(options.format === undefined ? {} : { format: options.format }),
        }),
      );
    }
  }
  return pairs;
}
