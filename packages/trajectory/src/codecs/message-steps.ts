import type { Step } from '../schemas/step.js';
import { extractMarkedAnswer } from './answer-extraction.js';

/**
 * Chat formats have no explicit "answer" marker: the last assistant text that comes after
 * every tool result is the answer. Earlier texts are reasoning.
 */
export function promoteFinalText(steps: Step[]): Step[] {
  let lastText = -1;
  for (let i = steps.length - 1; i >= 0; i--) {
    const step = steps[i]!;
    if (step.type === 'think') {
      lastText = i;
      break;
    }
    if (step.type !== 'answer') break;
  }
  if (lastText < 0) return steps;
  const step = steps[lastText]!;
  if (step.type !== 'think') return steps;
  const answer = extractMarkedAnswer(step.text);
  const out = steps.slice();
  out[lastText] =
    answer === null
      ? { type: 'answer', text: step.text }
      : { type: 'answer', text: step.text, answer };
  return out;
}

/** Tool output as text: strings as they are, anything else as JSON. */
export function outputToText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '';
  return JSON.stringify(value);
}
