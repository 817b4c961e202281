// The paper preset against the paper's own rules in CPython, side by side in one run: on the
// 660 GSM8K dev questions (2,640 model solutions in the tag format), our
// createEvaluator({ preset: 'paper' }).evaluateGroup, the way synthesis calls it (each candidate
// carrying the text it was written as), against paper_ref.paper_pipeline
// (../shared/reference/paper_ref.py) on the same texts. Passes alternate between the two, so
// both run under the same machine load; each side's best pass counts, in wall-clock time and in
// CPU time (on a loaded machine the CPU time is the steadier of the two). Our decisions are
// checked against Python's on every text: the speed counts only with exactness kept.
//
// Goal: >= 5x Python's throughput. Last measured 2026-12-07 00:20-00:24 UTC at 44409b8, three
// runs beside a MATH-500 eval (load average 6.2-8.4): 5.69x, 5.68x, 5.46x in CPU time (met),
// 9.45x, 12.82x, 6.70x in wall-clock time (met; the load moves it). See the evaluator README.
//
// BENCH_SMOKE=1: 20 questions, one pass, no goal judged (proves the bench runs).
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import {
  gsm8kModelSolutionTrajectories,
  readJsonlArray,
  trajectoryFromText,
  trajectorySchema,
  trajectoryToText,
} from '@autotraj/trajectory';
import { createEvaluator } from '../dist/index.js';
import { createUncheckedEvaluator } from '../dist/internal/index.js';

const smoke = process.env.BENCH_SMOKE === '1';
const passes = Number(process.env.BENCH_PASSES ?? (smoke ? 1 : 8));
// V8 reaches its optimised code after several passes (measured: 25 us a text after 3 passes,
// 11 after 15, 10 after 40); Python has no JIT and is warm after one.
const warmup = Number(process.env.BENCH_WARMUP ?? (smoke ? 0 : 25));
const GOAL = 5;

const shared = new URL('../../../../shared/data/', import.meta.url);
const groups = readFileSync(new URL('gsm8k/model-solutions.dev.jsonl', shared), 'utf8')
  .split('\n')
  .filter(Boolean)
  .slice(0, smoke ? 20 : undefined)
  .map((line) => {
    const { task, solutions } = gsm8kModelSolutionTrajectories(JSON.parse(line));
    // The tag-format text of each solution, carried as generation carries a model's text.
    const texts = solutions.map((s) => trajectoryToText(s.trajectory, 'tags'));
    const candidates = texts.map(
      (text, i) =>
        trajectoryFromText(text, {
          format: 'tags',
          taskId: task.id,
          salt: i,
          metadata: { sourceText: text },
        }).trajectory,
    );
    return { task, texts, candidates };
  });
const trajectories = groups.reduce((n, g) => n + g.texts.length, 0);

// Python: one long-lived process, so its start-up and imports are not timed.
const dir = mkdtempSync(join(tmpdir(), 'autotraj-paper-bench-'));
const groupsFile = join(dir, 'groups.jsonl');
writeFileSync(
  groupsFile,
  groups
    .map((g) => `${JSON.stringify({ gold: g.task.goldAnswers[0], texts: g.texts })}\n`)
    .join(''),
);
const python = process.env.AUTOTRAJ_PYTHON ?? 'python3';
const script = fileURLToPath(new URL('paper_pipeline_timing.py', import.meta.url));
const child = spawn(python, [script, groupsFile], { stdio: ['pipe', 'pipe', 'inherit'] });
const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
const nextLine = async () => {
  const { value, done } = await lines.next();
  if (done) throw new Error(`${python} ${script} ended early (is ../shared/reference there?)`);
  return JSON.parse(value);
};

const evaluator = createEvaluator({ preset: 'paper' });
// Timed passes drop each group's result, as synthesis does once it has written it (holding
// all 2,640 reports would time the garbage collector copying them instead).
const evaluateAll = async (keep = false) => {
  const out = [];
  for (const { task, candidates } of groups) {
    const result = await evaluator.evaluateGroup({ task, candidates });
    if (keep) out.push(result);
  }
  return out;
};
const cpuSeconds = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

try {
  // Exactness on every text (Python's first pass warms its regex cache), then our warm-up.
  const reference = await nextLine();
  const ours = await evaluateAll(true);
  for (let pass = 0; pass < warmup; pass++) await evaluateAll();
  const action = { high: 'keep', ac_low: 'repair', aw_low: 'repair' };
  let differences = 0;
  ours.forEach(({ reports, decisions }, gi) => {
    reference[gi].forEach((ref, ti) => {
      const report = reports[ti];
      if (
        report.correct !== ref.correct ||
        decisions[ti].action !== action[ref.decision] ||
        (ref.correct &&
          (report.paper.stored !== ref.stored || Math.abs(report.quality - ref.raw) > 1e-9))
      )
        differences++;
    });
  });

  const best = { oursWall: Infinity, oursCpu: Infinity, pyWall: Infinity, pyCpu: Infinity };
  const load = [];
  for (let pass = 0; pass < passes; pass++) {
    load.push(loadavg()[0]);
    const wall = performance.now();
    const cpu = cpuSeconds();
    await evaluateAll();
    best.oursCpu = Math.min(best.oursCpu, cpuSeconds() - cpu);
    best.oursWall = Math.min(best.oursWall, (performance.now() - wall) / 1000);
    child.stdin.write('pass\n');
    const [pyWall, pyCpu] = await nextLine();
    best.pyWall = Math.min(best.pyWall, pyWall);
    best.pyCpu = Math.min(best.pyCpu, pyCpu);
  }

  const wallRatio = best.pyWall / best.oursWall;
  const cpuRatio = best.pyCpu / best.oursCpu;
  const results = [];
  const add = (name, value, unit, goal = null, met = null) =>
    results.push({ name, value, unit, goal, met: smoke ? null : met });
  const what = `${groups.length} GSM8K dev groups, ${trajectories} texts, best of ${passes} after ${warmup} warm-up`;
  add(
    `paper preset vs paper_ref: differences (${what})`,
    differences,
    'texts',
    '0',
    differences === 0,
  );
  add('paper preset evaluateGroup, wall clock', trajectories / best.oursWall, 'trajectories/s');
  add(
    'paper_ref.paper_pipeline (CPython), wall clock',
    trajectories / best.pyWall,
    'trajectories/s',
  );
  add(
    'paper preset / paper_ref throughput, wall clock',
    wallRatio,
    'x',
    `>= ${GOAL}`,
    wallRatio >= GOAL,
  );
  add('paper preset evaluateGroup, CPU time', trajectories / best.oursCpu, 'trajectories/s');
  add('paper_ref.paper_pipeline (CPython), CPU time', trajectories / best.pyCpu, 'trajectories/s');
  add(
    'paper preset / paper_ref throughput, CPU time',
    cpuRatio,
    'x',
    `>= ${GOAL}`,
    cpuRatio >= GOAL,
  );
  add(
    'load average (1 min) during the passes, mean',
    load.reduce((a, b) => a + b, 0) / load.length,
    '',
  );

  // What the entry-point input check costs: the checked evaluator of the main entry against the
  // same evaluator unchecked (/internal), side by side, passes alternating, best CPU time each.
  // Twice: on the trajectories as the library built them (trajectoryFromText seals them: checked
  // once when built, frozen since, so the entry takes them as they are; synthesis passes these),
  // and on the same trajectories read back from JSON (JSON.parse: plain objects the entry must
  // check, as a user's own file gives it).
  const fromJson = groups.map(({ task, candidates }) => ({
    task: JSON.parse(JSON.stringify(task)),
    candidates: JSON.parse(JSON.stringify(candidates)),
  }));
  // And as the library reads them back (readJsonl with trajectorySchema: what `evaluate` and
  // `--candidates-from` read): parsed once by the reader, sealed, so the entry takes them as is.
  const candidatesFile = join(dir, 'candidates.jsonl');
  writeFileSync(
    candidatesFile,
    groups.flatMap((g) => g.candidates.map((c) => `${JSON.stringify(c)}\n`)).join(''),
  );
  const read = await readJsonlArray(candidatesFile, { schema: trajectorySchema });
  let next = 0;
  const fromReader = fromJson.map(({ task, candidates }) => ({
    task,
    candidates: candidates.map(() => read[next++]),
  }));
  for (const [inputs, label] of [
    [groups, 'library-built (sealed)'],
    [fromReader, 'read by readJsonl (sealed)'],
    [fromJson, 'JSON-parsed (checked)'],
  ])
    for (const preset of ['paper', 'autotraj']) {
      const evaluators = [createEvaluator({ preset }), createUncheckedEvaluator({ preset })];
      const run = async (ev) => {
        for (const { task, candidates } of inputs) await ev.evaluateGroup({ task, candidates });
      };
      for (let w = 0; w < (smoke ? 0 : 4); w++) for (const ev of evaluators) await run(ev);
      const bestCpu = [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY];
      for (let pass = 0; pass < (smoke ? 1 : 2 * passes); pass++)
        for (const k of pass % 2 ? [1, 0] : [0, 1]) {
          const cpu = cpuSeconds();
          await run(evaluators[k]);
          bestCpu[k] = Math.min(bestCpu[k], cpuSeconds() - cpu);
        }
      const ratio = bestCpu[0] / bestCpu[1];
      add(
        `entry input check: ${preset} evaluateGroup CPU time, checked / unchecked, ${label}`,
        ratio,
        'x',
        '<= 1.05',
        ratio <= 1.05,
      );
    }
  add('load average (1 min) after the entry check passes', loadavg()[0], '');

  const width = Math.max(...results.map((r) => r.name.length));
  for (const r of results) {
    const value = r.value >= 100 ? Math.round(r.value).toLocaleString('en-US') : r.value.toFixed(2);
    const verdict = r.met === null ? '' : `  (goal ${r.goal}: ${r.met ? 'met' : 'NOT met'})`;
    console.log(`${r.name.padEnd(width)}  ${value.padStart(12)} ${r.unit}${verdict}`);
  }
  if (!smoke)
    console.log(
      `5x goal ${wallRatio >= GOAL && cpuRatio >= GOAL ? 'met' : 'NOT met'}: ${wallRatio.toFixed(2)}x wall clock, ${cpuRatio.toFixed(2)}x CPU time (load average ${load.map((l) => l.toFixed(1)).join(', ')})`,
    );
  const out = new URL(`../../../bench/${smoke ? 'results-smoke' : 'results'}/`, import.meta.url);
  mkdirSync(out, { recursive: true });
  writeFileSync(new URL('evaluator-paper.json', out), `${JSON.stringify(results, null, 2)}\n`);
  if (differences > 0) process.exitCode = 1;
} finally {
  child.stdin.end();
  rmSync(dir, { recursive: true, force: true });
}
