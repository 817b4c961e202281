import {
  createReplayModel,
  createVllmProvider,
  type GenerateTrajectoryOptions,
} from '@autotraj/generation';
import { createCalculatorRuntime, createPythonPool, createPythonRuntime } from '@autotraj/tools';
import type { ToolRuntime } from '@autotraj/trajectory';
import { RlConfigError } from './errors.js';

export interface PolicyModelOptions {
  /** Model id as the server knows it (vLLM: the served model name). */
  model: string;
  /** OpenAI-compatible base URL, e.g. `http://localhost:8000/v1` for vLLM. */
  baseURL?: string | undefined;
  apiKey?: string | undefined;
  /** Answer from a recorded cassette instead of a live server (offline runs). */
  cassette?: string | undefined;
}

/** The rollout policy: an OpenAI-compatible chat model, or a replay of a recorded cassette. */
export function createPolicyModel(options: PolicyModelOptions): GenerateTrajectoryOptions['model'] {
  if (options.cassette !== undefined)
    return createReplayModel({ cassette: options.cassette, modelId: options.model });
  if (options.baseURL === undefined) {
    throw new RlConfigError({
      option: 'baseURL',
      message: 'a live policy needs the base URL of an OpenAI-compatible server (or a cassette)',
    });
  }
  // A vLLM / SGLang server: the chat request carries the flags that continue a partial
  // assistant message (text-tag rollouts); other servers: resolveModel from @autotraj/generation.
  return createVllmProvider({
    baseURL: options.baseURL,
    ...(options.apiKey === undefined ? {} : { apiKey: options.apiKey }),
  }).languageModel(options.model);
}

export const rolloutToolNames = ['calculator', 'python'] as const;

/** Tool runtimes by name for rollouts; `close` stops the Python pool if one was started. */
export function createRolloutTools(
  names: ReadonlyArray<string>,
  options: { pythonWorkers?: number } = {},
): { tools: ToolRuntime[]; close(): Promise<void> } {
  const tools: ToolRuntime[] = [];
  let closePool = async () => {};
  for (const name of names) {
    if (name === 'calculator') tools.push(createCalculatorRuntime());
    else if (name === 'python') {
      // The pool's own default size unless the caller gives one.
      const pool = createPythonPool(
        options.pythonWorkers === undefined ? {} : { size: options.pythonWorkers },
      );
      closePool = () => pool.close();
      tools.push(createPythonRuntime({ pool }));
    } else {
      throw new RlConfigError({
        option: 'tools',
        message: `unknown tool "${name}"; expected ${rolloutToolNames.join(', ')}`,
      });
    }
  }
  return { tools, close: () => closePool() };
}
