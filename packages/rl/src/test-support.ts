import { type Trajectory, trajectoryFromText } from '@autotraj/trajectory';
import type { FormatCheck } from './reward/types.js';

/** A tag-format trajectory answering `answer` (one python call). */
export function tagTrajectory(options: {
  answer: string | null;
  taskId?: string;
  question?: string;
  salt?: string;
}): Trajectory {
  const answer =
    options.answer === null ? '' : `<answer>The answer is \\boxed{${options.answer}}</answer>`;
  const text = `<think>Compute it.</think><code>print(6*7)</code><result>42</result>${answer}`;
  return trajectoryFromText(text, {
    format: 'tags',
    taskId: options.taskId ?? 'task-1',
    question: options.question ?? 'What is 6*7?',
    salt: options.salt,
  }).trajectory;
}

/** Stand-in for the evaluator's paper format check in unit tests: starts with <think>, has an answer. */
export const simpleFormatCheck: FormatCheck = (text) => {
  const violations: string[] = [];
  if (!text.trimStart().startsWith('<think>')) violations.push('first-token');
  if (!/<answer>[\s\S]*\\boxed\{/.test(text)) violations.push('missing-answer');
  return { ok: violations.length === 0, violations };
};
