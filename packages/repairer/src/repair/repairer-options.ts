import { defaultPrompt, GenerationConfigError, type Protocol } from '@autotraj/generation';
import { type PromptTemplate, RUN_DEFAULTS, type Sampling } from '@autotraj/trajectory';
import type { RepairerOptions, RepairStrategy } from './repairer.js';

/** A repairer's settings with every default applied (`RUN_DEFAULTS`): what it runs with. */
export interface ResolvedRepairerOptions {
  strategy: RepairStrategy;
  maxAttempts: number;
  protocol: Protocol;
  maxToolCalls: number;
  sampling: Sampling;
  prompt: PromptTemplate;
}

/**
 * The repairer's defaults in one place: `createRepairer` runs with this, and `synthesize`
 * records the same values in its settings. Throws `GenerationConfigError` for a prompt that is
 * not a repair prompt of the protocol.
 */
export function resolveRepairerOptions(
  options: Pick<
    RepairerOptions,
    'strategy' | 'maxAttempts' | 'protocol' | 'maxToolCalls' | 'sampling' | 'prompt'
  >,
): ResolvedRepairerOptions {
  const protocol = options.protocol ?? RUN_DEFAULTS.protocol;
  const prompt = options.prompt ?? defaultPrompt('repair', protocol);
  if (prompt.kind !== 'repair' || prompt.protocol !== protocol)
    throw new GenerationConfigError({
      message: `repair prompt "${prompt.name}" is a ${prompt.protocol} ${prompt.kind} prompt; the repairer needs a ${protocol} repair prompt`,
    });
  return {
    strategy: options.strategy ?? RUN_DEFAULTS.repairStrategy,
    maxAttempts: options.maxAttempts ?? RUN_DEFAULTS.repairAttempts,
    protocol,
    maxToolCalls: options.maxToolCalls ?? RUN_DEFAULTS.maxToolCalls,
    // Greedy, as the paper's repairer runs.
    sampling: options.sampling ?? { temperature: RUN_DEFAULTS.repairTemperature },
    prompt,
  };
}
