import { InvalidArgumentError, type SharedV4ProviderOptions } from '@ai-sdk/provider';
import type { RepeatPenalty } from './protocol.js';

/** `providerOptions.llamaCpp` of a call. */
export interface LlamaCppProviderOptions {
  /** llama.cpp's repeat penalty; off unless given, so greedy decoding stays greedy. */
  repeatPenalty?: RepeatPenalty;
  /** Min-p sampling threshold (0..1). */
  minP?: number;
}

const PENALTY_KEYS = ['penalty', 'lastTokens', 'frequencyPenalty', 'presencePenalty'] as const;

/** Validates `providerOptions.llamaCpp`; a wrong field is an InvalidArgumentError naming it. */
export function parseProviderOptions(
  providerOptions: SharedV4ProviderOptions | undefined,
): LlamaCppProviderOptions {
  const raw = providerOptions?.llamaCpp;
  if (raw === undefined) return {};
  const bad = (field: string, message: string) =>
    new InvalidArgumentError({ argument: `providerOptions.llamaCpp.${field}`, message });
  const out: LlamaCppProviderOptions = {};
  for (const key of Object.keys(raw))
    if (key !== 'repeatPenalty' && key !== 'minP') throw bad(key, `unknown option "${key}"`);
  if (raw.minP !== undefined) {
    if (typeof raw.minP !== 'number' || !(raw.minP >= 0 && raw.minP <= 1))
      throw bad('minP', 'must be a number from 0 to 1');
    out.minP = raw.minP;
  }
  const penalty = raw.repeatPenalty;
  if (penalty !== undefined) {
    if (typeof penalty !== 'object' || penalty === null || Array.isArray(penalty))
      throw bad('repeatPenalty', 'must be an object');
    const parsed: RepeatPenalty = {};
    for (const [key, value] of Object.entries(penalty)) {
      if (!(PENALTY_KEYS as readonly string[]).includes(key))
        throw bad(`repeatPenalty.${key}`, `unknown option "${key}"`);
      if (typeof value !== 'number' || !Number.isFinite(value))
        throw bad(`repeatPenalty.${key}`, 'must be a finite number');
      if (key === 'lastTokens' && !(Number.isInteger(value) && value >= 1))
        throw bad('repeatPenalty.lastTokens', 'must be a positive integer');
      parsed[key as (typeof PENALTY_KEYS)[number]] = value;
    }
    out.repeatPenalty = parsed;
  }
  return out;
}
