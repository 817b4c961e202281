import { toolInputFromTagContent, toolInputText, toolTagTable } from '../contracts/tool-spec.js';
import type { Step } from '../schemas/step.js';
import { extractMarkedAnswer } from './answer-extraction.js';
import {
  callIdAt,
  excerpt,
  finalAnswerOf,
  type ParsedSteps,
  type ParseIssue,
  type Segment,
  type TextCodec,
} from './codec.js';

export interface TagCodecOptions {
  /** Tag name -> tool name for call tags. Default: `code` -> python, `search` -> search, `calculator` -> calculator. */
  toolTags?: Record<string, string> | undefined;
  /** Wrap code in a ```python fence inside `<code>` when rendering (Tool-Star models write one). */
  fenceCode?: boolean | undefined;
}

const DEFAULT_TOOL_TAGS = toolTagTable();

/**
 * The tag format of the paper's code (Tool-Star style): `<think>`, `<code>`/`<search>` each
 * followed by `<result>`, and a final `<answer>` holding `\boxed{}`.
 */
export function createTagCodec(options: TagCodecOptions = {}): TextCodec {
  const toolTags = options.toolTags ?? DEFAULT_TOOL_TAGS;
  const tagByTool = Object.fromEntries(Object.entries(toolTags).map(([tag, tool]) => [tool, tag]));
  const names = ['think', 'answer', 'result', ...Object.keys(toolTags)];
  const openPattern = new RegExp(`<(${names.map(escapeRegExp).join('|')})>`, 'g');

  function parse(text: string): ParsedSteps {
    const issues: ParseIssue[] = [];
    const steps: Step[] = [];
    let cursor = 0;
    let calls = 0;
    let pending: { callId: string; toolName: string } | null = null;
    let answers = 0;

    const outside = (from: number, to: number) => {
      const chunk = text.slice(from, to);
      if (chunk.trim() === '') return;
      if (answers > 0) {
        issues.push({
          code: 'text-after-answer',
          message: 'text after the final answer',
          offset: from,
          excerpt: excerpt(chunk.trim()),
        });
      } else {
        issues.push({
          code: 'text-outside-tags',
          message: 'text outside any tag; kept as reasoning',
          offset: from,
          excerpt: excerpt(chunk.trim()),
        });
      }
      steps.push({ type: 'think', text: chunk.trim() });
    };

    openPattern.lastIndex = 0;
    while (cursor < text.length) {
      openPattern.lastIndex = cursor;
      const open = openPattern.exec(text);
      if (open === null) break;
      outside(cursor, open.index);
      const name = open[1]!;
      const contentStart = open.index + open[0].length;
      const closeTag = `</${name}>`;
      const closeAt = text.indexOf(closeTag, contentStart);
      // An unclosed tag ends where the next known tag opens (or at the end of the text).
      openPattern.lastIndex = contentStart;
      const nextOpen = openPattern.exec(text);
      let contentEnd: number;
      if (closeAt >= 0 && (nextOpen === null || closeAt <= nextOpen.index)) {
        contentEnd = closeAt;
        cursor = closeAt + closeTag.length;
      } else {
        contentEnd = nextOpen === null ? text.length : nextOpen.index;
        cursor = contentEnd;
        issues.push({
          code: 'unclosed-tag',
          message: `<${name}> is not closed`,
          offset: open.index,
          excerpt: excerpt(text.slice(contentStart, contentEnd)),
        });
      }
      const content = text.slice(contentStart, contentEnd);

      if (name === 'think') {
        steps.push({ type: 'think', text: content });
      } else if (name === 'answer') {
        answers++;
        const answer = extractMarkedAnswer(content);
        steps.push(
          answer === null
            ? { type: 'answer', text: content }
            : { type: 'answer', text: content, answer },
        );
      } else if (name === 'result') {
        if (pending === null) {
          issues.push({
            code: 'orphan-result',
            message: '<result> without a preceding call; left out of the steps',
            offset: open.index,
            excerpt: excerpt(content),
          });
        } else {
          steps.push({
            type: 'tool-result',
            callId: pending.callId,
            toolName: pending.toolName,
            output: content,
            isError: false,
          });
          pending = null;
        }
      } else {
        if (pending !== null) {
          issues.push({
            code: 'missing-result',
            message: `<${tagByTool[pending.toolName] ?? pending.toolName}> call has no <result>`,
            offset: open.index,
          });
        }
        const toolName = toolTags[name]!;
        const callId = callIdAt(calls++);
        steps.push({
          type: 'tool-call',
          callId,
          toolName,
          input: toolInputFromTagContent(toolName, content),
        });
        pending = { callId, toolName };
      }
    }
    outside(cursor, text.length);
    if (pending !== null) {
      issues.push({ code: 'missing-result', message: 'the last call has no <result>' });
    }
    if (answers === 0) issues.push({ code: 'missing-answer', message: 'no <answer> tag' });
    if (answers > 1)
      issues.push({
        code: 'multiple-answers',
        message: `${answers} <answer> tags; the last one is final`,
      });
    return { steps, finalAnswer: finalAnswerOf(steps), issues };
  }

  /** One step's text after `separator`, or null for a step type the format has no tag for. */
  function stepText(step: Step, separator: string): string | null {
    switch (step.type) {
      case 'think':
        return `${separator}<think>${step.text}</think>`;
      case 'answer':
        return `${separator}<answer>${step.text}</answer>`;
      case 'tool-call': {
        const tag = tagByTool[step.toolName] ?? step.toolName;
        const body = toolInputText(step.toolName, step.input);
        const inner =
          options.fenceCode && step.toolName === 'python'
            ? `\n\`\`\`python\n${body}\n\`\`\`\n`
            : body;
        return `${separator}<${tag}>${inner}</${tag}>`;
      }
      case 'tool-result':
        // The environment appends `\n<result>...</result>` after the model stops at `</code>`.
        return `${separator}<result>${step.output}</result>`;
    }
    return null;
  }

  function renderSegments(steps: ReadonlyArray<Step>): Segment[] {
    const segments: Segment[] = [];
    for (const step of steps) {
      const text = stepText(step, segments.length > 0 ? '\n' : '');
      if (text !== null)
        segments.push({ text, source: step.type === 'tool-result' ? 'tool' : 'model' });
    }
    return segments;
  }

  /**
   * `joinSegments(renderSegments(steps))` without the segments: the evaluator renders every
   * candidate it scores, and needs only the text.
   */
  function render(steps: ReadonlyArray<Step>): string {
    let text = '';
    let first = true;
    for (const step of steps) {
      const part = stepText(step, first ? '' : '\n');
      if (part === null) continue;
      text += part;
      first = false;
    }
    return text;
  }

  return {
    name: 'tags',
    parse,
    renderSegments,
    render,
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export const tagCodec: TextCodec = createTagCodec();
