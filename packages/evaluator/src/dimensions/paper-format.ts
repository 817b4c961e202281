import { RUN_DEFAULTS } from '@autotraj/trajectory';
import type { Diagnostic } from './types.js';

export interface PaperFormatViolation {
  code: string;
  message: string;
  /** Character offset in the checked text, where it applies. */
  offset: number | null;
}

export interface PaperFormatResult {
  ok: boolean;
  violations: PaperFormatViolation[];
  toolCalls: number;
}

export interface PaperFormatOptions {
  /** Most tool calls allowed (the paper's repair prompt: 3). `Infinity` disables the rule. */
  maxToolCalls?: number | undefined;
  /** Tags that are tool calls. Default `code`, `search` (and `calculator`). */
  callTags?: ReadonlyArray<string> | undefined;
}

const TAG = /<(\/?)(think|answer|result|code|search|calculator)>/g;
/** The default call tags, built once: the full preset checks every candidate's text. */
const DEFAULT_CALL_TAGS: ReadonlySet<string> = new Set(['code', 'search', 'calculator']);

/**
 * The paper's tag rules, for RL format rewards and repair prompts: the text starts with
 * `<think>`, every `<think>` is closed, every `<code>`/`<search>` is closed and followed by
 * its `<result>`, there is exactly one `<answer>`, it comes last and holds a `\boxed{}`.
 */
export function checkPaperFormat(
  text: string,
  options: PaperFormatOptions = {},
): PaperFormatResult {
  const callTags = options.callTags ? new Set(options.callTags) : DEFAULT_CALL_TAGS;
  const maxToolCalls = options.maxToolCalls ?? RUN_DEFAULTS.maxToolCalls;
  const violations: PaperFormatViolation[] = [];
  const add = (code: string, message: string, offset: number | null) =>
    violations.push({ code, message, offset });

  if (!text.trimStart().startsWith('<think>'))
    add('first-token-not-think', 'the text does not start with <think>', 0);

  let open: { name: string; at: number } | null = null;
  let pendingCall: { name: string; at: number } | null = null;
  let answers = 0;
  let answerEnd = -1;
  let toolCalls = 0;
  TAG.lastIndex = 0;
  for (let match = TAG.exec(text); match !== null; match = TAG.exec(text)) {
    const closing = match[1] === '/';
    const name = match[2]!;
    const at = match.index;
    if (!closing) {
      if (open !== null) {
        add('unclosed-tag', `<${open.name}> is not closed before <${name}>`, open.at);
        open = null;
      }
      if (pendingCall !== null && name !== 'result') {
        add(
          'call-without-result',
          `<${pendingCall.name}> is not followed by <result>`,
          pendingCall.at,
        );
        pendingCall = null;
      }
      if (name === 'result' && pendingCall === null)
        add('orphan-result', '<result> without a preceding tool call', at);
      if (name === 'result') pendingCall = null;
      if (callTags.has(name)) toolCalls++;
      if (name === 'answer') answers++;
      open = { name, at };
    } else if (open === null || open.name !== name) {
      add('unmatched-close', `</${name}> without a matching <${name}>`, at);
    } else {
      if (callTags.has(name)) pendingCall = { name, at: open.at };
      if (name === 'answer') {
        answerEnd = at + match[0].length;
        if (!/\\boxed\s*\{/.test(text.slice(open.at, at)))
          add('answer-without-boxed', 'the <answer> has no \\boxed{}', open.at);
      }
      open = null;
    }
  }
  if (open !== null) add('unclosed-tag', `<${open.name}> is not closed`, open.at);
  if (pendingCall !== null)
    add('call-without-result', `<${pendingCall.name}> is not followed by <result>`, pendingCall.at);
  if (answers === 0) add('missing-answer', 'no <answer> block', null);
  if (answers > 1)
    add('multiple-answers', `${answers} <answer> blocks; exactly one is allowed`, null);
  if (answerEnd >= 0 && text.slice(answerEnd).trim() !== '')
    add('text-after-answer', 'text after the final </answer>', answerEnd);
  if (toolCalls > maxToolCalls)
    add('too-many-tool-calls', `${toolCalls} tool calls; at most ${maxToolCalls} allowed`, null);
  return { ok: violations.length === 0, violations, toolCalls };
}

/** Format as a dimension: 1 when clean, minus 0.25 per violation. */
export function formatDimension(
  text: string,
  options: PaperFormatOptions = {},
): { score: number; diagnostics: Diagnostic[] } {
  const result = checkPaperFormat(text, options);
  return {
    score: Math.max(0, 1 - 0.25 * result.violations.length),
    diagnostics: result.violations.map((violation) => ({
      stepIndex: null,
      code: `format/${violation.code}`,
      message: violation.message,
    })),
  };
}
