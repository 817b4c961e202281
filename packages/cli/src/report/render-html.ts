import { admissionNote, admissionTallyNote } from '../pipeline/stage-notes.js';
import { formatDuration } from '../progress.js';
import { escapeHtml, funnelSvg, histogramSvg, lineSvg } from './charts.js';
import type { ReportData } from './gather.js';

export const STYLE = `
:root { --fg:#1d2330; --muted:#667085; --bg:#f7f8fa; --card:#fff; --model:#3b6fd8; --tool:#1a8f5c; --bad:#c2410c; --line:#e4e7ec; }
* { box-sizing: border-box; }
body { margin:0; font:14px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color:var(--fg); background:var(--bg); }
header { padding:24px 32px 8px; } h1 { margin:0 0 4px; font-size:22px; } header p { margin:0; color:var(--muted); }
main { padding:8px 32px 48px; display:grid; gap:20px; grid-template-columns: repeat(auto-fit, minmax(560px, 1fr)); }
section { background:var(--card); border:1px solid var(--line); border-radius:10px; padding:16px 20px; }
section.wide { grid-column: 1 / -1; }
h2 { font-size:16px; margin:0 0 12px; }
.chart { width:100%; height:auto; font-size:11px; fill:var(--fg); }
.chart .bar { fill:var(--model); } .chart .value { fill:var(--muted); } .axis { stroke:var(--muted); }
.chart .series { fill:none; stroke:var(--model); stroke-width:2; } .chart .mark { fill:var(--model); }
.before { fill:#98a2b3; opacity:.75; } .after { fill:var(--tool); opacity:.75; }
.chosen { fill:var(--tool); opacity:.75; } .rejected { fill:var(--bad); opacity:.65; }
table { border-collapse: collapse; width:100%; font-size:13px; } th, td { border-bottom:1px solid var(--line); padding:4px 8px; text-align:right; } th:first-child, td:first-child { text-align:left; }
td.pos { color:var(--tool); } td.neg { color:var(--bad); }
.browser { display:grid; grid-template-columns: 280px 1fr; gap:16px; min-height:420px; }
.task-list { max-height:900px; overflow:auto; border-right:1px solid var(--line); padding-right:8px; }
.task-list button { display:block; width:100%; text-align:left; border:0; background:none; padding:6px 8px; border-radius:6px; cursor:pointer; font:inherit; color:inherit; }
.task-list button:hover { background:var(--bg); } .task-list button.active { background:#e8efff; }
.task-list .tag { font-size:11px; color:var(--muted); }
.side-by-side { display:grid; grid-template-columns: 1fr 1fr; gap:12px; }
.traj { border:1px solid var(--line); border-radius:8px; padding:10px; }
.traj h3 { font-size:13px; margin:0 0 8px; }
.step { margin:6px 0; padding:6px 8px; border-radius:6px; white-space:pre-wrap; word-break:break-word; border-left:4px solid transparent; }
.step.think { background:#f2f4f7; border-left-color:#98a2b3; }
.step.tool-call { background:#eaf1ff; border-left-color:var(--model); font-family: ui-monospace, monospace; font-size:12px; }
.step.tool-result { background:#e7f6ef; border-left-color:var(--tool); font-family: ui-monospace, monospace; font-size:12px; }
.step.answer { background:#fff7e6; border-left-color:#d4a017; font-weight:600; }
.step.flagged { outline:2px solid var(--bad); }
.step .kind { display:block; font:600 10px system-ui; text-transform:uppercase; letter-spacing:.04em; color:var(--muted); margin-bottom:2px; }
.diag { color:var(--bad); font-size:12px; margin:2px 0; }
.meta { color:var(--muted); font-size:12px; }
.empty { color:var(--muted); }
`;

const SCRIPT = `
const data = JSON.parse(document.getElementById('report-data').textContent);
const list = document.getElementById('task-list');
const view = document.getElementById('task-view');
function el(tag, cls, text) { const e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e; }
function stepText(s) {
  if (s.type === 'tool-call') { const i = s.input; const t = i && typeof i === 'object' ? (i.code ?? i.expression ?? i.query ?? JSON.stringify(i)) : String(i); return s.toolName + ': ' + t; }
  if (s.type === 'tool-result') return (s.isError ? '[error] ' : '') + s.output;
  return s.text;
}
function trajectory(title, t) {
  const box = el('div', 'traj');
  box.dataset.trajectory = t.id;
  box.append(el('h3', '', title));
  const bits = [];
  if (t.quality !== null) bits.push('quality ' + t.quality.toFixed(3));
  if (t.correct !== null) bits.push(t.correct ? 'correct' : 'wrong answer');
  if (t.decision) bits.push(t.decision.action + ' (' + t.decision.reason + ')');
  bits.push('answer: ' + (t.finalAnswer ?? '—'));
  box.append(el('div', 'meta', bits.join(' · ')));
  const flagged = new Map();
  for (const d of t.diagnostics) { if (d.stepIndex !== null) { const a = flagged.get(d.stepIndex) ?? []; a.push(d); flagged.set(d.stepIndex, a); } }
  for (const d of t.diagnostics) if (d.stepIndex === null) box.append(el('div', 'diag', '⚠ ' + d.code + ': ' + d.message));
  t.steps.forEach((s, i) => {
    const div = el('div', 'step ' + s.type + (flagged.has(i) ? ' flagged' : ''));
    div.append(el('span', 'kind', s.type.replace('-', ' ')));
    div.append(document.createTextNode(stepText(s)));
    for (const d of flagged.get(i) ?? []) div.append(el('div', 'diag', '⚠ ' + d.code + ': ' + d.message));
    box.append(div);
  });
  return box;
}
function show(index) {
  const task = data.tasks[index];
  for (const b of list.querySelectorAll('button')) b.classList.toggle('active', Number(b.dataset.index) === index);
  view.replaceChildren();
  view.append(el('h3', 'question', task.question));
  if (task.repairs.length === 0 && task.hard.length === 0) view.append(el('p', 'empty', 'No repairs for this task; its candidates:'));
  for (const r of task.repairs) { const row = el('div', 'side-by-side repair'); row.append(trajectory('Original', r.original), trajectory('Repaired', r.repaired)); view.append(row); }
  for (const h of task.hard) { const row = el('div', 'side-by-side hard'); row.append(trajectory('Original (hard case: ' + h.reason + ')', h.original)); if (h.lastAttempt) row.append(trajectory('Last repair attempt (' + h.attempts + ' attempts)', h.lastAttempt)); view.append(row); }
  if (task.repairs.length === 0 && task.hard.length === 0) { const row = el('div', 'side-by-side'); task.candidates.forEach((c, i) => row.append(trajectory('Candidate ' + (i + 1), c))); view.append(row); }
}
data.tasks.forEach((task, i) => {
  const b = el('button');
  b.dataset.index = String(i);
  b.append(el('div', '', task.question.length > 80 ? task.question.slice(0, 80) + '…' : task.question));
  b.append(el('div', 'tag', task.candidates.length + ' candidates · ' + task.repairs.length + ' repaired · ' + task.hard.length + ' hard'));
  b.addEventListener('click', () => show(i));
  list.append(b);
});
if (data.tasks.length > 0) show(Math.max(0, data.tasks.findIndex((t) => t.repairs.length > 0)));
`;

function rlTable(rl: NonNullable<ReportData['rl']>): string {
  const names = rl.componentNames;
  const head = `<tr><th>group / rollout</th>${names.map((n) => `<th>${escapeHtml(n)}</th>`).join('')}<th>total</th><th>advantage</th><th>answer</th></tr>`;
  const rows = rl.groups
    .slice(0, 40)
    .flatMap((g) =>
      g.rollouts.map((r, i) => {
        const adv = r.advantage;
        const cls = adv === null ? '' : adv > 0 ? 'pos' : adv < 0 ? 'neg' : '';
        return `<tr data-group="${escapeHtml(g.groupId)}"><td title="${escapeHtml(g.groupId)}">${i === 0 ? escapeHtml(g.groupId.length > 28 ? `${g.groupId.slice(0, 28)}…` : g.groupId) : ''} #${r.index}</td>${names.map((n) => `<td>${(r.components[n] ?? 0).toFixed(3)}</td>`).join('')}<td>${r.total.toFixed(3)}</td><td class="${cls}">${adv === null ? '—' : adv.toFixed(3)}</td><td>${escapeHtml(r.finalAnswer ?? '—')}</td></tr>`;
      }),
    )
    .join('');
  const more =
    rl.groups.length > 40 ? `<p class="meta">First 40 of ${rl.groups.length} groups.</p>` : '';
  return `<table class="rl">${head}${rows}</table>${more}`;
}

/** Which reward terms the rollouts were scored with, and how many groups carry no signal. */
function rlNote(rl: NonNullable<ReportData['rl']>): string {
  const withRm = rl.componentNames.includes('trajectoryModel');
  const terms = withRm
    ? 'Rewards: format + outcome + reward model.'
    : 'Rewards: format + outcome only (no reward-model term).';
  const zero =
    rl.zeroVarianceGroups === 0
      ? ''
      : ` ${rl.zeroVarianceGroups} of ${rl.groups.length} groups gave every rollout the same reward: zero advantages, no learning signal.`;
  return `<p class="meta" id="rl-terms">${terms}${zero}</p>`;
}

/** `autotraj train-sft`: what was trained on what, and the loss curve. */
function sftSection(data: ReportData): string {
  const t = data.sftTraining;
  if (t === undefined || t === null) return '';
  const method =
    t.method === 'lora' && t.lora !== null
      ? `LoRA r=${t.lora.r}, alpha ${t.lora.alpha}`
      : 'full fine-tune';
  const facts = [
    `${escapeHtml(t.base)} (${t.baseKind}), ${method}, on ${t.device}`,
    `${t.trainedRows} of ${t.rows} rows trained${t.tooLongRows.length === 0 ? '' : ` (${t.tooLongRows.length} longer than ${t.maxLength} tokens left out)`}${t.duplicateRecords.length === 0 ? '' : `, ${t.duplicateRecords.length} exact duplicate records left out`}; ${t.trainedTokens} of ${t.tokens} tokens in the loss (prompt and tool output masked)`,
    `${t.steps} steps (batch ${t.batchSize} x ${t.gradientAccumulation}, learning rate ${t.learningRate}), ${formatDuration(t.trainSeconds * 1000)}${t.tokensPerSecond === null ? '' : `, ${t.tokensPerSecond.toFixed(1)} tokens/s`}${t.resumedFrom === null ? '' : `; resumed from ${escapeHtml(t.resumedFrom)}`}`,
  ];
  // What was left out before training, after the base line (reports written before the gate
  // at training have neither).
  facts.splice(
    1,
    0,
    ...(t.selection !== undefined && t.selection.origin !== null
      ? [
          `${t.selection.records} records read; --origin ${t.selection.origin} left out ${t.selection.removedByOrigin}`,
        ]
      : []),
    ...(t.admission === undefined
      ? []
      : [
          `<span id="sft-admission">${escapeHtml(admissionTallyNote(t.admission, 'SFT records'))}</span>`,
        ]),
  );
  const outputs = Object.entries(t.outputs)
    .map(([k, v]) => `${escapeHtml(k)}: ${escapeHtml(String(v))}`)
    .join(' · ');
  return `<section id="sft-training" class="wide"><h2>SFT training: loss by step</h2>${lineSvg(
    t.losses.map((l) => ({ x: l.step, y: l.loss })),
    { label: 'training loss', xLabel: 'optimizer step' },
  )}<ul class="meta">${facts.map((f) => `<li>${f}</li>`).join('')}<li>${outputs}</li></ul></section>`;
}

/** A GRPO run through TRL with our rewards: mean group reward by step. */
function grpoSection(data: ReportData): string {
  const g = data.grpo;
  if (g === undefined || g === null) return '';
  const zero = g.rewards.filter((r) => r.rewardStd === 0).length;
  // Per group where TRL logged it (older reports have only the step's mean std).
  const perGroup = g.rewards.every((r) => typeof r.zeroStdShare === 'number')
    ? ` ${Math.round(g.rewards.reduce((sum, r) => sum + (r.zeroStdShare ?? 0) * g.promptsPerStep, 0))} of ${g.rewards.length * g.promptsPerStep} groups had one reward for all ${g.groupSize} completions (zero advantages).`
    : '';
  const clipped = g.rewards.every((r) => typeof r.clippedShare === 'number')
    ? ` ${Math.round(g.rewards.reduce((sum, r) => sum + (r.clippedShare ?? 0), 0) * g.promptsPerStep * g.groupSize)} of ${g.rewards.length * g.promptsPerStep * g.groupSize} completions were cut at the length limit.`
    : '';
  const tools =
    g.tools === undefined
      ? ''
      : g.tools === null
        ? ' Completions were generated in one pass: no tool call ran.'
        : ` The policy's tool calls ran in the sandbox: ${g.tools.toolCalls} in ${g.tools.completions} completions, ${g.tools.toolErrors} answered with an error${g.tools.budgetCut > 0 ? `; tool output cut at the length limit in ${g.tools.budgetCut}` : ''} (counted since the run last started).`;
  return `<section id="grpo" class="wide"><h2>GRPO (TRL): mean reward by step</h2>${lineSvg(
    g.rewards.map((r) => ({ x: r.step, y: r.reward })),
    { label: 'mean reward', xLabel: 'optimizer step' },
  )}<p class="meta">${escapeHtml(g.policy)}: ${g.steps} steps of ${g.promptsPerStep} prompts x ${g.groupSize} completions, ${formatDuration(g.trainSeconds * 1000)}. ${zero} of ${g.rewards.length} steps had the same reward for every completion (no learning signal).${perGroup}${clipped}${tools}</p></section>`;
}

/** `autotraj run`'s own account: model, sampling, and each stage's status and statements. */
function summarySection(data: ReportData): string {
  const s = data.summary;
  if (s === null) return '';
  const sampling = `${s.sampling.taskCount} tasks, ${s.sampling.n} candidates per task, RL groups of ${s.sampling.groupSize}, temperature ${s.sampling.temperature} (sample i of a task seeded from run seed 0, the task id and i), ${s.sampling.maxTokens === null ? "the server's output-token limit" : `at most ${s.sampling.maxTokens} output tokens per call`}`;
  const stages = (['synthesize', 'train-rm', 'rollout'] as const)
    .map((name) => {
      const stage = s.stages[name];
      return `<li data-stage-status="${escapeHtml(name)}"><b>${escapeHtml(name)}: ${escapeHtml(stage.status)}</b><ul>${stage.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul></li>`;
    })
    .join('');
  return `<section id="what-happened" class="wide"><h2>What happened</h2><p class="meta">${escapeHtml(sampling)}</p><ul>${stages}</ul></section>`;
}

/**
 * A `train-sft` or GRPO output directory holds a training and nothing of the pipeline: its page
 * is the training, not a funnel of zeros and empty charts.
 */
function trainingOnly(data: ReportData): boolean {
  const training = (data.sftTraining ?? null) !== null || (data.grpo ?? null) !== null;
  const pipeline =
    data.funnel.some((stage) => stage.value > 0) ||
    data.qualityBefore.length > 0 ||
    data.rewardModel !== null ||
    data.rewardModelSkipped !== null ||
    data.rl !== null ||
    data.tasks.length > 0 ||
    data.summary !== null;
  return training && !pipeline;
}

/** A self-contained HTML page (inline CSS, SVG and script; no network) for a run. */
export function renderReportHtml(data: ReportData): string {
  const rm = data.rewardModel;
  const rmSection =
    data.rewardModelSkipped !== null
      ? `<p class="empty" id="rm-skipped">No reward model: ${escapeHtml(data.rewardModelSkipped)}.</p>`
      : rm === null
        ? '<p class="empty">No reward model in this run.</p>'
        : `${histogramSvg(
            [
              { name: 'chosen (repaired)', values: rm.chosen, className: 'chosen' },
              { name: 'rejected (original)', values: rm.rejected, className: 'rejected' },
            ],
            { label: 'reward-model score' },
          )}<p class="meta">Pairwise accuracy on all ${rm.chosen.length} pairs (training pairs included): <b id="rm-accuracy">${rm.accuracy.toFixed(3)}</b>${rm.heldOutAccuracy === null ? ' · no held-out split measured' : ` · held out: ${rm.heldOutAccuracy.toFixed(3)}`}${rm.lengthBaseline === null ? '' : ` · length baseline: ${rm.lengthBaseline.toFixed(3)}`}</p>${rm.admission === null ? '' : `<p class="meta" id="rm-admission">${escapeHtml(admissionTallyNote(rm.admission, 'preference pairs'))}</p>`}`;
  const qualitySection = `${histogramSvg(
    [
      { name: 'candidates (before)', values: data.qualityBefore, className: 'before' },
      ...(data.qualityAfter.length === 0
        ? []
        : [{ name: 'SFT set (after)', values: data.qualityAfter, className: 'after' }]),
    ],
    { label: 'quality score', min: 0, max: 1 },
  )}${data.qualityBefore.length > 0 && data.qualityAfter.length === 0 ? '<p class="empty" id="sft-empty">The SFT set is empty: no candidate was kept and no repair was accepted, so there are no after-repair scores.</p>' : ''}`;
  const pipelineSections = `<section id="funnel"><h2>Pipeline funnel</h2>${funnelSvg(data.funnel)}${data.admission == null ? '' : `<p class="meta" id="admission">${escapeHtml(admissionNote(data.admission))}.</p>`}</section>
<section id="quality"><h2>Quality scores before and after repair</h2>${qualitySection}</section>
<section id="reward-model"><h2>Reward model: chosen vs rejected</h2>${rmSection}</section>
<section id="rl" class="wide"><h2>RL groups: reward components and advantages</h2>${data.rl === null ? '<p class="empty">No RL rollouts in this run.</p>' : `${rlNote(data.rl)}${rlTable(data.rl)}`}</section>
<section id="tasks" class="wide"><h2>Tasks</h2><div class="browser"><nav id="task-list" class="task-list"></nav><div id="task-view"></div></div></section>`;
  // `<` escaped so task text can never close the script element.
  const json = JSON.stringify({ tasks: data.tasks }).replaceAll('<', '\\u003c');
  const unreadable =
    data.unreadable.length === 0
      ? ''
      : `<section class="wide"><h2>Unreadable lines</h2><ul>${data.unreadable.map((u) => `<li>${escapeHtml(u.message)}</li>`).join('')}</ul></section>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>AutoTraj report</title><style>${STYLE}</style></head>
<body>
<header><h1>AutoTraj run report</h1><p>${escapeHtml(data.runDir)}</p>${data.summary === null ? '' : `<p id="run-model">model: ${escapeHtml(data.summary.model.name)} (${escapeHtml(data.summary.model.mode)})</p>`}${trainingOnly(data) ? '' : `<p>evaluator preset: ${escapeHtml(data.presets?.evaluator ?? 'not recorded')} · reward preset: ${escapeHtml(data.presets?.reward ?? 'not recorded')}</p>`}</header>
<main>
${summarySection(data)}
${sftSection(data)}
${grpoSection(data)}
${trainingOnly(data) ? '' : pipelineSections}
${unreadable}
</main>
<script type="application/json" id="report-data">${json}</script>
<script>${SCRIPT}</script>
</body></html>
`;
}
