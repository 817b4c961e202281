import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { LlamaCppError } from './errors.js';
import { modelsDir } from './fetched-models.js';

const run = promisify(execFile);

/** node-llama-cpp's package directory (its `exports` do not include package.json). */
function nodeLlamaCppDir(): string {
  let dir = dirname(fileURLToPath(import.meta.resolve('node-llama-cpp')));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('node-llama-cpp: package.json not found');
    dir = up;
  }
  return dir;
}

export interface LlamaCppSourceOptions {
  /** Where the tree is unpacked; default: beside the models cache (`modelsDir()/..`). */
  cacheDir?: string;
}

/**
 * A checkout of the llama.cpp source node-llama-cpp was built from, unpacked once from the git
 * bundle it ships (`llama/gitRelease.bundle`) with `git clone`. It holds llama.cpp's own
 * `convert_lora_to_gguf.py` and `convert_hf_to_gguf.py` (with its `gguf-py`), so a trained model
 * is written in exactly the GGUF this runtime reads. Returns the directory.
 */
export async function llamaCppSource(options: LlamaCppSourceOptions = {}): Promise<string> {
  const pkg = nodeLlamaCppDir();
  const { version } = JSON.parse(await readFile(join(pkg, 'package.json'), 'utf8')) as {
    version: string;
  };
  const root = options.cacheDir ?? join(dirname(modelsDir()), 'llama.cpp-source');
  const dest = join(root, `node-llama-cpp-${version}`);
  if (existsSync(join(dest, 'convert_lora_to_gguf.py'))) return dest;
  const bundle = join(pkg, 'llama', 'gitRelease.bundle');
  if (!existsSync(bundle))
    throw new LlamaCppError({
      code: 'source_unavailable',
      message: `${bundle}: node-llama-cpp ${version} ships no llama.cpp source bundle`,
    });
  await mkdir(root, { recursive: true });
  // Clone beside the destination, then rename: a killed clone never looks complete.
  const partial = `${dest}.partial-${process.pid}`;
  try {
    await run('git', ['clone', '--quiet', bundle, partial], { maxBuffer: 16 * 1024 * 1024 });
    await rename(partial, dest).catch(async (error: NodeJS.ErrnoException) => {
      // Another process finished first: use its tree.
      if (!existsSync(join(dest, 'convert_lora_to_gguf.py'))) throw error;
      await rm(partial, { recursive: true, force: true });
    });
  } catch (cause) {
    await rm(partial, { recursive: true, force: true });
    throw new LlamaCppError({
      code: 'source_unavailable',
      message: `could not unpack llama.cpp's source from ${bundle} with git clone (is git installed?): ${(cause as Error).message}`,
      cause,
    });
  }
  return dest;
}
