import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type BenchmarkResult,
  compareEvals,
  type EvalComparison,
  type EvalRecord,
  readEvalManifest,
  readEvalRecords,
  summarizeEval,
} from '@autotraj/benchmarks';
import { RUN_FILES, type Step } from '@autotraj/trajectory';
import { CliError } from '../cli-error.js';
import { escapeHtml, groupedBarsSvg } from './charts.js';
import { STYLE } from './render-html.js';

/** One evaluation directory as the page shows it. */
export interface EvalRunView {
  label: string;
  model: string;
  results: BenchmarkResult[];
}

/** A question with each run's first sample, for the browser. */
export interface EvalQuestionView {
  benchmark: string;
  questionId: string;
  question: string;
  goldAnswers: string[];
  /** Per run (same order as `runs`): its first sample, or null when it has none. */
  samples: Array<{
    correct: boolean;
    extractedAnswer: string | null;
    toolCalls: number;
    outputTokens: number;
    steps: Step[];
  } | null>;
  /** The runs disagree on correctness. */
  differs: boolean;
}

export interface EvalReportData {
  runs: EvalRunView[];
  comparison: EvalComparison | null;
  questions: EvalQuestionView[];
}

/** An evaluation directory holds a `manifest.json` of kind `eval`. */
export function isEvalDir(dir: string): boolean {
  if (!existsSync(join(dir, RUN_FILES.manifest))) return false;
  try {
    return readEvalManifest(dir) !== null;
  } catch {
    return false;
  }
}

/** Read one or more evaluation directories (the first is the baseline) into the page's data. */
export async function gatherEvalReport(dirs: ReadonlyArray<string>): Promise<EvalReportData> {
  const runs = await Promise.all(
    dirs.map(async (dir) => {
      const manifest = readEvalManifest(dir);
      if (manifest === null)
        throw new CliError({
          message: `${dir} is not an evaluation directory (no manifest.json)`,
          exitCode: 2,
        });
      const records = await readEvalRecords(join(dir, RUN_FILES.records));
      return { label: dir.replace(/\/+$/, ''), manifest, records };
    }),
  );
  const firstSamples = runs.map((run) => {
    const map = new Map<string, EvalRecord>();
    for (const r of run.records) {
      const key = `${r.benchmark}\u0000${r.questionId}`;
      const have = map.get(key);
      if (have === undefined || r.sample < have.sample) map.set(key, r);
    }
    return map;
  });
  const keys: string[] = [];
  const seen = new Set<string>();
  for (const map of firstSamples)
    for (const key of map.keys())
      if (!seen.has(key)) {
        seen.add(key);
        keys.push(key);
      }
  const questions: EvalQuestionView[] = keys.map((key) => {
    const any = firstSamples.map((m) => m.get(key)).find((r) => r !== undefined)!;
    const samples = firstSamples.map((m) => {
      const r = m.get(key);
      return r === undefined
        ? null
        : {
            correct: r.verdict.correct,
            extractedAnswer: r.verdict.extractedAnswer,
            toolCalls: r.verdict.toolCalls,
            outputTokens: r.verdict.outputTokens,
            steps: r.trajectory.steps,
          };
    });
    const verdicts = samples.filter((s) => s !== null).map((s) => s.correct);
    return {
      benchmark: any.benchmark,
      questionId: any.questionId,
      question: any.question,
      goldAnswers: any.goldAnswers,
      samples,
      differs: verdicts.length > 1 && verdicts.some((v) => v !== verdicts[0]),
    };
  });
  return {
    runs: runs.map((run) => ({
      label: run.label,
      model: run.manifest.model.name,
      results: summarizeEval(run.records, run.manifest).benchmarks,
    })),
    comparison: runs.length > 1 ? compareEvals(runs) : null,
    questions,
  };
}

const SERIES = ['bar', 'after', 'rejected', 'before'];

const EVAL_SCRIPT = `
const data = JSON.parse(document.getElementById('eval-data').textContent);
const list = document.getElementById('question-list');
const view = document.getElementById('question-view');
const onlyDiffer = document.getElementById('only-differ');
function el(tag, cls, text) { const e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e; }
function stepText(s) {
  if (s.type === 'tool-call') { const i = s.input; const t = i && typeof i === 'object' ? (i.code ?? i.expression ?? i.query ?? JSON.stringify(i)) : String(i); return s.toolName + ': ' + t; }
  if (s.type === 'tool-result') return (s.isError ? '[error] ' : '') + s.output;
  return s.text;
}
function show(index) {
  const q = data.questions[index];
  for (const b of list.querySelectorAll('button')) b.classList.toggle('active', Number(b.dataset.index) === index);
  view.replaceChildren();
  view.append(el('h3', 'question', q.benchmark + ' · ' + q.questionId));
  view.append(el('p', '', q.question));
  view.append(el('p', 'meta', 'gold: ' + q.goldAnswers.join(' | ')));
  const row = el('div', 'side-by-side');
  q.samples.forEach((s, i) => {
    const box = el('div', 'traj');
    box.dataset.run = data.labels[i];
    box.append(el('h3', '', data.labels[i]));
    if (s === null) { box.append(el('p', 'empty', 'no record')); row.append(box); return; }
    box.dataset.correct = String(s.correct);
    box.append(el('div', 'meta', (s.correct ? 'correct' : 'wrong') + ' · answer: ' + (s.extractedAnswer ?? '—') + ' · ' + s.toolCalls + ' tool calls · ' + s.outputTokens + ' tokens'));
    for (const st of s.steps) { const div = el('div', 'step ' + st.type); div.append(el('span', 'kind', st.type.replace('-', ' '))); div.append(document.createTextNode(stepText(st))); box.append(div); }
    row.append(box);
  });
  view.append(row);
}
function fill() {
  list.replaceChildren();
  let first = -1;
  data.questions.forEach((q, i) => {
    if (onlyDiffer.checked && !q.differs) return;
    if (first < 0) first = i;
    const b = el('button');
    b.dataset.index = String(i);
    b.dataset.differs = String(q.differs);
    b.append(el('div', '', q.question.length > 80 ? q.question.slice(0, 80) + '…' : q.question));
    b.append(el('div', 'tag', q.benchmark + ' · ' + q.samples.map((s) => (s === null ? '–' : s.correct ? '✓' : '✗')).join(' ') + (q.differs ? ' · differs' : '')));
    b.addEventListener('click', () => show(i));
    list.append(b);
  });
  if (first >= 0) show(first); else view.replaceChildren(el('p', 'empty', 'No question matches.'));
}
onlyDiffer.addEventListener('change', fill);
fill();
`;

function statsTable(runs: ReadonlyArray<EvalRunView>): string {
  const head =
    '<tr><th>run · benchmark</th><th>questions</th><th>acc %</th><th>EM %</th><th>F1 %</th><th>answered %</th><th>tool calls / q</th><th>tool errors</th><th>format viol.</th><th>text-form calls</th><th>made-up output</th><th>out tokens / q</th><th>s / q</th></tr>';
  const pct = (x: number | undefined) => (x === undefined ? '' : (100 * x).toFixed(1));
  const rows = runs
    .flatMap((run) =>
      run.results.map(
        (b) =>
          `<tr data-run="${escapeHtml(run.label)}" data-benchmark="${escapeHtml(b.benchmark)}"><td>${escapeHtml(run.label)} · ${escapeHtml(b.benchmark)}${b.complete ? '' : ' (partial)'}</td><td>${b.questions}/${b.expectedQuestions}</td><td>${pct(b.accuracy)}</td><td>${pct(b.em)}</td><td>${pct(b.f1)}</td><td>${pct(b.answered)}</td><td>${b.toolCallsPerSample.toFixed(2)}</td><td>${b.toolErrors}</td><td>${b.formatViolations}</td><td>${b.samplesWithTextFormToolCalls}</td><td>${b.samplesWithFabricatedToolOutput}</td><td>${b.outputTokensPerSample.toFixed(0)}</td><td>${(b.msPerSample / 1000).toFixed(1)}</td></tr>`,
      ),
    )
    .join('');
  return `<table class="eval-stats">${head}${rows}</table>`;
}

function comparisonTable(comparison: EvalComparison): string {
  const labels = comparison.benchmarks[0]?.runs.map((r) => r.label) ?? [];
  const signed = (x: number) => `${x >= 0 ? '+' : ''}${(100 * x).toFixed(1)}`;
  const head = `<tr><th>benchmark</th><th>paired questions</th>${labels.map((l) => `<th>${escapeHtml(l)} acc %</th>`).join('')}${labels
    .slice(1)
    .map((l) => `<th>${escapeHtml(l)} − ${escapeHtml(comparison.baseline)}</th>`)
    .join('')}</tr>`;
  const rows = comparison.benchmarks
    .map(
      (b) =>
        `<tr data-benchmark="${escapeHtml(b.benchmark)}"><td>${escapeHtml(b.benchmark)}</td><td>${b.sharedQuestions}</td>${b.runs.map((r) => `<td>${(100 * r.accuracy).toFixed(1)}</td>`).join('')}${b.runs
          .slice(1)
          .map(
            (r) =>
              `<td class="${r.delta!.low > 0 ? 'pos' : r.delta!.high < 0 ? 'neg' : ''}">${signed(r.delta!.delta)} [${signed(r.delta!.low)}, ${signed(r.delta!.high)}]</td>`,
          )
          .join('')}</tr>`,
    )
    .join('');
  return `<table class="comparison">${head}${rows}</table><p class="meta">Percentage points over the questions every run answered; ${Math.round(comparison.level * 100)}% paired bootstrap intervals over question ids (${comparison.resamples} resamples, seed ${comparison.seed}).</p>`;
}

/** The evaluation page: accuracy bars, tool-use and length statistics, comparison, question browser. */
export function renderEvalReportHtml(data: EvalReportData): string {
  const benchmarks = [...new Set(data.runs.flatMap((r) => r.results.map((b) => b.benchmark)))];
  const bars = groupedBarsSvg(
    benchmarks,
    data.runs.map((run, i) => ({
      name: run.label,
      values: benchmarks.map(
        (name) => run.results.find((b) => b.benchmark === name)?.accuracy ?? 0,
      ),
      className: SERIES[i % SERIES.length]!,
    })),
    { label: 'accuracy per benchmark' },
  );
  const json = JSON.stringify({
    labels: data.runs.map((r) => r.label),
    questions: data.questions,
  }).replaceAll('<', '\\u003c');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>AutoTraj evaluation</title><style>${STYLE}</style></head>
<body>
<header><h1>AutoTraj evaluation</h1><p>${data.runs.map((r) => `${escapeHtml(r.label)} (${escapeHtml(r.model)})`).join(' · ')}</p></header>
<main>
<section id="accuracy"><h2>Accuracy per benchmark</h2>${bars}</section>
<section id="comparison"><h2>Comparison</h2>${data.comparison === null ? '<p class="empty">One run: pass more directories to compare.</p>' : comparisonTable(data.comparison)}</section>
<section id="statistics" class="wide"><h2>Tool use and length</h2>${statsTable(data.runs)}</section>
<section id="questions" class="wide"><h2>Questions</h2><label class="meta"><input type="checkbox" id="only-differ"${data.runs.length > 1 ? ' checked' : ''}> only where the runs differ</label><div class="browser"><nav id="question-list" class="task-list"></nav><div id="question-view"></div></div></section>
</main>
<script type="application/json" id="eval-data">${json}</script>
<script>${EVAL_SCRIPT}</script>
</body></html>
`;
}

/** Write the evaluation page for one or more evaluation directories. */
export async function writeEvalReport(dirs: ReadonlyArray<string>, out: string): Promise<string> {
  await writeFile(out, renderEvalReportHtml(await gatherEvalReport(dirs)));
  return out;
}
