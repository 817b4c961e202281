import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  JsonlLineError,
  type JsonValue,
  type PromptRef,
  RUN_FILES,
  type Task,
  type Trajectory,
  validate,
} from '@autotraj/trajectory';
import { sealTrajectory } from '@autotraj/trajectory/internal';
import { CandidatesSourceError } from '../errors.js';
import { type CandidateRecord, candidateRecordSchema } from './synthesis-records.js';

/** `synthesize`'s `candidates` option: take each task's candidates from an earlier run. */
export interface CandidatesOption {
  /** A `candidates.jsonl` (any synthesis run's), or a synthesis directory holding one. */
  from: string;
}

/**
 * What a run records of its candidate source (`settings.candidatesFrom`): the file and the
 * SHA-256 of its first `bytes` bytes (whole lines) when the run started. A source that has only
 * grown since (a synthesis still appending) is the same source; any other change is not.
 */
export type CandidatesFromSetting = { path: string; sha256: string; bytes: number };

/** One candidate taken from the source, with the line it was read from. */
export interface TakenCandidate {
  trajectory: Trajectory;
  line: number;
}

/** A candidates file read once: every record by task, in index order. */
export interface CandidateSource {
  /** The file read (absolute). */
  file: string;
  /** What the run records and compares on resume. */
  setting: CandidatesFromSetting;
  records: number;
  tasks: number;
  /** Bytes after the file's last newline, not read: a line its writer has not finished. */
  unreadTailBytes: number;
  byTask: ReadonlyMap<string, ReadonlyMap<number, { record: CandidateRecord; line: number }>>;
}

const NEWLINE = 0x0a;
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

function isRecordedSetting(value: JsonValue | undefined): value is CandidatesFromSetting {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    typeof value.path === 'string' &&
    typeof value.sha256 === 'string' &&
    typeof value.bytes === 'number'
  );
}

/**
 * Read a candidates file (or a synthesis directory's `candidates.jsonl`) once, through
 * `candidateRecordSchema`. A bad line throws `JsonlLineError` / `ValidationError` naming file,
 * line and field; a (taskId, index) seen twice throws `CandidatesSourceError`
 * `candidates_duplicate`. Only whole lines are read, so a file another run is still appending
 * to is read as far as it is written. `recorded`: the `candidatesFrom` a resumed run recorded;
 * when this file still begins with the bytes it hashed, that setting stands (the source grew).
 */
export function readCandidateSource(
  from: string,
  options: { recorded?: JsonValue | undefined } = {},
): CandidateSource {
  let file = resolve(from);
  let bytes: Buffer;
  try {
    if (statSync(file).isDirectory()) file = join(file, RUN_FILES.candidates);
    bytes = readFileSync(file);
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT')
      throw new JsonlLineError({
        kind: 'missing-file',
        location: { file },
        detail: 'candidates file does not exist',
        cause,
      });
    throw cause;
  }
  const end = bytes.lastIndexOf(NEWLINE) + 1;
  const whole = bytes.subarray(0, end);
  const recorded = options.recorded;
  const setting: CandidatesFromSetting =
    isRecordedSetting(recorded) &&
    recorded.path === file &&
    recorded.bytes <= end &&
    sha256(bytes.subarray(0, recorded.bytes)) === recorded.sha256
      ? recorded
      : { path: file, sha256: sha256(whole), bytes: end };

  const byTask = new Map<string, Map<number, { record: CandidateRecord; line: number }>>();
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let records = 0;
  let start = 0;
  for (let line = 1; start < end; line++) {
    const stop = bytes.indexOf(NEWLINE, start);
    const raw = bytes.subarray(start, stop);
    start = stop + 1;
    let text: string;
    try {
      text = decoder.decode(raw);
    } catch (cause) {
      throw new JsonlLineError({
        kind: 'invalid-utf8',
        location: { file, line },
        detail: 'line is not valid UTF-8',
        cause,
      });
    }
    if (text.trim() === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (cause) {
      throw new JsonlLineError({
        kind: 'invalid-json',
        location: { file, line },
        detail: `invalid JSON: ${(cause as Error).message}`,
        cause,
      });
    }
    const record = validate(candidateRecordSchema, json, {
      location: { file, line },
      what: 'candidate record',
    });
    // The parsed trajectory is the schema's output in objects made for this read: sealed, so
    // the evaluator takes it as it takes a sampled candidate, without another check.
    sealTrajectory(record.trajectory);
    const task = byTask.get(record.taskId) ?? new Map();
    byTask.set(record.taskId, task);
    const earlier = task.get(record.index);
    if (earlier !== undefined)
      throw new CandidatesSourceError({
        code: 'candidates_duplicate',
        file,
        line,
        taskId: record.taskId,
        message: `candidate ${record.index} of task ${record.taskId} is there twice (first on line ${earlier.line}); which one to take is not known`,
      });
    task.set(record.index, { record, line });
    records++;
  }
  return {
    file,
    setting,
    records,
    tasks: byTask.size,
    unreadTailBytes: bytes.length - end,
    byTask,
  };
}

/** What `found` lacks of candidates 0..n-1, in words; null when it has them all. */
function lacking(
  found: ReadonlyMap<number, unknown> | undefined,
  taskId: string,
  n: number,
): string | null {
  let complete = found !== undefined;
  for (let index = 0; complete && index < n; index++) complete = found!.has(index);
  if (complete) return null;
  const have =
    found === undefined
      ? 'no candidates'
      : `candidates ${[...found.keys()].sort((a, b) => a - b).join(', ')}`;
  return `task ${taskId} has ${have} here; the run takes candidates 0..${n - 1} (n = ${n})`;
}

/**
 * Candidates 0..n-1 of `task` from the source. Throws `CandidatesSourceError`
 * (`candidates_missing`) when any is absent, or `candidates_question_mismatch` when one was
 * written for another question.
 */
export function takeCandidates(source: CandidateSource, task: Task, n: number): TakenCandidate[] {
  const found = source.byTask.get(task.id);
  const missing = lacking(found, task.id, n);
  if (missing !== null)
    throw new CandidatesSourceError({
      code: 'candidates_missing',
      file: source.file,
      taskId: task.id,
      message: missing,
    });
  const taken: TakenCandidate[] = [];
  for (let index = 0; index < n; index++) {
    const entry = found!.get(index)!;
    const question = entry.record.trajectory.question;
    // A trajectory without its question cannot be checked; the task id has matched already.
    if (question !== undefined && question !== task.question)
      throw new CandidatesSourceError({
        code: 'candidates_question_mismatch',
        file: source.file,
        line: entry.line,
        taskId: task.id,
        message: `candidate ${index} of task ${task.id} answers another question than the task's ("${question.slice(0, 60)}...")`,
      });
    taken.push({ trajectory: entry.record.trajectory, line: entry.line });
  }
  return taken;
}

/** The prompt template a candidate records (`metadata.prompt`), when it records one. */
function recordedPrompt(trajectory: Trajectory): { name: string; hash: string } | null {
  const prompt = trajectory.metadata.prompt;
  return typeof prompt === 'object' &&
    prompt !== null &&
    !Array.isArray(prompt) &&
    typeof prompt.name === 'string' &&
    typeof prompt.hash === 'string'
    ? { name: prompt.name, hash: prompt.hash }
    : null;
}

function assertPrompt(source: CandidateSource, taken: TakenCandidate, prompt: PromptRef | null) {
  const recorded = recordedPrompt(taken.trajectory);
  if (prompt === null || recorded === null || recorded.hash === prompt.hash) return;
  throw new CandidatesSourceError({
    code: 'candidates_prompt_mismatch',
    file: source.file,
    line: taken.line,
    taskId: taken.trajectory.taskId,
    message: `the candidate was sampled with prompt ${recorded.name} (hash ${recorded.hash.slice(0, 12)}), this run's prompt is ${prompt.name} (hash ${prompt.hash.slice(0, 12)}); its SFT records and pairs would name a prompt the model never saw: run with the candidates' prompt`,
  });
}

/**
 * Check, before any work, that the source holds candidates 0..n-1 of every task the run will
 * run, for their questions and with this run's prompt (`candidates_prompt_mismatch`). A task it lacks throws `candidates_missing`, saying how many
 * lack them and how many of the first tasks are covered (a limit runs exactly those).
 */
export function assertCandidatesCover(
  source: CandidateSource,
  tasks: ReadonlyArray<Task>,
  n: number,
  /** This run's policy prompt: SFT records and pairs say the candidates were prompted with it. */
  prompt: PromptRef | null,
): void {
  let first: { message: string; taskId: string; position: number } | null = null;
  let failing = 0;
  for (const [position, task] of tasks.entries()) {
    const missing = lacking(source.byTask.get(task.id), task.id, n);
    if (missing === null) {
      for (const taken of takeCandidates(source, task, n)) assertPrompt(source, taken, prompt);
      continue;
    }
    failing++;
    first ??= { message: missing, taskId: task.id, position };
  }
  if (first === null) return;
  const { message, taskId, position } = first;
  throw new CandidatesSourceError({
    code: 'candidates_missing',
    file: source.file,
    taskId,
    message: `${message}. ${failing} of the run's ${tasks.length} tasks lack candidates in this file; the first ${position} tasks have them all (limit the run to those, or take the candidates from a run that covers the rest)`,
  });
}
