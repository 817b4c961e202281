import { readFileSync } from 'node:fs';
import { freemem, totalmem } from 'node:os';
import { LlamaCppError } from './errors.js';

/**
 * What llama.cpp, ggml and the C++ runtime say when an allocation fails: an mmap of the weights
 * (`mmap failed: Cannot allocate memory`), a buffer (`ggml_aligned_malloc: insufficient
 * memory`, `failed to allocate ... buffer`), `std::bad_alloc`. (node-llama-cpp's own estimate
 * throws `InsufficientMemoryError`, which the engine tests by class.)
 */
const OUT_OF_MEMORY =
  /cannot allocate memory|insufficient memory|failed to allocate|out of memory|bad_alloc|ENOMEM/i;

/** Whether a load failure's message or the runtime's last log lines say memory ran out. */
export function saysOutOfMemory(text: string): boolean {
  return OUT_OF_MEMORY.test(text);
}

const MB = 1024 * 1024;

/** This process's address-space limit in bytes (`ulimit -v`, `prlimit --as`), if it has one. */
function addressSpaceLimit(pid: number | 'self'): number | undefined {
  try {
    const line = readFileSync(`/proc/${pid}/limits`, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max address space'));
    const soft = line?.slice('Max address space'.length).trim().split(/\s+/)[0];
    return soft === undefined || soft === 'unlimited' ? undefined : Number(soft);
  } catch {
    return undefined;
  }
}

/** The memory facts a user needs to act on an out-of-memory load. */
export function memoryFacts(pid: number | 'self' = 'self'): string {
  const limit = addressSpaceLimit(pid);
  return `${Math.round(freemem() / MB)} MB of ${Math.round(totalmem() / MB)} MB free${
    limit === undefined
      ? ''
      : `; the worker's address space is limited to ${Math.round(limit / MB)} MB`
  }`;
}

/**
 * The model could not be loaded for want of memory. `what` says what was being allocated (the
 * weights of a file, a context of N tokens); `evidence` is llama.cpp's own line.
 */
export function outOfMemoryError(options: {
  what: string;
  evidence: string;
  facts: string;
  cause?: unknown;
}): LlamaCppError {
  return new LlamaCppError({
    code: 'out_of_memory',
    message: `out of memory loading ${options.what} (${options.evidence.trim()}); ${options.facts}. Use fewer workers, a smaller contextSize or a smaller model, or free memory`,
    cause: options.cause,
  });
}

/** The last line of `text` that says memory ran out, else its last non-empty line. */
export function evidenceLine(text: string): string {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return lines.findLast(saysOutOfMemory) ?? lines.at(-1) ?? '';
}
