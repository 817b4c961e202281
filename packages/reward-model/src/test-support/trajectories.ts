import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Trajectory, trajectoryFromText } from '@autotraj/trajectory';

/** `../shared/data` beside the checkout (this file is packages/reward-model/src/test-support/). */
export const sharedDataDir = fileURLToPath(new URL('../../../../../shared/data/', import.meta.url));

export function readSharedJsonl(relative: string): unknown[] {
  return readFileSync(`${sharedDataDir}${relative}`, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as unknown);
}

/** A GSM8K-calculator trajectory from text, e.g. `Half is <<10/2=5>>5.\nA: 5`. */
export function calcTrajectory(
  text: string,
  question = 'Tom has 10 apples and gives away half. How many are left?',
): Trajectory {
  return trajectoryFromText(text, { format: 'gsm8k-calculator', taskId: 'task_test', question })
    .trajectory;
}

/** A tag-format trajectory (`<think>`, `<code>`, `<result>`, `<answer>`). */
export function tagTrajectory(text: string, question = 'What is 6 times 7?'): Trajectory {
  return trajectoryFromText(text, { format: 'tags', taskId: 'task_tags', question }).trajectory;
}
