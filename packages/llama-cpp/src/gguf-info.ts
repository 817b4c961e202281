import { existsSync, statSync } from 'node:fs';
import { readGgufFileInfo } from 'node-llama-cpp';
import { GgufFileError } from './errors.js';
import { checkGgufLayout } from './gguf-layout.js';

/** What a GGUF file says about itself, read from its header without loading the weights. */
export interface GgufSummary {
  file: string;
  /** `general.name` */
  name: string | undefined;
  /** `general.architecture`, e.g. `llama`, `gemma3` */
  architecture: string;
  /** `general.finetune`, when the file names one. */
  finetune: string | undefined;
  /** `general.size_label`, e.g. `135M` */
  sizeLabel: string | undefined;
  /** `tokenizer.chat_template`: the Jinja chat template, absent in base models. */
  chatTemplate: string | undefined;
  bosToken: string | undefined;
  eosToken: string | undefined;
  /** Whether the tokenizer adds BOS itself (`tokenizer.ggml.add_bos_token`). */
  addBosToken: boolean | undefined;
  /** The context length the model was trained for. */
  trainedContextLength: number | undefined;
}

/**
 * Reads a GGUF header (metadata and tensor table, not the weights). A missing or non-GGUF file,
 * a tensor table llama.cpp could not load, and a file too short for its tensors (truncated) are
 * a {@link GgufFileError} naming the file.
 */
export async function readGgufSummary(file: string): Promise<GgufSummary> {
  if (!existsSync(file))
    throw new GgufFileError({ file, code: 'model_file_missing', detail: 'no such file' });
  if (!statSync(file).isFile())
    throw new GgufFileError({ file, code: 'model_file_invalid', detail: 'not a regular file' });
  let info: Awaited<ReturnType<typeof readGgufFileInfo>>;
  try {
    info = await readGgufFileInfo(file, {
      readTensorInfo: true,
      logWarnings: false,
      sourceType: 'filesystem',
    });
  } catch (cause) {
    throw new GgufFileError({
      file,
      code: 'model_file_invalid',
      detail: `not a readable GGUF file: ${(cause as Error).message}`,
      cause,
    });
  }
  checkGgufLayout(file, statSync(file).size, info.fullTensorInfo ?? info.tensorInfo ?? []);
  const { metadata } = info;
  const general = metadata.general;
  const tokenizer = metadata.tokenizer;
  const tokens = tokenizer?.ggml?.tokens;
  const tokenText = (id: number | undefined) =>
    id === undefined || tokens === undefined ? undefined : tokens[id];
  const arch = (metadata as unknown as Record<string, { context_length?: number } | undefined>)[
    general.architecture
  ];
  return {
    file,
    name: general.name,
    architecture: general.architecture,
    finetune: (general as { finetune?: string }).finetune,
    sizeLabel: general.size_label,
    chatTemplate:
      typeof tokenizer?.chat_template === 'string' ? tokenizer.chat_template : undefined,
    bosToken: tokenText(tokenizer?.ggml?.bos_token_id),
    eosToken: tokenText(tokenizer?.ggml?.eos_token_id),
    addBosToken: tokenizer?.ggml?.add_bos_token,
    trainedContextLength: arch?.context_length,
  };
}
