import type { BenchmarkKind } from '../registry.js';

/**
 * Split text into its top-level `{...}` groups when it consists of nothing else (separated by
 * whitespace, commas, `|` or `;`); null when any text lies outside a group or braces do not
 * balance.
 */
function topLevelGroups(text: string): string[] | null {
  const groups: string[] = [];
  let depth = 0;
  let start = -1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\\' && depth > 0) {
      i++; // `\{` and `\}` inside a group are literal braces
      continue;
    }
    if (ch === '{') {
      if (depth === 0) start = i + 1;
      depth++;
    } else if (ch === '}') {
      depth--;
      if (depth < 0) return null;
      if (depth === 0) groups.push(text.slice(start, i));
    } else if (depth === 0 && !/[\s,;|]/.test(ch)) return null;
  }
  return depth === 0 && groups.length > 0 ? groups : null;
}

/**
 * The gold answers of a benchmark line, as the checkers compare them. The paper's files wrap
 * answers in braces (`{Frank Lowy}`, `{\dfrac{1}{9}}`): the outer braces go. A QA answer may
 * list aliases as several groups (`{NYC} {New York City}`) or as a JSON array; every alias is
 * a gold answer. A math answer is one expression: only one outer pair is removed, so
 * `{1}{2}` stays as written rather than becoming two golds.
 */
export function goldAnswersOf(
  answer: string | ReadonlyArray<string>,
  kind: BenchmarkKind,
): string[] {
  const list = typeof answer === 'string' ? [answer] : [...answer];
  const out: string[] = [];
  for (const raw of list) {
    const text = raw.trim();
    const groups = topLevelGroups(text);
    if (groups === null) out.push(text);
    else if (kind === 'qa') out.push(...groups.map((g) => g.trim()));
    else out.push(groups.length === 1 ? groups[0]!.trim() : text);
  }
  return [...new Set(out.filter((g) => g !== ''))];
}
