import { createHash } from 'node:crypto';

/** JSON with object keys sorted, so equal content always hashes equally. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(v as object).sort()) {
      sorted[key] = (v as Record<string, unknown>)[key];
    }
    return sorted;
  });
}

/**
 * A stable id derived from content: `prefix_` + 16 hex chars of SHA-256 over canonical JSON.
 * 64 bits keeps collisions negligible for data sets far beyond millions of records.
 */
export function contentId(prefix: string, content: unknown): string {
  const digest = createHash('sha256').update(canonicalJson(content)).digest('hex');
  return `${prefix}_${digest.slice(0, 16)}`;
}

/** Id of a task from its data source and question. */
export function taskId(options: { question: string; dataSource?: string }): string {
  return contentId('task', { q: options.question, s: options.dataSource ?? 'unknown' });
}

/**
 * Id of a trajectory from its task, steps and model. `salt` separates identical samples
 * that must stay distinct records (e.g. candidate 2 of 4 that happens to repeat candidate 1).
 */
export function trajectoryId(options: {
  taskId: string;
  steps: unknown;
  model?: string | undefined;
  salt?: string | number | undefined;
}): string {
  return contentId('traj', {
    t: options.taskId,
    s: options.steps,
    m: options.model ?? null,
    x: options.salt ?? null,
  });
}
