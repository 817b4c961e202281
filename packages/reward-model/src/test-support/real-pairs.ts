import type { PreferencePair } from '@autotraj/trajectory';
import { gsm8kCorrectnessPairs, toraCorrectnessPairs } from '../pairs.js';
import { readSharedJsonl } from './trajectories.js';

let cached: { gsm8k: PreferencePair[]; tora: PreferencePair[] } | undefined;

/** Correct-over-incorrect pairs from the real GSM8K model solutions and ToRA outputs. */
export function realPairs(): { gsm8k: PreferencePair[]; tora: PreferencePair[] } {
  cached ??= {
    gsm8k: gsm8kCorrectnessPairs(readSharedJsonl('gsm8k/model-solutions.dev.jsonl')),
    tora: toraCorrectnessPairs(readSharedJsonl('tora/gsm8k.dev.jsonl')),
  };
  return cached;
}
