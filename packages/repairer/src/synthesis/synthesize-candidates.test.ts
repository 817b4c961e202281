import { createHash } from 'node:crypto';
import {
  appendFileSync,
  copyFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEvaluator } from '@autotraj/evaluator';
import { builtinPrompts, createVllmProvider, readTasksJsonl } from '@autotraj/generation';
import {
  gsm8kPolicyReply,
  type LoopbackServer,
  startLoopbackServer,
} from '@autotraj/generation/testing';
import {
  createCalculatorRuntime,
  createPythonPool,
  createPythonRuntime,
  type PythonPool,
} from '@autotraj/tools';
import {
  JsonlLineError,
  RunSettingsMismatchError,
  type Task,
  ValidationError,
} from '@autotraj/trajectory';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CandidatesSourceError } from '../errors.js';
import { createRepairer } from '../repair/repairer.js';
import { GSM8K_TRAIN, gsm8kTrainProblems } from '../test-support/gsm8k-train.js';
import { type SynthesisEvent, synthesize } from './synthesize.js';

const problems = gsm8kTrainProblems(8);

let pool: PythonPool;
let tmp: string;
// The scripted policy and repairer (some candidates wrong, so there are repairs).
let server: LoopbackServer;
// The policy of every run that takes its candidates: any call to it fails the test.
let policyCalls = 0;
let refusingPolicy: LoopbackServer;
let source: string;
let sourceSummary: Awaited<ReturnType<typeof synthesize>>;
beforeAll(async () => {
  pool = createPythonPool({ size: 2 });
  tmp = mkdtempSync(join(tmpdir(), 'autotraj-taken-'));
  server = await startLoopbackServer({ reply: gsm8kPolicyReply({ problems }) });
  refusingPolicy = await startLoopbackServer({
    reply: () => {
      policyCalls++;
      throw new Error('the policy must not be called when candidates are taken');
    },
  });
  // The earlier run whose candidates the others take: 4 tasks, 2 candidates each.
  source = join(tmp, 'source');
  sourceSummary = await run({ outDir: source, limit: 4, sample: true });
}, 60_000);
afterAll(async () => {
  await server?.close();
  await refusingPolicy?.close();
  await pool?.close();
  rmSync(tmp, { recursive: true, force: true });
});

const readLines = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);

/**
 * Records without wall-clock fields (they differ between any two runs) and without `takenFrom`,
 * by id (tasks finish, so are written, in any order).
 */
const normalized = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map(
      (line) =>
        JSON.parse(line, (key, value) =>
          ['startedAt', 'finishedAt', 'durationMs', 'modelMs', 'toolMs', 'takenFrom'].includes(key)
            ? undefined
            : value,
        ) as { id: string },
    )
    .sort((a, b) => a.id.localeCompare(b.id));

async function tasks(limit: number): Promise<Task[]> {
  const out: Task[] = [];
  for await (const task of readTasksJsonl(GSM8K_TRAIN, { limit })) out.push(task);
  return out;
}

async function run(options: {
  outDir: string;
  limit: number;
  /** Sample the candidates (the source run) instead of taking them. */
  sample?: boolean;
  from?: string;
  n?: number;
  repairPrompt?: 'repair-question';
  prompt?: 'tags-system';
  onProgress?: (event: SynthesisEvent) => void;
}) {
  const live = createVllmProvider({ baseURL: server.baseURL }).languageModel('scripted-policy');
  const refusing = createVllmProvider({ baseURL: refusingPolicy.baseURL }).languageModel(
    'scripted-policy',
  );
  const tools = [createPythonRuntime({ pool }), createCalculatorRuntime()];
  const evaluator = createEvaluator({ preset: 'paper' });
  const retry = { retries: 0, baseDelayMs: 1, timeoutMs: 5_000 };
  return synthesize({
    tasks: await tasks(options.limit),
    policy: {
      model: options.sample === true ? live : refusing,
      tools,
      retry,
      ...(options.prompt === undefined ? {} : { prompt: builtinPrompts[options.prompt]! }),
    },
    repairer: createRepairer({
      model: live,
      tools,
      evaluator,
      retry,
      ...(options.repairPrompt === undefined
        ? {}
        : { prompt: builtinPrompts[options.repairPrompt]! }),
    }),
    evaluator,
    n: options.n ?? 2,
    outDir: options.outDir,
    concurrency: 4,
    ...(options.sample === true ? {} : { candidates: { from: options.from ?? source } }),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
}

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('synthesize with taken candidates (candidates.from)', () => {
  it('takes the earlier run’s candidates, never calls the policy, and runs everything after sampling as usual', async () => {
    const outDir = join(tmp, 'paired');
    const events: SynthesisEvent[] = [];
    policyCalls = 0;
    const summary = await run({ outDir, limit: 4, onProgress: (e) => events.push(e) });
    expect(policyCalls).toBe(0);
    expect(summary.run).toMatchObject({ done: 4, failed: 0 });

    const sourceFile = join(source, 'candidates.jsonl');
    const byId = <R extends Record<string, unknown>>(records: R[]) =>
      records.sort((a, b) => String(a.id).localeCompare(String(b.id)));
    const taken = byId(readLines(join(outDir, 'candidates.jsonl')));
    const earlier = byId(
      readLines(sourceFile).map((record, i): Record<string, unknown> & { line: number } => ({
        ...record,
        line: i + 1,
      })),
    );
    expect(taken.map((c) => [c.taskId, c.index, c.id])).toEqual(
      earlier.map((c) => [c.taskId, c.index, c.id]),
    );
    // The very same trajectories, their own provenance (model, seed, sampling) untouched ...
    expect(taken.map((c) => c.trajectory)).toEqual(earlier.map((c) => c.trajectory));
    // ... and each says where it was taken from.
    expect(taken.map((c) => c.takenFrom)).toEqual(
      earlier.map((c) => ({ file: sourceFile, line: c.line })),
    );
    // Same candidates, same evaluator and repairer: the same decisions, repairs, SFT set and pairs.
    for (const name of ['candidates', 'sft', 'pairs', 'hard', 'dropped'])
      expect(normalized(join(outDir, `${name}.jsonl`))).toEqual(
        normalized(join(source, `${name}.jsonl`)),
      );
    expect(summary.counts.repairAccepted).toBeGreaterThan(0);
    // Only the repairs were generated in this run.
    expect(summary.timings.trajectories).toBe(sourceSummary.timings.trajectories - 8);
    expect(summary.timings.modelCalls).toBeLessThan(sourceSummary.timings.modelCalls);

    const manifest = JSON.parse(readFileSync(join(outDir, 'manifest.json'), 'utf8'));
    const setting = {
      path: sourceFile,
      sha256: sha256(sourceFile),
      bytes: readFileSync(sourceFile).length,
    };
    expect(manifest.settings.candidatesFrom).toEqual(setting);
    expect(manifest.config.candidatesFrom).toEqual({ ...setting, records: 8, tasks: 4 });
    expect(JSON.parse(readFileSync(join(outDir, 'settings.json'), 'utf8')).settings).toMatchObject({
      candidatesFrom: setting,
    });
    expect(events[0]).toMatchObject({
      type: 'start',
      candidates: { file: sourceFile, records: 8, tasks: 4, unreadTailBytes: 0 },
    });
    // A run that samples records that it took nothing.
    expect(
      JSON.parse(readFileSync(join(source, 'manifest.json'), 'utf8')).settings.candidatesFrom,
    ).toBeNull();
  });

  it('re-runs the repair stage with another repair prompt on the same candidates', async () => {
    const outDir = join(tmp, 'repair-question');
    policyCalls = 0;
    const summary = await run({ outDir, limit: 4, repairPrompt: 'repair-question' });
    expect(policyCalls).toBe(0);
    expect(summary.run.failed).toBe(0);
    expect(normalized(join(outDir, 'candidates.jsonl'))).toEqual(
      normalized(join(source, 'candidates.jsonl')),
    );
    const manifest = JSON.parse(readFileSync(join(outDir, 'manifest.json'), 'utf8'));
    expect(manifest.settings.repairPrompt).toMatchObject({ name: 'repair-question' });
  });

  it('refuses a source that cannot serve the run before anything is written, naming file, line, field or task', async () => {
    const sourceFile = join(source, 'candidates.jsonl');
    const lines = readFileSync(sourceFile, 'utf8').split('\n').filter(Boolean);
    const write = (name: string, content: string[]) => {
      const path = join(tmp, name);
      writeFileSync(path, `${content.join('\n')}\n`);
      return path;
    };
    const refusal = async (options: {
      from?: string;
      limit?: number;
      n?: number;
      prompt?: 'tags-system';
    }) => {
      const outDir = join(tmp, `refused-${Math.random().toString(36).slice(2)}`);
      const error = await run({ outDir, limit: 4, ...options }).catch((e: unknown) => e);
      expect(existsSync(outDir)).toBe(false);
      return error as Error;
    };

    // A record that is not a candidate record: its field is named.
    const broken = JSON.parse(lines[1]!);
    delete broken.trajectory.steps;
    const invalid = await refusal({
      from: write('invalid.jsonl', [lines[0]!, JSON.stringify(broken)]),
    });
    expect(ValidationError.isInstance(invalid)).toBe(true);
    expect((invalid as ValidationError).location).toMatchObject({
      file: join(tmp, 'invalid.jsonl'),
      line: 2,
    });
    expect(invalid.message).toContain('trajectory.steps');

    const notJson = await refusal({ from: write('not-json.jsonl', [lines[0]!, '{"taskId":']) });
    expect(JsonlLineError.isInstance(notJson) && notJson.code).toBe('jsonl_invalid_json');
    expect((notJson as JsonlLineError).location.line).toBe(2);

    const missingFile = await refusal({ from: join(tmp, 'no-such-run') });
    expect(JsonlLineError.isInstance(missingFile) && missingFile.code).toBe('jsonl_missing_file');

    const duplicate = await refusal({ from: write('duplicate.jsonl', [...lines, lines[2]!]) });
    expect(CandidatesSourceError.isInstance(duplicate)).toBe(true);
    expect(duplicate).toMatchObject({
      code: 'candidates_duplicate',
      line: lines.length + 1,
      taskId: JSON.parse(lines[2]!).taskId,
    });
    expect(duplicate.message).toContain('first on line 3');

    // More tasks than the source covers: the first it lacks is named, with how many it covers.
    const sixth = (await tasks(6))[4]!;
    const uncovered = await refusal({ limit: 6 });
    expect(CandidatesSourceError.isInstance(uncovered)).toBe(true);
    expect(uncovered).toMatchObject({
      code: 'candidates_missing',
      taskId: sixth.id,
      file: sourceFile,
    });
    expect(uncovered.message).toContain("2 of the run's 6 tasks");
    expect(uncovered.message).toContain('the first 4 tasks have them all');

    // More candidates per task than the source sampled.
    const fewer = await refusal({ n: 3 });
    expect(fewer).toMatchObject({ code: 'candidates_missing' });
    expect(fewer.message).toContain('candidates 0, 1 here; the run takes candidates 0..2');

    // A candidate of another question under the task's id.
    const moved = JSON.parse(lines[0]!);
    moved.trajectory.question = 'What is 6 times 7?';
    const mismatch = await refusal({
      from: write('mismatch.jsonl', [JSON.stringify(moved), ...lines.slice(1)]),
    });
    expect(mismatch).toMatchObject({ code: 'candidates_question_mismatch', line: 1 });

    // Another policy prompt than the candidates were sampled with: the SFT records would name it.
    const prompted = await refusal({ prompt: 'tags-system' });
    // Every candidate mismatches here; which line is named first follows task order, not file
    // order (the source's lines are in the order its tasks finished).
    expect(prompted).toMatchObject({ code: 'candidates_prompt_mismatch' });
    expect((prompted as Error & { line: number }).line).toBeGreaterThanOrEqual(1);
    expect(prompted.message).toContain('sampled with prompt tags-example');
  });

  it('resumes as a normal run: a grown source is the same source, another source or sampling is refused', async () => {
    const from = join(tmp, 'growing.jsonl');
    const firstTwo = new Set((await tasks(2)).map((t) => t.id));
    const sourceLines = readFileSync(join(source, 'candidates.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .sort(
        (a, b) =>
          Number(!firstTwo.has(JSON.parse(a).taskId)) - Number(!firstTwo.has(JSON.parse(b).taskId)),
      );
    sourceLines.push('');
    // The first two tasks' candidates, then half of a line a writer has not finished.
    writeFileSync(from, `${sourceLines.slice(0, 4).join('\n')}\n${sourceLines[4]!.slice(0, 50)}`);
    const outDir = join(tmp, 'resumed');
    const events: SynthesisEvent[] = [];
    const first = await run({ outDir, from, limit: 2, onProgress: (e) => events.push(e) });
    expect(first.run).toMatchObject({ done: 2, resumed: 0 });
    expect(events[0]).toMatchObject({ candidates: { records: 4, tasks: 2, unreadTailBytes: 50 } });
    const recorded = JSON.parse(readFileSync(join(outDir, 'settings.json'), 'utf8')).settings
      .candidatesFrom;

    // The writer goes on: the source grows; the run resumes and takes the new tasks from it.
    writeFileSync(from, `${sourceLines.join('\n')}`);
    const second = await run({ outDir, from, limit: 4 });
    expect(second.run).toMatchObject({ done: 2, resumed: 2 });
    expect(
      JSON.parse(readFileSync(join(outDir, 'settings.json'), 'utf8')).settings.candidatesFrom,
    ).toEqual(recorded);
    const candidates = readLines(join(outDir, 'candidates.jsonl'));
    expect(new Set(candidates.map((c) => c.id)).size).toBe(8);
    expect(normalized(join(outDir, 'sft.jsonl'))).toEqual(normalized(join(source, 'sft.jsonl')));

    // Another file (the same records elsewhere), or sampling instead: another run.
    const copy = join(tmp, 'copy.jsonl');
    copyFileSync(from, copy);
    const other = await run({ outDir, from: copy, limit: 4 }).catch((e: unknown) => e);
    expect(RunSettingsMismatchError.isInstance(other)).toBe(true);
    expect((other as RunSettingsMismatchError).differences.map((d) => d.setting)).toEqual([
      'candidatesFrom',
    ]);
    const sampling = await run({ outDir, limit: 4, sample: true }).catch((e: unknown) => e);
    expect((sampling as RunSettingsMismatchError).differences).toEqual([
      expect.objectContaining({ setting: 'candidatesFrom', requested: null }),
    ]);
    // A source whose recorded bytes changed (not only grown) is another source too.
    writeFileSync(from, sourceLines.join('\n').replace('"index":0', '"index":0 '));
    appendFileSync(from, '\n');
    const rewritten = await run({ outDir, from, limit: 4 }).catch((e: unknown) => e);
    expect(RunSettingsMismatchError.isInstance(rewritten)).toBe(true);
  });
});
