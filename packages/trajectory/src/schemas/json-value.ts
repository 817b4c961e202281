import { z } from 'zod';

export type JsonValue =
  | string
  | number
  | boolean
  | null
  | JsonValue[]
  | { [key: string]: JsonValue };

/** Whether a value survives a JSON round trip unchanged (finite numbers, plain objects, arrays). */
export function isJsonValue(value: unknown): value is JsonValue {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object': {
      if (value === null) return true;
      if (Array.isArray(value)) {
        for (const item of value) if (!isJsonValue(item)) return false;
        return true;
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) return false;
      for (const key in value)
        if (!isJsonValue((value as Record<string, unknown>)[key])) return false;
      return true;
    }
    default:
      return false;
  }
}

/**
 * Any JSON value; tool inputs and metadata are free-form but must survive JSON round trips.
 * A direct check rather than a recursive zod union: it sits on the hot path of every record
 * read (a lazy union costs about as much as the rest of a trajectory's validation).
 */
export const jsonValueSchema = z
  .custom<JsonValue>(isJsonValue, {
    message: 'expected a JSON value (string, finite number, boolean, null, array or plain object)',
  })
  .meta({ description: 'any JSON value' });

export const metadataSchema = z.record(z.string(), jsonValueSchema);
export type Metadata = z.infer<typeof metadataSchema>;
