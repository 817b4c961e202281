import type { ParsedSteps, ParseIssue } from './codecs/codec.js';
import { getTextCodec, type TextFormat } from './codecs/registry.js';
import { trajectoryId } from './ids.js';
import type { Metadata } from './schemas/json-value.js';
import { sealTrajectory } from './schemas/sealed.js';
import { type Provenance, type Trajectory, trajectorySchema } from './schemas/trajectory.js';
import { validate } from './validate.js';

export interface TrajectoryFromStepsOptions {
  taskId: string;
  question?: string | undefined;
  id?: string | undefined;
  provenance?: Provenance | undefined;
  metadata?: Metadata | undefined;
  /** Separates identical samples that must remain distinct records. */
  salt?: string | number | undefined;
}

/**
 * A validated trajectory from parsed steps; the id is a content hash unless given. The result is
 * sealed (deep-frozen; see schemas/sealed.ts): the library's entry points take it unchecked.
 */
export function trajectoryFromSteps(
  parsed: Pick<ParsedSteps, 'steps' | 'finalAnswer'>,
  options: TrajectoryFromStepsOptions,
): Trajectory {
  const id =
    options.id ??
    trajectoryId({
      taskId: options.taskId,
      steps: parsed.steps,
      model: options.provenance?.model,
      salt: options.salt,
    });
  // The schema's output is a new object tree (JSON values aside, which sealing copies).
  const trajectory = validate(
    trajectorySchema,
    {
      id,
      taskId: options.taskId,
      ...(options.question === undefined ? {} : { question: options.question }),
      steps: parsed.steps,
      finalAnswer: parsed.finalAnswer,
      provenance: options.provenance ?? {},
      metadata: options.metadata ?? {},
    },
    { what: 'trajectory' },
  );
  return sealTrajectory(trajectory);
}

/** Parse text in a text format into a validated trajectory, with the issues the codec reported. */
export function trajectoryFromText(
  text: string,
  options: TrajectoryFromStepsOptions & { format: TextFormat },
): { trajectory: Trajectory; issues: ParseIssue[] } {
  const parsed = getTextCodec(options.format).parse(text);
  const provenance = { format: options.format, ...options.provenance };
  // What the codec could not place stays with the trajectory, so later readers still see it.
  const metadata: Metadata =
    parsed.issues.length === 0
      ? { ...options.metadata }
      : { ...options.metadata, parseIssues: parsed.issues.map(issueToJson) };
  return {
    trajectory: trajectoryFromSteps(parsed, { ...options, provenance, metadata }),
    issues: parsed.issues,
  };
}

/** Render a trajectory's steps as text in a text format. */
export function trajectoryToText(
  trajectory: Pick<Trajectory, 'steps'>,
  format: TextFormat,
): string {
  return getTextCodec(format).render(trajectory.steps);
}

function issueToJson(issue: ParseIssue): Metadata {
  const out: Metadata = { code: issue.code, message: issue.message };
  if (issue.offset !== undefined) out.offset = issue.offset;
  if (issue.excerpt !== undefined) out.excerpt = issue.excerpt;
  return out;
}

/** Parse issues recorded in a trajectory's metadata by `trajectoryFromText`. */
export function recordedParseIssues(trajectory: Pick<Trajectory, 'metadata'>): ParseIssue[] {
  const issues = trajectory.metadata.parseIssues;
  if (!Array.isArray(issues)) return [];
  return issues
    .filter((i): i is Metadata => typeof i === 'object' && i !== null && !Array.isArray(i))
    .map((i) => i as unknown as ParseIssue);
}
