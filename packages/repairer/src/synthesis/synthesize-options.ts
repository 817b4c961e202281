import { defaultPrompt, type Protocol, type Shard } from '@autotraj/generation';
import { modelNameOf } from '@autotraj/generation/internal';
import { type PromptTemplate, RUN_DEFAULTS, type Sampling } from '@autotraj/trajectory';
import { RepairerConfigError } from '../errors.js';
import {
  type ResolvedRepairerOptions,
  resolveRepairerOptions,
} from '../repair/repairer-options.js';
import { type AdmissionMode, resolveAdmissionMode } from './admission.js';
import type { SynthesizeOptions } from './synthesize.js';

/** `synthesize`'s options with every default applied (`RUN_DEFAULTS`): what the run uses and records. */
export interface ResolvedSynthesizeOptions {
  n: number;
  concurrency: number;
  admission: AdmissionMode;
  repairRefused: boolean;
  forceNew: boolean;
  shard: Shard | null;
  total: number | null;
  policy: {
    protocol: Protocol;
    maxToolCalls: number;
    /** Candidate sampling: the paper's temperature unless the caller set one. */
    sampling: Sampling;
    /** The template the policy is prompted with; null when `instructions` replace it. */
    prompt: PromptTemplate | null;
    modelName: string;
  };
  /** The repairer's settings as it runs with them. */
  repairer: ResolvedRepairerOptions & { modelName: string | null };
}

/** Every default of a synthesis run, in one place (the `prepare*` pattern of the `ai` SDK). */
export function resolveSynthesizeOptions(options: SynthesizeOptions): ResolvedSynthesizeOptions {
  const { policy } = options;
  const protocol = policy.protocol ?? RUN_DEFAULTS.protocol;
  const admission = resolveAdmissionMode(options.admission);
  return {
    n: options.n ?? RUN_DEFAULTS.n,
    concurrency: options.concurrency ?? RUN_DEFAULTS.concurrency,
    admission,
    repairRefused: resolveRepairRefused(options.repairRefused, admission),
    forceNew: options.forceNew ?? false,
    shard: options.shard ?? null,
    total: options.total ?? null,
    policy: {
      protocol,
      maxToolCalls: policy.maxToolCalls ?? RUN_DEFAULTS.maxToolCalls,
      sampling: { temperature: RUN_DEFAULTS.temperature, ...policy.sampling },
      prompt:
        policy.instructions === undefined
          ? (policy.prompt ?? defaultPrompt('generation', protocol))
          : null,
      modelName: policy.modelName ?? modelNameOf(policy.model),
    },
    repairer: {
      ...resolveRepairerOptions(options.repairer.options),
      modelName: options.repairer.options.modelName ?? null,
    },
  };
}

function resolveRepairRefused(value: unknown, admission: AdmissionMode): boolean {
  if (value === undefined || value === false) return false;
  if (value !== true)
    throw new RepairerConfigError({
      message: `repairRefused must be a boolean, got ${JSON.stringify(value)}`,
    });
  if (admission !== 'well-formed')
    throw new RepairerConfigError({
      message: `repairRefused repairs what the admission gate refuses: it needs admission well-formed, not ${admission}`,
    });
  return true;
}
