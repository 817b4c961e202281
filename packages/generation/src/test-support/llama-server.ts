// Test support (not part of the package): llama.cpp's real `llama-server`, built by
// `./dev llama-server`, started on SmolLM2 as a peer for tests of the continuation modes and of
// the loopback server's `llama.cpp` backend. Generation does not depend on @autotraj/llama-cpp
// (that package depends on this one), so the model file is found the way `./dev models` puts
// it: $AUTOTRAJ_MODELS_DIR/<file>.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LlamaServerPaths } from '../testing/llama-server.js';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

/** CI sets AUTOTRAJ_REQUIRE_LLAMA_SERVER=1 after `./dev llama-server`: a missing binary fails there. */
export const requireLlamaServer = process.env.AUTOTRAJ_REQUIRE_LLAMA_SERVER === '1';

/** The file `./dev models` fetches for SmolLM2-135M-Instruct (as @autotraj/llama-cpp names it). */
export const SMOLLM2_FILE = 'SmolLM2-135M-Instruct.Q4_1.gguf';

/**
 * The `llama-server` binary (`$AUTOTRAJ_LLAMA_SERVER`, else the build `./dev llama-server` left
 * in .cache/llama-server/current) and SmolLM2, or undefined with a note naming the command
 * that provides what is missing. Where AUTOTRAJ_REQUIRE_LLAMA_SERVER=1 (CI), missing is an error.
 */
export function llamaServerPaths(): LlamaServerPaths | undefined {
  const binary =
    process.env.AUTOTRAJ_LLAMA_SERVER ??
    join(repoRoot, '.cache', 'llama-server', 'current', 'bin', 'llama-server');
  // The per-user models cache, by the rule @autotraj/llama-cpp's modelsDir() follows.
  const modelsDir =
    process.env.AUTOTRAJ_MODELS_DIR ||
    join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'autotraj', 'models');
  const model = join(modelsDir, SMOLLM2_FILE);
  const missing = [
    ...(existsSync(binary) ? [] : [`${binary} does not exist (build it: ./dev llama-server)`]),
    ...(existsSync(model) ? [] : [`${model} does not exist (fetch it: ./dev models)`]),
  ];
  if (missing.length === 0) return { binary, model };
  const message = `the real llama-server tests need: ${missing.join('; ')}`;
  if (requireLlamaServer) throw new Error(`${message} (AUTOTRAJ_REQUIRE_LLAMA_SERVER=1)`);
  console.warn(`skipping ${message}`);
  return undefined;
}

export { type RunningLlamaServer, startLlamaServer } from '../testing/llama-server.js';
export type { LlamaServerPaths };
