/**
 * Light answer extraction used by codecs to fill `answer` steps. The evaluator has the full,
 * configurable extractor; codecs only need the explicit markers their formats define.
 */

/** Content of the last `\boxed{...}` or `\fbox{...}`, with nested braces; null when absent. */
export function extractLastBoxed(text: string): string | null {
  let found: string | null = null;
  const pattern = /\\(?:boxed|fbox)\s*\{/g;
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    let depth = 1;
    let i = match.index + match[0].length;
    const start = i;
    for (; i < text.length && depth > 0; i++) {
      const ch = text[i];
      if (ch === '\\') i++;
      else if (ch === '{') depth++;
      else if (ch === '}') depth--;
    }
    if (depth === 0) found = text.slice(start, i - 1);
  }
  return found;
}

/** `\boxed{}` first, then `#### x`, `A: x`, "the answer is x". */
export function extractMarkedAnswer(text: string): string | null {
  const boxed = extractLastBoxed(text);
  if (boxed !== null) return boxed.trim();
  const hashes = /####\s*(.+?)\s*$/m.exec(text);
  if (hashes) return hashes[1]!;
  const lines = text.trimEnd().split('\n');
  const last = lines[lines.length - 1] ?? '';
  const a = /^\s*A:\s*(.+?)\s*$/.exec(last);
  if (a) return a[1]!;
  const sentence = /answer is[:\s]*\$?([^$\n]+?)\$?\s*\.?\s*$/i.exec(text);
  if (sentence) return sentence[1]!.trim();
  return null;
}
