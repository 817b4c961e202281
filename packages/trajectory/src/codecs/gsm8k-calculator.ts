import { toolInputText } from '../contracts/tool-spec.js';
import type { Step } from '../schemas/step.js';
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

const ANSWER_LINE = /^(?:A:|####)\s*(.*?)\s*$/;

/**
 * GSM8K calculator annotations: `48/2 = <<48/2=24>>24 clips`. The model writes `<<48/2=`;
 * the calculator writes `24>>` (that part is tool output). The last line `A: x` or `#### x`
 * is the answer.
 */
export function parseGsm8kCalculator(text: string): ParsedSteps {
  const issues: ParseIssue[] = [];
  const steps: Step[] = [];

  // Split off the answer line: the last non-empty line if it is `A: x` / `#### x`.
  let body = text;
  let answerText: string | null = null;
  const trimmedEnd = text.replace(/\s+$/, '');
  const lastBreak = trimmedEnd.lastIndexOf('\n');
  const lastLine = trimmedEnd.slice(lastBreak + 1);
  if (ANSWER_LINE.test(lastLine)) {
    answerText = text.slice(lastBreak + 1);
    body = lastBreak >= 0 ? text.slice(0, lastBreak) : '';
  }

  let cursor = 0;
  let calls = 0;
  while (cursor < body.length) {
    const open = body.indexOf('<<', cursor);
    if (open < 0) break;
    const close = body.indexOf('>>', open + 2);
    if (close < 0) {
      issues.push({
        code: 'unterminated-annotation',
        message: 'calculator annotation "<<" without ">>"; kept as text',
        offset: open,
        excerpt: excerpt(body.slice(open)),
      });
      break;
    }
    const inner = body.slice(open + 2, close);
    const eq = inner.lastIndexOf('=');
    if (open > cursor) steps.push({ type: 'think', text: body.slice(cursor, open) });
    const callId = callIdAt(calls++);
    const expression = eq < 0 ? inner : inner.slice(0, eq);
    steps.push({ type: 'tool-call', callId, toolName: 'calculator', input: { expression } });
    if (eq < 0) {
      issues.push({
        code: 'missing-result',
        message: 'calculator annotation without "=result"',
        offset: open,
        excerpt: excerpt(inner),
      });
    } else {
      steps.push({
        type: 'tool-result',
        callId,
        toolName: 'calculator',
        output: inner.slice(eq + 1),
        isError: false,
      });
    }
    cursor = close + 2;
  }
  if (cursor < body.length) steps.push({ type: 'think', text: body.slice(cursor) });

  if (answerText !== null) {
    const match = ANSWER_LINE.exec(answerText.replace(/\s+$/, ''));
    steps.push({ type: 'answer', text: answerText, answer: match?.[1] ?? '' });
  } else {
    issues.push({ code: 'missing-answer', message: 'no final "A: x" or "#### x" line' });
  }
  return { steps, finalAnswer: finalAnswerOf(steps), issues };
}

export function renderGsm8kCalculatorSegments(steps: ReadonlyArray<Step>): Segment[] {
  const segments: Segment[] = [];
  steps.forEach((step, index) => {
    switch (step.type) {
      case 'think':
        segments.push({ text: step.text, source: 'model' });
        break;
      case 'tool-call': {
        const next = steps[index + 1];
        const answered = next?.type === 'tool-result' && next.callId === step.callId;
        const expression = toolInputText(step.toolName, step.input);
        segments.push({ text: `<<${expression}${answered ? '=' : '>>'}`, source: 'model' });
        break;
      }
      case 'tool-result':
        segments.push({ text: `${step.output}>>`, source: 'tool' });
        break;
      case 'answer': {
        const text = ANSWER_LINE.test(step.text.trim())
          ? step.text
          : `A: ${step.answer ?? step.text}`;
        const separator = segments.length > 0 ? '\n' : '';
        segments.push({ text: `${separator}${text}`, source: 'model' });
        break;
      }
    }
  });
  return segments;
}

export const gsm8kCalculatorCodec: TextCodec = {
  name: 'gsm8k-calculator',
  parse: parseGsm8kCalculator,
  renderSegments: renderGsm8kCalculatorSegments,
  render: (steps) => joinSegments(renderGsm8kCalculatorSegments(steps)),
};
