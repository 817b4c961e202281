import { checkOptions, inputProblem, isObject, type Kind } from './input-check.js';

// The options of a model (`createLlamaCppModel`, `new LlamaCppLanguageModel`), by hand.

const OPTION_KINDS: Readonly<Record<string, Kind | 'nested'>> = {
  modelPath: 'string',
  modelId: 'string',
  workers: 'number',
  threads: 'number',
  contextSize: 'number',
  batchSize: 'number',
  sequences: 'number',
  reusePrefix: 'boolean',
  lora: 'nested',
  chatTemplate: 'string',
};
const LORA_KINDS: Readonly<Record<string, Kind>> = { path: 'string', scale: 'number' };

/** Throws `LlamaCppError` `invalid_input` naming `entry` and the first bad field. */
export function checkModelOptions(options: unknown, entry: string): void {
  checkOptions(entry, 'options', options, OPTION_KINDS, ['modelPath'], (_key, lora, field) => {
    if (!Array.isArray(lora)) throw inputProblem(entry, field, 'expected an array of adapters');
    lora.forEach((adapter, i) => {
      if (!isObject(adapter)) throw inputProblem(entry, `${field}[${i}]`, 'expected an object');
      checkOptions(entry, `${field}[${i}]`, adapter, LORA_KINDS, ['path']);
    });
  });
}
