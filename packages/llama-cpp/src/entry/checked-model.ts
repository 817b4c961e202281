import {
  createLlamaCppModel as createUnchecked,
  type LlamaCppLanguageModel,
  type LlamaCppModelOptions,
} from '../language-model.js';
import { checkModelOptions } from '../model-options-check.js';

// The model's options are checked before any worker or file is opened: a misspelt key
// (`thread`), a missing `modelPath` or a wrong type is `LlamaCppError` code `invalid_input`
// naming the field; ranges and the file itself keep their own checks (`GgufFileError` names
// the file). The class's constructor checks them too (`new LlamaCppLanguageModel`).

/** A GGUF model as an ai SDK LanguageModel (see language-model.ts), its options checked first. */
export function createLlamaCppModel(options: LlamaCppModelOptions): LlamaCppLanguageModel {
  checkModelOptions(options, 'createLlamaCppModel');
  return createUnchecked(options);
}
