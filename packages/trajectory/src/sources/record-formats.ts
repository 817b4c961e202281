import { z } from 'zod';
import {
  recordedParseIssues,
  trajectoryFromSteps,
  trajectoryFromText,
} from '../build-trajectory.js';
import { parseAiSdkMessages } from '../codecs/ai-sdk-messages.js';
import type { ParseIssue } from '../codecs/codec.js';
import { parseOpenAiChat } from '../codecs/openai-chat.js';
import {
  detectTextFormat,
  isTextFormat,
  type TextFormat,
  textFormats,
} from '../codecs/registry.js';
import { CodecError, type InputLocation } from '../errors.js';
import { taskId } from '../ids.js';
import type { Task } from '../schemas/task.js';
import { type Trajectory, trajectorySchema } from '../schemas/trajectory.js';
import { validate } from '../validate.js';
import {
  gsm8kModelSolutionTrajectories,
  gsm8kProblemSchema,
  gsm8kReferenceTrajectory,
  gsm8kTask,
} from './gsm8k.js';
import { toraTrajectory } from './tora.js';

/** JSONL record layouts that hold trajectories, as read by `convert`, `inspect` and friends. */
export const trajectoryRecordFormats = [
  'trajectory',
  'gsm8k',
  'gsm8k-solutions',
  'tora',
  'openai-chat',
  'ai-sdk',
  ...textFormats,
] as const;
export type TrajectoryRecordFormat = (typeof trajectoryRecordFormats)[number];

/** A trajectory read from a record, with its data-set label and anything the codec reported. */
export interface SourcedTrajectory {
  trajectory: Trajectory;
  isCorrect: boolean | null;
  issues: ParseIssue[];
  /**
   * The task the record itself defines, gold answers included (GSM8K problems and model
   * solutions, ToRA outputs); null for layouts that carry no task (look it up by `taskId`).
   */
  task: Task | null;
}

const TEXT_FIELDS = ['text', 'completion', 'response', 'solution', 'output'] as const;

/** A line holding text in a text format: the text in one of `TEXT_FIELDS`, plus optional ids. */
const textRecordSchema = z.looseObject({
  id: z.string().optional(),
  taskId: z.string().optional(),
  question: z.string().optional(),
  prompt: z.string().optional(),
  model: z.string().optional(),
  is_correct: z.boolean().optional(),
});

const messagesRecordSchema = z.looseObject({
  id: z.string().optional(),
  taskId: z.string().optional(),
  messages: z.array(z.unknown()),
});

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Guess the record layout from the fields of one record; null when nothing fits. */
export function detectRecordFormat(value: unknown): TrajectoryRecordFormat | null {
  if (!isRecord(value)) return null;
  if (Array.isArray(value.steps) && typeof value.taskId === 'string') return 'trajectory';
  if (isRecord(value['6b_finetuning']) || isRecord(value['175b_verification']))
    return 'gsm8k-solutions';
  if (typeof value.solution === 'string' && 'idx' in value && 'gt' in value) return 'tora';
  if (Array.isArray(value.messages)) {
    const parts = value.messages.flatMap((m) =>
      isRecord(m) && Array.isArray(m.content) ? m.content : [],
    );
    if (
      parts.some(
        (p) =>
          isRecord(p) &&
          (p.type === 'tool-call' || p.type === 'tool-result' || p.type === 'reasoning'),
      )
    )
      return 'ai-sdk';
    return 'openai-chat';
  }
  if (
    typeof value.question === 'string' &&
    typeof value.answer === 'string' &&
    /####/.test(value.answer)
  )
    return 'gsm8k';
  for (const field of TEXT_FIELDS) {
    const text = value[field];
    if (typeof text === 'string') return detectTextFormat(text);
  }
  return null;
}

/**
 * Trajectories held by one record of the given layout (several for GSM8K model solutions).
 * Throws `ValidationError` / `CodecError` naming the field when the record does not fit.
 */
export function recordToTrajectories(
  format: TrajectoryRecordFormat,
  value: unknown,
  location: InputLocation = {},
): SourcedTrajectory[] {
  switch (format) {
    case 'trajectory': {
      const trajectory = validate(trajectorySchema, value, { location, what: 'trajectory' });
      const label = trajectory.metadata.isCorrect;
      return [
        {
          trajectory,
          isCorrect: typeof label === 'boolean' ? label : null,
          issues: recordedParseIssues(trajectory),
          task: null,
        },
      ];
    }
    case 'gsm8k': {
      const record = validate(gsm8kProblemSchema, value, { location, what: 'GSM8K record' });
      const task = gsm8kTask(record);
      return [{ ...gsm8kReferenceTrajectory(record, task), task }];
    }
    case 'gsm8k-solutions': {
      const { task, solutions } = gsm8kModelSolutionTrajectories(value, { location });
      return solutions.map((solution) => ({ ...solution, task }));
    }
    case 'tora': {
      const { trajectory, isCorrect, issues, task } = toraTrajectory(value, { location });
      return [{ trajectory, isCorrect, issues, task }];
    }
    case 'openai-chat':
    case 'ai-sdk': {
      const record = validate(messagesRecordSchema, value, { location, what: `${format} record` });
      const parsed =
        format === 'openai-chat'
          ? parseOpenAiChat(record.messages)
          : parseAiSdkMessages(record.messages);
      const question = parsed.question ?? '';
      const task = record.taskId ?? taskId({ question });
      const trajectory = trajectoryFromSteps(parsed, {
        taskId: task,
        question,
        ...(record.id === undefined ? {} : { id: record.id }),
        provenance: { format, origin: 'imported' },
      });
      return [{ trajectory, isCorrect: null, issues: parsed.issues, task: null }];
    }
    default:
      return [textRecordToTrajectory(format, value, location)];
  }
}

function textRecordToTrajectory(
  format: TextFormat,
  value: unknown,
  location: InputLocation,
): SourcedTrajectory {
  const record = validate(textRecordSchema, value, { location, what: `${format} record` });
  const field = TEXT_FIELDS.find((name) => typeof record[name] === 'string');
  if (field === undefined) {
    throw new CodecError({
      codec: format,
      message: `record has no text field (one of ${TEXT_FIELDS.join(', ')})`,
      location,
    });
  }
  const question = record.question ?? record.prompt ?? '';
  const { trajectory, issues } = trajectoryFromText(record[field] as string, {
    format,
    taskId: record.taskId ?? taskId({ question }),
    question,
    ...(record.id === undefined ? {} : { id: record.id }),
    provenance: {
      origin: 'imported',
      ...(record.model === undefined ? {} : { model: record.model }),
    },
  });
  return { trajectory, isCorrect: record.is_correct ?? null, issues, task: null };
}

export function isTrajectoryRecordFormat(name: string): name is TrajectoryRecordFormat {
  return (trajectoryRecordFormats as readonly string[]).includes(name) || isTextFormat(name);
}
