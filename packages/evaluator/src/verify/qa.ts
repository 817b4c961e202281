// What SQuAD's evaluation script (and FlashRAG's, and the paper's `normalize_answer`) deletes:
// Python's `string.punctuation`, ASCII only, removed without leaving a space ("1.95 m" is
// "195 m", "N.Y.C." is "nyc"); other characters stay.
const PUNCTUATION = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/g;
// Python's `\b` is Unicode-aware: a letter or digit of any script is a word character.
const ARTICLES = /(?<![\p{L}\p{N}_])(?:a|an|the)(?![\p{L}\p{N}_])/gu;
// Python's `str.split()` whitespace (`str.isspace`), which is not JavaScript's `\s`.
const WHITESPACE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: \x1c-\x1f are whitespace to Python
  /[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;

/**
 * SQuAD answer normalisation, exactly as its script does it: lower case, ASCII punctuation
 * removed, articles removed, whitespace collapsed.
 */
export function normalizeQaAnswer(text: string): string {
  return text
    .toLowerCase()
    .replace(PUNCTUATION, '')
    .replace(ARTICLES, ' ')
    .split(WHITESPACE)
    .filter(Boolean)
    .join(' ');
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
