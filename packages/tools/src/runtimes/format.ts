import type { CalculatorResult } from '../calculator/calculate.js';
import type { PythonExecutionResult } from '../python/types.js';
import type { SearchHit } from '../search/types.js';

export interface FormatPythonOptions {
  /** Append stderr (warnings) to successful output. Default false, as ToRA records. */
  includeStderr?: boolean;
}

/**
 * The text a model sees for a Python call, as ToRA records it: stdout without trailing
 * whitespace, then `Type: message` (the traceback's last line) if the cell failed.
 */
export function formatPythonOutput(
  result: PythonExecutionResult,
  options: FormatPythonOptions = {},
): string {
  const parts: string[] = [];
  const stdout = result.stdout.trimEnd();
  if (stdout !== '') parts.push(stdout);
  if (options.includeStderr && result.stderr.trim() !== '') parts.push(result.stderr.trimEnd());
  if (result.error !== null)
    parts.push(
      result.error.message === ''
        ? result.error.type
        : `${result.error.type}: ${result.error.message}`,
    );
  return parts.join('\n');
}

export function formatCalculatorOutput(result: CalculatorResult): string {
  return result.ok ? result.text : `${result.error.type}: ${result.error.message}`;
}

/** Passages as numbered `(title) text` blocks, the way search results are shown to models. */
export function formatSearchHits(hits: ReadonlyArray<SearchHit>): string {
  if (hits.length === 0) return 'No results.';
  return hits
    .map((hit, i) => `Doc ${i + 1}${hit.title ? ` (Title: ${hit.title})` : ''} ${hit.text}`)
    .join('\n');
}
