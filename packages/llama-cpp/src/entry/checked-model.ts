import { ValidationError } from '@autotraj/trajectory';
import { LlamaCppError } from '../errors.js';
import {
  createLlamaCppModel as createUnchecked,
  type LlamaCppLanguageModel,
  type LlamaCppModelOptions,
} from '../language-model.js';

// The model's options are checked before any worker or file is opened: a misspelt key
// (`thread`), a missing `modelPath` or a wrong type is `LlamaCppError` code `invalid_input`
// naming the field; ranges and the file itself keep their own checks (`GgufFileError` names
// the file). By hand: this package does not depend on zod.

type Kind = 'string' | 'number' | 'boolean';
const OPTION_KINDS: Readonly<Record<string, Kind | 'lora'>> = {
  modelPath: 'string',
  modelId: 'string',
  workers: 'number',
  threads: 'number',
  contextSize: 'number',
  batchSize: 'number',
  sequences: 'number',
  reusePrefix: 'boolean',
  lora: 'lora',
  chatTemplate: 'string',
};
const LORA_KINDS: Readonly<Record<string, Kind>> = { path: 'string', scale: 'number' };

function problem(field: string, message: string): LlamaCppError {
  const entry = 'createLlamaCppModel';
  return new LlamaCppError({
    code: 'invalid_input',
    message: `${entry}: ${field}: ${message}`,
    cause: new ValidationError({ location: {}, issues: [{ path: field, message }], what: entry }),
  });
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function checkFields(
  value: Record<string, unknown>,
  kinds: Readonly<Record<string, Kind | 'lora'>>,
  at: string,
  required: ReadonlyArray<string>,
): void {
  for (const key of Object.keys(value))
    if (!Object.hasOwn(kinds, key)) throw problem(`${at}.${key}`, `unknown option "${key}"`);
  for (const key of required)
    if (value[key] === undefined) throw problem(`${at}.${key}`, 'required');
  for (const [key, kind] of Object.entries(kinds)) {
    const v = value[key];
    if (v === undefined) continue;
    if (kind === 'lora') {
      if (!Array.isArray(v)) throw problem(`${at}.${key}`, 'expected an array of adapters');
      v.forEach((adapter, i) => {
        if (!isObject(adapter)) throw problem(`${at}.${key}[${i}]`, 'expected an object');
        checkFields(adapter, LORA_KINDS, `${at}.${key}[${i}]`, ['path']);
      });
    } else if (typeof v !== kind || (kind === 'number' && Number.isNaN(v)))
      throw problem(`${at}.${key}`, `expected a ${kind}, got ${typeof v}`);
  }
  for (const key of required)
    if (value[key] === '') throw problem(`${at}.${key}`, 'must not be empty');
}

/** A GGUF model as an ai SDK LanguageModel (see language-model.ts), its options checked first. */
export function createLlamaCppModel(options: LlamaCppModelOptions): LlamaCppLanguageModel {
  if (!isObject(options)) throw problem('options', 'expected an options object');
  checkFields(options, OPTION_KINDS, 'options', ['modelPath']);
  return createUnchecked(options);
}
