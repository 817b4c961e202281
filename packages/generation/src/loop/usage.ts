import type { Usage } from '@autotraj/trajectory';

export type UsageTotals = Usage;

/** Add one call's usage (`ai` SDK `LanguageModelUsage`) to running totals. */
export function addUsage(
  totals: UsageTotals,
  usage:
    | {
        inputTokens?: number | undefined;
        outputTokens?: number | undefined;
        totalTokens?: number | undefined;
      }
    | undefined,
): void {
  if (usage === undefined) return;
  for (const key of ['inputTokens', 'outputTokens', 'totalTokens'] as const) {
    const value = usage[key];
    if (typeof value === 'number' && Number.isFinite(value))
      totals[key] = (totals[key] ?? 0) + Math.round(value);
  }
}
