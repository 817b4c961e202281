import type { Trajectory } from '../schemas/trajectory.js';

/**
 * Metadata key holding the text a trajectory was written as: the text-tag loop's model text
 * with the tool results the environment appended. The steps are a codec's parse of it, which
 * repairs what the model got wrong (a missing `</think>`, words outside tags), so whatever
 * judges the model's own writing (the paper's scoring, format rewards) reads this text.
 */
export const SOURCE_TEXT_KEY = 'sourceText';

/** The text a trajectory was written as (`metadata.sourceText`), or undefined when not kept. */
export function sourceTextOf(trajectory: Pick<Trajectory, 'metadata'>): string | undefined {
  const text = trajectory.metadata[SOURCE_TEXT_KEY];
  return typeof text === 'string' ? text : undefined;
}
