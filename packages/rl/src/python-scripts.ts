import { fileURLToPath } from 'node:url';

// Resolved from this file, which sits one level below the package root both as source
// (src/) and bundled (dist/), so the path is right either way.

/** The SFT trainer script shipped with the package: TRL SFTTrainer, PEFT LoRA, GGUF conversion. */
export const sftTrainerScript = fileURLToPath(new URL('../python/train_sft.py', import.meta.url));
