import { type AnswerTree, treeKey } from './answer-tree.js';
import { matchBrace, splitTopLevel } from './text-scan.js';

/** Longest answer text we normalise; longer extractions are cut (they are prose, not answers). */
const MAX_ANSWER_CHARS = 2000;

/** `\\frac` written with a doubled backslash (JSON-escaped twice) is still `\frac`. */
export function undoubleBackslashes(text: string): string {
  return text.includes('\\\\') ? text.replace(/\\\\(?=[a-zA-Z])/g, '\\') : text;
}

const SPACING =
  /(?<!\\)\\(?:[,;:!> ]|quad|qquad|displaystyle|textstyle|left(?![a-zA-Z])|right(?![a-zA-Z])|big|Big|bigg|Bigg)/g;

/** Replace `\cmd{...}` by a function of its content, handling nested braces. */
function replaceCommand(
  text: string,
  names: ReadonlyArray<string>,
  replace: (content: string, name: string) => string,
): string {
  const pattern = new RegExp(`\\\\(${names.join('|')})\\s*\\{`, 'g');
  let out = '';
  let cursor = 0;
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    const open = match.index + match[0].length - 1;
    const end = matchBrace(text, open);
    if (end < 0) break;
    out += text.slice(cursor, match.index) + replace(text.slice(open + 1, end - 1), match[1]!);
    cursor = end;
    pattern.lastIndex = end;
  }
  return out + text.slice(cursor);
}

const CONNECTOR_WORDS = /^\s*(?:and|or|&)\s*$/i;

/**
 * LaTeX clean-up before splitting: spacing commands, `\dfrac`, degrees, percent, `\text{}`
 * (kept as words; connectors become separators), dollar signs and trailing punctuation.
 */
export function normalizeLatex(raw: string): string {
  let text = undoubleBackslashes(raw).slice(0, MAX_ANSWER_CHARS);
  text = text
    .replace(/\\(?:boxed|fbox)\s*\{/g, '{')
    .replace(/\\mathbb\s*\{?\s*R\s*\}?/g, '(-\\infty,\\infty)');
  text = text
    .replace(/\\[dtc]frac/g, '\\frac')
    .replace(/\\(?:mathbf|mathbb|mathit|boldsymbol|bm)\s*\{/g, '{');
  text = replaceCommand(
    text,
    ['text', 'textbf', 'textit', 'textrm', 'mbox', 'mathrm', 'operatorname'],
    (content, name) => {
      if (CONNECTOR_WORDS.test(content)) return ',';
      // `\mathrm{e}` / `\operatorname{sin}` stay commands the CAS knows.
      if ((name === 'mathrm' || name === 'operatorname') && /^[a-zA-Z]$/.test(content.trim()))
        return content.trim();
      if (name === 'operatorname') return `\\operatorname{${content}}`;
      return `\\text{${content}}`;
    },
  );
  text = text.replace(/\{,\}/g, ',').replace(/,\\!\s*/g, ',');
  text = text.replace(SPACING, ' ');
  // `90^\circ` as a whole answer is 90; inside an expression (`\tan 45^\circ`) the CAS reads degrees.
  const degrees = /^\s*(-?[\d.]+)\s*(?:\^\s*\{?\s*\\circ\s*\}?|°|\\degree)\s*[.]?\s*$/.exec(text);
  if (degrees) text = degrees[1]!;
  text = text.replace(/°|\\degree/g, '^\\circ');
  text = text.replace(/\\?%|\s*\bpercent(?:age)?s?\b/gi, '');
  text = text.replace(/\$/g, ' ');
  text = text.replace(/\\(?:dots|ldots|cdots)\s*$/, '');
  text = text.replace(/\s+/g, ' ').trim();
  text = text.replace(/[.,;:\s]+$/, '').replace(/^[,;:\s]+/, '');
  // `\approx 11` trails a value already given: keep what precedes it.
  const approx = text.search(/\\approx|\\simeq|≈/);
  if (approx > 0) text = text.slice(0, approx).trim();
  return text;
}

/** `{a, b}` written as a TeX group (not `\{ \}`) is just grouping. */
function stripOuterGroup(text: string): string {
  let current = text;
  while (current.startsWith('{') && matchBrace(current, 0) === current.length)
    current = current.slice(1, -1).trim();
  return current;
}

/** Words after a number are units (`35 cm`, `0.06 \text{ yuan}`): drop them, keep the number. */
function stripUnits(item: string): string {
  let text = item;
  if (/^\\text\{[^{}]*\}$/.test(text)) return text;
  const withoutText = text.replace(/\\text\{[^{}]*\}(?:\^\s*\{?\d\}?)?/g, ' ').trim();
  if (withoutText !== '' && /[\d}]/.test(withoutText)) text = withoutText.replace(/\s+/g, ' ');
  const unit = /^(.*[\d}])\s*(?:[a-zA-Z]{2,}(?:\s+[a-zA-Z]{2,})*)(?:\^?\{?[23]\}?|²|³)?$/.exec(
    text,
  );
  if (unit && /\d/.test(unit[1]!)) text = unit[1]!.trim();
  return text;
}

/** A chain `x = 5+5+1 = 11` compares as `x = 11`: first left side, last right side. */
function collapseEqualityChain(item: string): string {
  const parts = splitTopLevel(item, ['=']).map((part) => part.trim());
  if (parts.length < 3) return item;
  return `${parts[0]}=${parts[parts.length - 1]}`;
}

/** Key used for the exact-string shortcut: no spaces, `\text{}` unwrapped, option letters bare. */
export function itemKey(latex: string): string {
  let key = latex.replace(/\\text\{([^{}]*)\}/g, '$1').replace(/\s+/g, '');
  const option = /^\(?([A-Z])\)?$/.exec(key);
  if (option) key = option[1]!;
  return key;
}

function itemTree(raw: string): AnswerTree | null {
  let item = stripOuterGroup(raw.trim());
  if (item === '') return null;
  item = stripUnits(item);
  // `14,916` as one number (not the pair 14 and 916) only when it is the whole item.
  if (/^-?\d{1,3}(?:,\d{3})+(?:\.\d+)?$/.test(item)) item = item.replaceAll(',', '');
  item = collapseEqualityChain(item);
  // Ratios `a:b` are quotients (`V_1:V_2 = 11:21`); a clock time maps the same way on both sides.
  if (item.includes(':')) item = splitTopLevel(item, [':']).join('/');
  const option = /^\\text\{\s*\(?([A-Z])\)?\s*\}$|^\(([A-Z])\)$/.exec(item);
  if (option) item = option[1] ?? option[2]!;
  return { kind: 'item', latex: item, key: itemKey(item) };
}

/** Turn one extracted answer into the tree the comparison walks. */
export function answerTree(raw: string): AnswerTree | null {
  const text = normalizeLatex(raw);
  if (text === '') return null;
  const wholeNumber = /^-?\d{1,3}(?:,\d{3})+(?:\.\d+)?$/.test(text);
  const groups = wholeNumber ? [text] : splitTopLevel(text, [';']);
  const groupTrees: AnswerTree[] = [];
  for (const group of groups) {
    const parts = wholeNumber
      ? [group]
      : splitTopLevel(stripOuterGroup(group.trim()), [',', ' and ', ' or ']);
    const items = parts.map(itemTree).filter((tree): tree is AnswerTree => tree !== null);
    if (items.length === 1) groupTrees.push(items[0]!);
    else if (items.length > 1) groupTrees.push({ kind: 'list', items: dedupe(items) });
  }
  if (groupTrees.length === 0) return null;
  if (groupTrees.length === 1) return groupTrees[0]!;
  return { kind: 'list', items: dedupe(groupTrees) };
}

function dedupe(items: AnswerTree[]): AnswerTree[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const key = treeKey(item);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
