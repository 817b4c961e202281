import { toolInputText } from '../contracts/tool-spec.js';
import type { Step } from '../schemas/step.js';
import { extractMarkedAnswer } from './answer-extraction.js';
import {
  callIdAt,
  excerpt,
  finalAnswerOf,
  joinSegments,
  type ParsedSteps,
  type ParseIssue,
  type Segment,
  type TextCodec,
} from './codec.js';

const ERROR_OUTPUT = /^(?:Traceback \(most recent call last\)|\w*(?:Error|Exception)\b)/m;

// A fenced block: ```python ... ``` or ```output ... ```; the body may be empty.
const BLOCK = /```(python|py|output)[ \t]*\n([\s\S]*?)(?:\n)?```/g;

/** Text between blocks loses the one newline that separates it from each neighbouring block. */
function stripSeparators(text: string, afterBlock: boolean, beforeBlock: boolean): string {
  let out = text;
  if (afterBlock && out.startsWith('\n')) out = out.slice(1);
  if (beforeBlock && out.endsWith('\n')) out = out.slice(0, -1);
  return out;
}

/**
 * Markdown TIR as written by ToRA-style models: prose, a ```python block, the ```output block
 * the interpreter produced, more prose, and a final `\boxed{}` answer.
 */
export function parseMarkdownTir(text: string): ParsedSteps {
  const issues: ParseIssue[] = [];
  const steps: Step[] = [];
  let cursor = 0;
  let calls = 0;
  let pendingCall: string | null = null;
  let afterBlock = false;

  const pushText = (raw: string, beforeBlock: boolean) => {
    const body = stripSeparators(raw, afterBlock, beforeBlock);
    if (body !== '') steps.push({ type: 'think', text: body });
  };

  BLOCK.lastIndex = 0;
  for (let match = BLOCK.exec(text); match !== null; match = BLOCK.exec(text)) {
    pushText(text.slice(cursor, match.index), true);
    const kind = match[1]!;
    const body = match[2]!;
    if (kind === 'output') {
      if (pendingCall === null) {
        issues.push({
          code: 'orphan-result',
          message: 'output block without a preceding code block; left out of the steps',
          offset: match.index,
          excerpt: excerpt(body),
        });
      } else {
        steps.push({
          type: 'tool-result',
          callId: pendingCall,
          toolName: 'python',
          output: body,
          isError: ERROR_OUTPUT.test(body),
        });
        pendingCall = null;
      }
    } else {
      if (pendingCall !== null) {
        issues.push({
          code: 'missing-result',
          message: 'code block without an output block',
          offset: match.index,
        });
      }
      pendingCall = callIdAt(calls++);
      steps.push({
        type: 'tool-call',
        callId: pendingCall,
        toolName: 'python',
        input: { code: body },
      });
    }
    cursor = match.index + match[0].length;
    afterBlock = true;
  }

  const rest = text.slice(cursor);
  const unterminated = rest.indexOf('```python');
  if (unterminated >= 0) {
    issues.push({
      code: 'unterminated-block',
      message: 'code block is not closed; kept as text',
      offset: cursor + unterminated,
      excerpt: excerpt(rest.slice(unterminated)),
    });
  }
  if (pendingCall !== null) {
    issues.push({
      code: 'missing-result',
      message: 'code block without an output block',
      offset: cursor,
    });
  }

  const tail = stripSeparators(rest, afterBlock, false);
  // The prose after the last output block is the model's conclusion: the answer step, even
  // when it has no \boxed{} (evaluators may still extract a number from it).
  const answer = extractMarkedAnswer(tail);
  if (tail !== '')
    steps.push(
      answer === null ? { type: 'answer', text: tail } : { type: 'answer', text: tail, answer },
    );
  if (answer === null)
    issues.push({ code: 'missing-answer', message: 'no final \\boxed{} answer' });
  return { steps, finalAnswer: finalAnswerOf(steps), issues };
}

export function renderMarkdownTirSegments(steps: ReadonlyArray<Step>): Segment[] {
  const segments: Segment[] = [];
  const separator = (source: Segment['source']) => {
    if (segments.length > 0) segments.push({ text: '\n', source });
  };
  for (const step of steps) {
    switch (step.type) {
      case 'think':
      case 'answer':
        separator('model');
        segments.push({ text: step.text, source: 'model' });
        break;
      case 'tool-call':
        separator('model');
        segments.push({
          text: `\`\`\`python\n${toolInputText(step.toolName, step.input)}\n\`\`\``,
          source: 'model',
        });
        break;
      case 'tool-result':
        // The interpreter writes the newline and the whole output block.
        separator('tool');
        segments.push({ text: `\`\`\`output\n${step.output}\n\`\`\``, source: 'tool' });
        break;
    }
  }
  return segments;
}

export const markdownTirCodec: TextCodec = {
  name: 'markdown-tir',
  parse: parseMarkdownTir,
  renderSegments: renderMarkdownTirSegments,
  render: (steps) => joinSegments(renderMarkdownTirSegments(steps)),
};
