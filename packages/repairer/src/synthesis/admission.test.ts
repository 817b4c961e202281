import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEvaluator } from '@autotraj/evaluator';
import { createVllmProvider } from '@autotraj/generation';
import {
  gsm8kPolicyReply,
  type LoopbackChatRequest,
  type LoopbackReply,
  lastUserText,
  startLoopbackServer,
} from '@autotraj/generation/testing';
import { createCalculatorRuntime, createPythonPool, createPythonRuntime } from '@autotraj/tools';
import {
  gsm8kTask,
  type PreferencePair,
  type SftRecord,
  trajectoryFromText,
} from '@autotraj/trajectory';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RepairerConfigError } from '../errors.js';
import { createRepairer } from '../repair/repairer.js';
import { gsm8kTrainProblems } from '../test-support/gsm8k-train.js';
import { type AdmissionMode, admitRecords, resolveAdmissionMode } from './admission.js';
import { droppedRecordSchema } from './synthesis-records.js';
import { synthesize } from './synthesize.js';

const problems = gsm8kTrainProblems(9);
const tasks = problems.map((p, index) => gsm8kTask({ ...p }, { index }));

const question = 'What is 6*7?';
const record = (text: string, origin: 'kept' | 'repaired'): SftRecord => {
  const { trajectory } = trajectoryFromText(text, { format: 'tags', taskId: 't', question });
  return {
    id: `sft_${trajectory.id}`,
    taskId: 't',
    question,
    trajectory,
    origin,
    rendered: { format: 'tags', text, spans: [] },
    metadata: {},
  };
};
const pairOf = (chosen: SftRecord, rejected: SftRecord): PreferencePair => ({
  id: `pair_${chosen.trajectory.id}`,
  taskId: 't',
  question,
  chosen: chosen.trajectory,
  rejected: rejected.trajectory,
  source: 'repair',
  metadata: {},
});
const good = record('<think>6*7.</think>\n<answer>\\boxed{42}</answer>', 'kept');
const leaked = record(
  '<think>To fix the flawed trajectory, compute 6*7.</think>\n<answer>\\boxed{42}</answer>',
  'repaired',
);
const prose = record('The answer is 42.', 'kept');

describe('admitRecords', () => {
  it('drops a kept record whose reasoning has wrong arithmetic, under its own code', () => {
    const wrongSum = record(
      '<think>6*7 = 6*6 + 6 = 36 + 6 = 44, and the code checks it.</think>\n<code>print(6*7)</code>\n<result>42</result>\n<answer>\\boxed{42}</answer>',
      'kept',
    );
    const out = admitRecords('well-formed', question, [good, wrongSum], []);
    expect(out.sft).toEqual([good]);
    expect(out.dropped.map((d) => d.reasons)).toEqual([
      [
        {
          code: 'prose-arithmetic-error',
          message: 'step 0: "36 + 6 = 44": the left side is 42, not 44',
        },
      ],
    ]);
    // The paper's way (`none`) writes it as it is.
    expect(admitRecords('none', question, [good, wrongSum], []).sft).toEqual([good, wrongSum]);
  });

  it('drops an ill-formed repair with its pair; a badly formed rejected side is fine', () => {
    const repaired = record('<think>6*7 is 42.</think>\n<answer>\\boxed{42}</answer>', 'repaired');
    const out = admitRecords(
      'well-formed',
      question,
      [good, leaked, repaired],
      [pairOf(leaked, prose), pairOf(repaired, prose)],
    );
    expect(out.sft).toEqual([good, repaired]);
    expect(out.pairs.map((p) => p.chosen.id)).toEqual([repaired.trajectory.id]);
    expect(out.dropped).toEqual([
      {
        id: `dropped_${leaked.trajectory.id}`,
        taskId: 't',
        reasons: [{ code: 'prompt-meta-text', message: expect.stringContaining('To fix the') }],
        sft: leaked,
        pair: pairOf(leaked, prose),
      },
    ]);
    expect(droppedRecordSchema.parse(out.dropped[0])).toEqual(out.dropped[0]);
  });

  it('checks a pair whose chosen side is no SFT record on its own', () => {
    const out = admitRecords('well-formed', question, [], [pairOf(prose, good)]);
    expect(out.pairs).toEqual([]);
    expect(out.dropped).toMatchObject([{ sft: null, pair: { chosen: prose.trajectory } }]);
  });

  it('admission none writes everything', () => {
    const out = admitRecords('none', question, [good, leaked, prose], [pairOf(leaked, prose)]);
    expect(out.sft).toHaveLength(3);
    expect(out.pairs).toHaveLength(1);
    expect(out.dropped).toEqual([]);
  });

  it('refuses an unknown mode with a config error', () => {
    expect(resolveAdmissionMode(undefined)).toBe('well-formed');
    expect(() => resolveAdmissionMode('strict')).toThrow(RepairerConfigError);
  });
});

// The scripted policy, with faults the paper's rules let through: repairs that talk about the
// repair (every third question), repairs cut at the token limit (the next), and candidates
// quoting the prompt's tool budget (the third). Each is found by the script's own text, so the
// stand-in does not depend on how the prompts are worded.
function leakyPolicy(): (request: LoopbackChatRequest) => LoopbackReply {
  const base = gsm8kPolicyReply({ problems, hardEvery: 1000 });
  return (request) => {
    const reply = base(request);
    if (!('text' in reply) || reply.text === undefined) return reply;
    const user = lastUserText(request.messages);
    const index = problems.findIndex((p) => user.includes(p.question));
    const { text } = reply;
    // Only the repair script opens so (its first completion) ...
    if (index % 3 === 0 && text.startsWith('<think>I compute each quantity'))
      return {
        ...reply,
        text: text.replace('<think>I compute', '<think>To fix the flawed trajectory, I compute'),
      };
    // ... and only its last completion opens so: cut at the token limit after the box closed.
    if (index % 3 === 1 && text.startsWith('<think>The result is'))
      return { text: text.slice(0, text.indexOf('}') + 1), finishReason: 'length' };
    if (index % 3 === 2 && text.includes('I will compute each step'))
      return {
        ...reply,
        text: text.replace('I will compute each step', 'At most 3 tool calls: I compute each step'),
      };
    return reply;
  };
}

let pool: ReturnType<typeof createPythonPool>;
let tmp: string;
beforeAll(() => {
  pool = createPythonPool({ size: 2 });
  tmp = mkdtempSync(join(tmpdir(), 'autotraj-admission-'));
});
afterAll(async () => {
  await pool.close();
  rmSync(tmp, { recursive: true, force: true });
});

const lines = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);

async function run(
  outDir: string,
  admission?: AdmissionMode,
  options: { repairRefused?: boolean } = {},
) {
  const server = await startLoopbackServer({ reply: leakyPolicy() });
  try {
    const model = createVllmProvider({ baseURL: server.baseURL }).languageModel('leaky-policy');
    const tools = [createPythonRuntime({ pool }), createCalculatorRuntime()];
    const evaluator = createEvaluator({ preset: 'paper' });
    const retry = { retries: 0, timeoutMs: 5_000 };
    return await synthesize({
      tasks,
      policy: { model, tools, retry },
      repairer: createRepairer({ model, tools, evaluator, retry }),
      evaluator,
      n: 4,
      outDir,
      concurrency: 4,
      ...(admission === undefined ? {} : { admission }),
      ...(options.repairRefused === undefined ? {} : { repairRefused: options.repairRefused }),
    });
  } finally {
    await server.close();
  }
}

describe('synthesize with the admission gate (paper preset)', () => {
  it('keeps the paper decisions, drops ill-formed records by reason, and resumes exactly', async () => {
    const raw = await run(join(tmp, 'raw'), 'none');
    const gated = await run(join(tmp, 'gated'));
    const read = (dir: string, file: string) => lines(join(tmp, dir, `${file}.jsonl`));
    const ids = (records: Array<Record<string, unknown>>) => records.map((r) => r.id).sort();

    // The paper's decisions are the same either way. Tasks run 4 at a time, so
    // candidates.jsonl is in completion order: compare by id.
    const decisions = (dir: string) =>
      read(dir, 'candidates')
        .map(({ id, correct, quality, decision }) => ({ id, correct, quality, decision }))
        .sort((a, b) => String(a.id).localeCompare(String(b.id)));
    expect(decisions('gated')).toEqual(decisions('raw'));
    expect(ids(read('gated', 'hard'))).toEqual(ids(read('raw', 'hard')));
    for (const key of ['kept', 'repairAccepted', 'hard', 'discarded'] as const)
      expect(gated.counts[key]).toBe(raw.counts[key]);
    expect(raw.admission).toBe('none');
    expect(gated.admission).toBe('well-formed');
    expect(raw.counts.droppedSft).toBe(0);
    expect(read('raw', 'dropped')).toEqual([]);

    // What the gate kept out is exactly the difference, each with its reasons.
    const dropped = read('gated', 'dropped').map((d) => droppedRecordSchema.parse(d));
    expect(
      [...ids(read('gated', 'sft')), ...dropped.flatMap((d) => (d.sft ? [d.sft.id] : []))].sort(),
    ).toEqual(ids(read('raw', 'sft')));
    expect(
      [
        ...ids(read('gated', 'pairs')),
        ...dropped.flatMap((d) => (d.pair ? [d.pair.id] : [])),
      ].sort(),
    ).toEqual(ids(read('raw', 'pairs')));
    expect(gated.counts.sft).toBe(raw.counts.sft - gated.counts.droppedSft);
    expect(gated.counts.pairs).toBe(raw.counts.pairs - gated.counts.droppedPairs);
    expect(gated.counts.kept + gated.counts.repairAccepted).toBe(
      gated.counts.sft + gated.counts.droppedSft,
    );
    const byReason = (code: string) =>
      dropped.filter((d) => d.reasons.some((r) => r.code === code));
    expect(byReason('prompt-meta-text').length).toBeGreaterThan(0);
    expect(byReason('token-limit').length).toBeGreaterThan(0);
    // Kept candidates quoting the prompt are dropped too; their records have no pair.
    expect(dropped.some((d) => d.sft?.origin === 'kept' && d.pair === null)).toBe(true);
    for (const [code, count] of Object.entries(gated.counts.droppedByReason))
      expect(count, code).toBe(byReason(code).length);
    for (const d of dropped.filter((x) => x.pair !== null))
      expect(d.pair!.chosen.id).toBe(d.sft!.trajectory.id);

    // The script calls its tools in tags and writes no result itself: nothing to count there
    // (a detector that flagged these would count well-formed candidates as faulty).
    expect(gated.counts.candidatesWithTextFormToolCalls).toBe(0);
    expect(gated.counts.candidatesWithFabricatedToolOutput).toBe(0);
    const manifest = JSON.parse(readFileSync(join(tmp, 'gated', 'manifest.json'), 'utf8'));
    expect(manifest.counts).toEqual(gated.counts);
    expect(manifest).toMatchObject({
      admission: 'well-formed',
      config: { admission: 'well-formed' },
      files: { dropped: 'dropped.jsonl' },
    });

    // A rerun replays the journal: the same counts, no record twice.
    const again = await run(join(tmp, 'gated'));
    expect(again.run).toMatchObject({ done: 0, resumed: tasks.length });
    expect(again.counts).toEqual(gated.counts);
    expect(read('gated', 'dropped')).toHaveLength(dropped.length);
  });

  it('repairRefused sends the kept candidates the gate refuses to the repairer, and pairs the repairs', async () => {
    const gated = await run(join(tmp, 'gated-2'));
    const fixed = await run(join(tmp, 'repair-refused'), undefined, { repairRefused: true });
    const read = (dir: string, file: string) => lines(join(tmp, dir, `${file}.jsonl`));
    const dropped = (dir: string) => read(dir, 'dropped').map((d) => droppedRecordSchema.parse(d));
    // The refused kept records: the script's candidates that quote the prompt's tool budget.
    // (A copy of an admitted record is no defect: `duplicate` drops are not repaired.)
    const refusedKept = dropped('gated-2').filter(
      (d) => d.sft?.origin === 'kept' && d.reasons.some((r) => r.code !== 'duplicate'),
    );
    expect(refusedKept.length).toBeGreaterThan(0);

    // The paper's decisions are unchanged and the refused records are still dropped as before.
    const decisions = (dir: string) =>
      read(dir, 'candidates')
        .map(({ id, decision }) => ({ id, decision }))
        .sort((a, b) => String(a.id).localeCompare(String(b.id)));
    expect(decisions('repair-refused')).toEqual(decisions('gated-2'));
    const keptDrops = (records: ReturnType<typeof dropped>) =>
      records
        .filter((d) => d.sft?.origin === 'kept')
        .map(({ id, reasons }) => ({ id, reasons }))
        .sort((a, b) => a.id.localeCompare(b.id));
    expect(keptDrops(dropped('repair-refused'))).toEqual(keptDrops(dropped('gated-2')));
    expect(fixed.counts.kept).toBe(gated.counts.kept);

    // Each went to the repairer once; the accepted ones came back as pairs over the original.
    expect(fixed.counts.refusedKeptRepairs).toBe(refusedKept.length);
    expect(gated.counts.refusedKeptRepairs).toBe(0);
    const pairs = read('repair-refused', 'pairs').map((p) => p as PreferencePair);
    const fromGate = pairs.filter((p) => p.source === 'admission');
    expect(fromGate.length).toBeGreaterThan(0);
    expect(fixed.counts.refusedKeptRepaired).toBe(fromGate.length);
    const refusedIds = new Map(refusedKept.map((d) => [d.sft!.trajectory.id, d]));
    for (const pair of fromGate) {
      const original = refusedIds.get(pair.rejected.id);
      expect(original, pair.id).toBeDefined();
      expect(pair.metadata.refusedBy).toEqual(original!.reasons.map((r) => r.code));
      expect(pair.chosen.provenance.parentId).toBe(pair.rejected.id);
    }
    const sft = read('repair-refused', 'sft').map((r) => r as SftRecord);
    // Its repair is an SFT record, or a copy of one (the script writes one repair a task).
    const copies = dropped('repair-refused').filter((d) =>
      d.reasons.every((r) => r.code === 'duplicate'),
    );
    for (const pair of fromGate)
      expect(
        [...sft, ...copies.map((d) => d.sft!)].some((r) => r.trajectory.id === pair.chosen.id),
        pair.id,
      ).toBe(true);
    expect(fixed.counts.pairs).toBe(gated.counts.pairs + fromGate.length);
    // The unfixed ones are hard cases that say why they were repaired at all.
    const hard = read('repair-refused', 'hard').filter((h) =>
      String(h.reason).startsWith('kept, refused by the admission gate (prompt-meta-text)'),
    );
    expect(hard.length + fromGate.length).toBe(refusedKept.length);
    expect(
      JSON.parse(readFileSync(join(tmp, 'repair-refused', 'settings.json'), 'utf8')).settings,
    ).toMatchObject({ repairRefused: true });

    await expect(run(join(tmp, 'refused-none'), 'none', { repairRefused: true })).rejects.toThrow(
      RepairerConfigError,
    );
  });
});
