import {
  type PromptTemplate,
  type PromptTurns,
  promptRef,
  type RenderedPrompt,
  RUN_DEFAULTS,
} from '@autotraj/trajectory';
import type { GenerateTrajectoryOptions, Protocol } from '../loop/types.js';
import { defaultPrompt } from './registry.js';
import { renderTaskPrompt } from './render.js';

export interface GenerationPromptOptions {
  question: string;
  /** Names of the tools offered (their prompt lines fill `{{tools}}`). */
  toolNames: ReadonlyArray<string>;
  protocol?: Protocol;
  maxToolCalls?: number;
  promptTemplate?: PromptTemplate;
  promptValues?: GenerateTrajectoryOptions['promptValues'];
  /** Replaces the template's system turn (callers with their own messages). */
  instructions?: string;
  /** Replaces the template's user turn. */
  prompt?: string;
}

/**
 * The turns `generateTrajectory` prompts the policy with, and the template they came from (null
 * when `instructions` / `prompt` replaced it). One function, so what a trainer is given as the
 * prompt (SFT records, rollouts, RL prompt rows) is what the model was asked.
 */
export function generationPrompt(options: GenerationPromptOptions): {
  rendered: RenderedPrompt;
  template: PromptTemplate | null;
} {
  const template =
    options.promptTemplate ??
    defaultPrompt('generation', options.protocol ?? RUN_DEFAULTS.protocol);
  const values = {
    question: options.question,
    toolNames: options.toolNames,
    maxToolCalls: options.maxToolCalls ?? RUN_DEFAULTS.maxToolCalls,
  };
  if (options.instructions === undefined && options.prompt === undefined)
    return {
      rendered: renderTaskPrompt(template, { ...values, ...options.promptValues }),
      template,
    };
  return {
    rendered: {
      system:
        options.instructions ??
        (template.placement === 'system' ? renderTaskPrompt(template, values).system : undefined),
      user: options.prompt ?? options.question,
    },
    template: null,
  };
}

/** `generationPrompt`'s turns with the template's name, version and hash; null without a template. */
export function generationPromptTurns(options: GenerationPromptOptions): PromptTurns | null {
  const { rendered, template } = generationPrompt(options);
  if (template === null) return null;
  return {
    ...promptRef(template),
    ...(rendered.system === undefined ? {} : { system: rendered.system }),
    user: rendered.user,
  };
}
