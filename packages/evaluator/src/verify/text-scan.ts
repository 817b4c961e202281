/** Small scanners shared by extraction and normalisation: brace matching without regex backtracking. */

/** Index just past the `}` that closes the `{` at `open`, or -1 when unbalanced. */
export function matchBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\') {
      i++;
      continue;
    }
    if (ch === '{') depth++;
    else if (ch === '}') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

/** Every `\boxed{...}` / `\fbox{...}` with its content and span, in text order. */
export function findBoxed(text: string): { start: number; end: number; content: string }[] {
  const found: { start: number; end: number; content: string }[] = [];
  const pattern = /\\(?:boxed|fbox)\s*\{/g;
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    const open = match.index + match[0].length - 1;
    const end = matchBrace(text, open);
    if (end < 0) {
      // Unclosed box (text cut off): take the rest, as graders do.
      found.push({ start: match.index, end: text.length, content: text.slice(open + 1) });
      break;
    }
    found.push({ start: match.index, end, content: text.slice(open + 1, end - 1) });
    pattern.lastIndex = end;
  }
  return found;
}

/**
 * Split at top-level separators (outside (), [], {} and `\{ \}`). Interval brackets may be
 * mismatched (`[0,1)`), so any opener raises and any closer lowers the depth.
 */
export function splitTopLevel(text: string, separators: ReadonlyArray<string>): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\\') {
      const next = text[i + 1];
      if (next === '{' || next === '[' || next === '(') depth++;
      else if (next === '}' || next === ']' || next === ')') depth = Math.max(0, depth - 1);
      i++;
      continue;
    }
    if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') depth = Math.max(0, depth - 1);
    else if (depth === 0) {
      for (const separator of separators) {
        if (text.startsWith(separator, i)) {
          parts.push(text.slice(start, i));
          start = i + separator.length;
          i = start - 1;
          break;
        }
      }
    }
  }
  parts.push(text.slice(start));
  return parts;
}
