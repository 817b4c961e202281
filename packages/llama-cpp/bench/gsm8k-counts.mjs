// The counting behind the GSM8K TIR benchmark (gsm8k-tir.bench.mjs): what one trajectory did,
// and the figures of one (model, decoding) cell from the synthesis journal. Pure functions over
// the pipeline's own records, tested on hand-built trajectories (gsm8k-counts.test.mjs).
import { checkPaperFormat } from '@autotraj/evaluator';
import { createTagCodec } from '@autotraj/trajectory';

const codec = createTagCodec();

/**
 * What one trajectory did. Well-formed: the text-tag parse reported no issue (text outside tags,
 * an unclosed tag, a call without result, no or several answers, ...) and the paper's format
 * check passes on the tag rendering (starts with <think>, one final <answer> with \boxed{}, at
 * most `maxToolCalls` calls). A code cell "ran" when its result is neither an error nor a timeout.
 */
export function trajectoryFacts(trajectory, options = {}) {
  const maxToolCalls = options.maxToolCalls ?? 3;
  const issues = Array.isArray(trajectory.metadata?.issues) ? trajectory.metadata.issues : [];
  const format = checkPaperFormat(codec.render(trajectory.steps), { maxToolCalls });
  const results = new Map(
    trajectory.steps.filter((s) => s.type === 'tool-result').map((s) => [s.callId, s]),
  );
  const calls = trajectory.steps.filter((s) => s.type === 'tool-call');
  const code = calls.filter((s) => s.toolName === 'python');
  const ran = (call) => {
    const result = results.get(call.callId);
    return result !== undefined && !result.isError && result.timedOut !== true;
  };
  return {
    wellFormed: issues.length === 0 && format.ok,
    problems: [...issues.map((i) => `parse/${i.code}`), ...format.violations.map((v) => v.code)],
    toolCalls: calls.length,
    codeCells: code.length,
    codeCellsRan: code.filter(ran).length,
    toolErrors: calls.filter((call) => !ran(call)).length,
    answered: trajectory.finalAnswer !== null,
    outputTokens: trajectory.provenance?.usage?.outputTokens ?? 0,
  };
}

/** The trajectories a journal entry's repairs generated (accepted ones and hard cases' last attempts). */
function repairTrajectories(entry) {
  return [
    ...entry.sft.filter((r) => r.origin === 'repaired').map((r) => r.trajectory),
    ...entry.hard.map((h) => h.lastAttempt).filter((t) => t !== null),
  ];
}

/**
 * The figures of one cell from its journal entries (one per problem, as `synthesize` writes
 * them). `correct` is the evaluator's verdict on each candidate (the `paper` preset); repairs
 * are what the pipeline did: attempted = candidates it sent to the repairer, accepted = repairs
 * that passed its acceptance rule and went into the SFT set.
 */
export function cellCounts(entries, options = {}) {
  const counts = {
    problems: entries.length,
    candidates: 0,
    wellFormed: 0,
    withToolCall: 0,
    toolCalls: 0,
    codeCells: 0,
    codeCellsRan: 0,
    answered: 0,
    correct: 0,
    kept: 0,
    discarded: 0,
    repairsAttempted: 0,
    repairsAccepted: 0,
    repairsAcceptedWellFormed: 0,
    repairsWellFormed: 0,
    repairOutputs: 0,
    trajectories: 0,
    outputTokens: 0,
    repairOutputTokens: 0,
  };
  for (const entry of entries) {
    for (const candidate of entry.candidates) {
      const facts = trajectoryFacts(candidate.trajectory, options);
      counts.candidates++;
      if (facts.wellFormed) counts.wellFormed++;
      if (facts.toolCalls > 0) counts.withToolCall++;
      counts.toolCalls += facts.toolCalls;
      counts.codeCells += facts.codeCells;
      counts.codeCellsRan += facts.codeCellsRan;
      if (facts.answered) counts.answered++;
      if (candidate.correct === true) counts.correct++;
      if (candidate.decision.action === 'keep') counts.kept++;
      if (candidate.decision.action === 'discard') counts.discarded++;
      if (candidate.decision.action === 'repair') counts.repairsAttempted++;
      counts.outputTokens += facts.outputTokens;
      counts.trajectories++;
    }
    for (const r of entry.sft.filter((r) => r.origin === 'repaired')) {
      counts.repairsAccepted++;
      // The paper's acceptance checks the answer loosely on the whole text, not the format.
      if (trajectoryFacts(r.trajectory, options).wellFormed) counts.repairsAcceptedWellFormed++;
    }
    for (const t of repairTrajectories(entry)) {
      const facts = trajectoryFacts(t, options);
      counts.repairOutputs++;
      if (facts.wellFormed) counts.repairsWellFormed++;
      counts.outputTokens += facts.outputTokens;
      counts.repairOutputTokens += facts.outputTokens;
      counts.trajectories++;
    }
  }
  return counts;
}

/**
 * Throughput of a cell over the runs that produced it: output tokens and trajectories of the
 * problems each run finished, over the wall time until its last finished problem. A run killed
 * mid-way still counts up to its last finished problem; problems resumed from nothing are
 * never double counted (each problem is in exactly one run). `repairsOnly` for the cells whose
 * candidates are replayed: only their repairs were generated there.
 */
export function cellThroughput(entries, progress, options = {}) {
  // A cell whose candidates were replayed from another cell generated only its repairs.
  const repairsOnly = options.repairsOnly === true;
  const byTask = new Map(entries.map((e) => [e.taskId, e]));
  const wallByRun = new Map();
  let tokens = 0;
  let trajectories = 0;
  const counted = new Set();
  for (const p of progress) {
    wallByRun.set(p.runId, Math.max(wallByRun.get(p.runId) ?? 0, p.atMs));
    const entry = byTask.get(p.taskId);
    if (entry === undefined || counted.has(p.taskId)) continue;
    counted.add(p.taskId);
    const c = cellCounts([entry]);
    tokens += repairsOnly ? c.repairOutputTokens : c.outputTokens;
    trajectories += repairsOnly ? c.repairOutputs : c.trajectories;
  }
  const wallMs = [...wallByRun.values()].reduce((a, b) => a + b, 0);
  const seconds = wallMs / 1000;
  return {
    wallSeconds: seconds,
    outputTokens: tokens,
    trajectories,
    tokensPerSecond: seconds > 0 ? tokens / seconds : 0,
    trajectoriesPerMinute: seconds > 0 ? trajectories / (seconds / 60) : 0,
  };
}
