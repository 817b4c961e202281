import {
  renderWithLossMask,
  type SftRecord,
  type Trajectory,
  tagCodec,
  trajectoryFromText,
} from '@autotraj/trajectory';
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
    ...(options.salt === undefined ? {} : { salt: options.salt }),
  }).trajectory;
}

/** Stand-in for the evaluator's paper format check in unit tests: starts with <think>, has an answer. */
export const simpleFormatCheck: FormatCheck = (text) => {
  const violations: string[] = [];
  if (!text.trimStart().startsWith('<think>')) violations.push('first-token');
  if (!/<answer>[\s\S]*\\boxed\{/.test(text)) violations.push('missing-answer');
  return { ok: violations.length === 0, violations };
};

/** An SFT record of a tag-format text, rendered with its loss mask as synthesis writes it. */
export function tagSftRecord(options: {
  text: string;
  id: string;
  taskId: string;
  question: string;
  instruction?: string;
  origin?: SftRecord['origin'];
}): SftRecord {
  const { trajectory } = trajectoryFromText(options.text, {
    format: 'tags',
    taskId: options.taskId,
    question: options.question,
  });
  return {
    id: options.id,
    taskId: options.taskId,
    instruction: options.instruction ?? 'Use <think>, <code> and \\boxed{}.',
    question: options.question,
    trajectory,
    origin: options.origin ?? 'kept',
    rendered: renderWithLossMask(trajectory.steps, tagCodec),
    metadata: {},
  };
}
