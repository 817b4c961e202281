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

const TRIG = /\\(?:sin|cos|tan|cot|sec|csc)(?![a-zA-Z])/;
const DEGREE_MARK = /\s*\^\s*\{?\s*\\circ\s*\}?/g;
/** A bare name: `x`, `N`, `x_1`, `\theta`. */
const NAME = /^(?:[a-zA-Z]|\\[a-zA-Z]+)(?:_\{?[\w]+\}?)?$/;

/**
 * Matrix notations as one: `bmatrix`, `Bmatrix`, `\left[\begin{array}{cc}...\end{array}\right]`
 * (and round brackets) all become `pmatrix`, the one the CAS reads.
 */
function matrixEnvironments(text: string): string {
  if (!text.includes('\\begin')) return text;
  return text
    .replace(
      /(?:\\left\s*)?([[(])\s*\\begin\{array\}\s*\{[^{}]*\}([\s\S]*?)\\end\{array\}\s*(?:\\right\s*)?[\])]/g,
      (_, _open: string, body: string) => `\\begin{pmatrix}${body}\\end{pmatrix}`,
    )
    .replace(/\\(begin|end)\{[bB]matrix\}/g, '\\$1{pmatrix}');
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
  text = matrixEnvironments(text);
  text = text
    .replace(/\\[dtc]frac/g, '\\frac')
    .replace(/\\(?:mathbf|mathbb|mathit|boldsymbol|bm)\s*\{/g, '{');
  text = replaceCommand(
    text,
    [
      'text',
      'textbf',
      'textit',
      'textrm',
      'textnormal',
      'textsf',
      'texttt',
      'textup',
      'textmd',
      'mbox',
      'mathrm',
      'operatorname',
    ],
    (content, name) => {
      if (CONNECTOR_WORDS.test(content)) return ',';
      // `\mathrm{e}` / `\operatorname{sin}` stay commands the CAS knows.
      if ((name === 'mathrm' || name === 'operatorname') && /^[a-zA-Z]$/.test(content.trim()))
        return content.trim();
      if (name === 'operatorname') return `\\operatorname{${content}}`;
      return `\\text{${content}}`;
    },
  );
  // `{,}` thousands, also spaced (`14 {, }916`), as latex2sympy's normaliser reads them.
  text = text.replace(/\s*\{\s*,\s*\}/g, ',').replace(/,\s*\\!\s*/g, ',');
  // `and` / `or` standing alone separate answers, also unspaced between brackets
  // (`(11,7)or(7,11)`), as in latex2sympy's normaliser.
  text = text.replace(/(?<![a-zA-Z\\])\s*,?\s*(?:and|or)(?![a-zA-Z])\s*/g, ', ');
  text = text.replace(SPACING, ' ');
  // Degrees are a unit (`90^\circ` is 90, also in `y = 52^\circ` or a list of angles), as
  // Math-Verify reads them; only inside a trigonometric function (`\tan 45^\circ`) do they
  // convert, where the CAS reads them.
  text = text.replace(/°|\\degree/g, '^\\circ');
  if (!TRIG.test(text)) text = text.replace(DEGREE_MARK, '');
  // Every spelling of percent becomes `\%`, read by `itemTree` (a percent is a value / 100).
  text = text.replace(/\\?%|\s*\b(?:percent(?:age)?s?|pct)\b/gi, '\\%');
  // Escaped and bare dollar signs alike (`\$16,\!386.20` is 16386.20).
  text = text.replace(/\\?\$/g, ' ');
  text = text.replace(/\\(?:dots|ldots|cdots)\s*$/, '');
  text = text.replace(/\s+/g, ' ').trim();
  text = text.replace(/[.,;:\s]+$/, '').replace(/^[,;:\s]+/, '');
  // `\frac{1}{3} \approx 0.33` trails a value already given: keep what precedes it; after a
  // name (`x \approx 11`) the value is what follows.
  const approx = /\\approx|\\simeq|≈/.exec(text);
  if (approx !== null && approx.index > 0) {
    const before = text.slice(0, approx.index).trim();
    const after = text.slice(approx.index + approx[0].length).trim();
    text = NAME.test(before) && after !== '' ? after : before;
  }
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
  // Kept for the engine: a chain it cannot read as a whole (`1 = \zzz = x = 0`) is its last side.
  const chain = splitTopLevel(item, ['=']).length >= 3 ? item : undefined;
  item = collapseEqualityChain(item);
  // Ratios `a:b` are quotients (`V_1:V_2 = 11:21`). With a zero divisor (`3:00`, a clock time)
  // there is no value: compare as written, as Math-Verify does, so `12:00` is not `1:00`.
  if (item.includes(':')) {
    const parts = splitTopLevel(item, [':']);
    if (parts.slice(1).some((part) => /^\s*0+\s*$/.test(part)))
      return { kind: 'item', latex: item, key: itemKey(item), literal: true };
    item = parts.join('/');
  }
  const percent = /^(.*?)\s*\\%$/.exec(item);
  if (percent && percent[1] !== '' && !/[=<>]|\\[lg]eq?(?![a-zA-Z])/.test(percent[1]!)) {
    const value = percent[1]!.trim();
    return { kind: 'item', latex: value, key: itemKey(value), percent: true };
  }
  // Inside a relation (`y = 25\%`) a percent is its value.
  item = item
    .replace(/(\d+(?:\.\d+)?)\s*\\%/g, '\\frac{$1}{100}')
    .replace(/\\%/g, '')
    .trim();
  if (item === '') return null;
  const option = /^\\text\{\s*\(?([A-Z])\)?\s*\}$|^\(([A-Z])\)$/.exec(item);
  if (option) item = option[1] ?? option[2]!;
  return {
    kind: 'item',
    latex: item,
    key: itemKey(item),
    ...(chain === undefined ? {} : { chain }),
  };
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
