/** SQuAD-style answer normalisation: lower case, no punctuation, no articles, single spaces. */
export function normalizeQaAnswer(text: string): string {
  return text
    .toLowerCase()
    .replace(/[\p{P}\p{S}]/gu, ' ')
    .replace(/\b(a|an|the)\b/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function goldList(golds: string | ReadonlyArray<string>): string[] {
  return typeof golds === 'string' ? [golds] : [...golds];
}

/** Normalised exact match against any gold answer. */
export function qaExactMatch(pred: string, golds: string | ReadonlyArray<string>): boolean {
  const normalized = normalizeQaAnswer(pred);
  return goldList(golds).some((gold) => normalizeQaAnswer(gold) === normalized);
}

function tokenF1(pred: string, gold: string): number {
  const predTokens = normalizeQaAnswer(pred).split(' ').filter(Boolean);
  const goldTokens = normalizeQaAnswer(gold).split(' ').filter(Boolean);
  if (predTokens.length === 0 || goldTokens.length === 0)
    return predTokens.length === goldTokens.length ? 1 : 0;
  const counts = new Map<string, number>();
  for (const token of goldTokens) counts.set(token, (counts.get(token) ?? 0) + 1);
  let common = 0;
  for (const token of predTokens) {
    const left = counts.get(token) ?? 0;
    if (left > 0) {
      common++;
      counts.set(token, left - 1);
    }
  }
  if (common === 0) return 0;
  const precision = common / predTokens.length;
  const recall = common / goldTokens.length;
  return (2 * precision * recall) / (precision + recall);
}

/** Token F1 (SQuAD) against the best-matching gold answer, in [0, 1]. */
export function qaF1(pred: string, golds: string | ReadonlyArray<string>): number {
  return Math.max(0, ...goldList(golds).map((gold) => tokenF1(pred, gold)));
}
