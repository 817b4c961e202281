import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportOnnx, gsm8kCorrectnessPairs, trainRewardModel } from '@autotraj/reward-model';
import {
  contentId,
  gsm8kCalculatorCodec,
  gsm8kModelSolutionTrajectories,
  type PreferencePair,
  renderWithLossMask,
} from '@autotraj/trajectory';
import { chromium } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { run, sharedData } from '../test-support/run.js';
import { gatherReportData } from './gather.js';
import { renderReportHtml } from './render-html.js';

const CHROMIUM = '/usr/bin/chromium';
// CI installs Debian's Chromium and sets this, so there the browser test can never be skipped.
const requireBrowser = process.env.AUTOTRAJ_REQUIRE_BROWSER === '1';
const runDir = mkdtempSync(join(tmpdir(), 'autotraj-report-'));
const lines = (rows: unknown[]) => `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`;

/**
 * A run directory from real GSM8K model solutions: correct ones kept, wrong ones "repaired"
 * by a correct solution of the same problem, a reward model trained on those pairs, and RL
 * groups over the same trajectories. Small, but every file is the real record type.
 */
beforeAll(async () => {
  const records = readFileSync(sharedData('gsm8k/model-solutions.dev.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .slice(0, 30)
    .map((l) => JSON.parse(l));
  const candidates: unknown[] = [];
  const sft: unknown[] = [];
  const pairs: PreferencePair[] = [];
  const hard: unknown[] = [];
  const rollouts: unknown[] = [];
  for (const record of records) {
    const { task, solutions } = gsm8kModelSolutionTrajectories(record);
    const good = solutions.find((s) => s.isCorrect);
    solutions.forEach((s, index) => {
      const action = s.isCorrect ? 'keep' : 'repair';
      candidates.push({
        id: s.trajectory.id,
        taskId: task.id,
        index,
        trajectory: s.trajectory,
        correct: s.isCorrect,
        quality: s.isCorrect ? 0.93 : 0.55,
        diagnostics: s.isCorrect
          ? []
          : [
              {
                stepIndex: 1,
                code: 'correctness/wrong-answer',
                message: `expected ${task.goldAnswers[0]}`,
              },
            ],
        decision: { action, reason: s.isCorrect ? 'high quality' : 'wrong-answer' },
      });
      const rendered = renderWithLossMask(s.trajectory.steps, gsm8kCalculatorCodec);
      if (s.isCorrect)
        sft.push({
          id: contentId('sft', s.trajectory.id),
          taskId: task.id,
          question: task.question,
          trajectory: s.trajectory,
          origin: 'kept',
          quality: 0.93,
          rendered,
        });
      else if (good) {
        sft.push({
          id: contentId('sft', [s.trajectory.id, 'r']),
          taskId: task.id,
          question: task.question,
          trajectory: good.trajectory,
          origin: 'repaired',
          quality: 0.88,
          rendered: renderWithLossMask(good.trajectory.steps, gsm8kCalculatorCodec),
        });
      } else
        hard.push({
          id: contentId('hard', s.trajectory.id),
          taskId: task.id,
          question: task.question,
          original: s.trajectory,
          originalReport: { correct: false, quality: 0.55, diagnostics: [] },
          lastAttempt: null,
          lastReport: null,
          attempts: 2,
          reason: 'repair never reached the acceptance threshold',
        });
      rollouts.push({
        id: contentId('roll', [task.id, index]),
        taskId: task.id,
        groupId: `g-${task.id}`,
        rolloutIndex: index,
        prompt: task.question,
        trajectory: s.trajectory,
        reward: {
          total: s.isCorrect ? 1.1 : 0,
          components: { format: 0, outcome: s.isCorrect ? 1 : 0, rm: 0.5 },
        },
        advantage: s.isCorrect ? 0.8 : -0.8,
        rendered,
      });
    });
    pairs.push(...gsm8kCorrectnessPairs([record]));
  }
  writeFileSync(join(runDir, 'candidates.jsonl'), lines(candidates));
  writeFileSync(join(runDir, 'sft.jsonl'), lines(sft));
  writeFileSync(join(runDir, 'pairs.jsonl'), `${lines(pairs)}{"cut off`);
  writeFileSync(join(runDir, 'hard.jsonl'), lines(hard));
  writeFileSync(join(runDir, 'rollouts.jsonl'), lines(rollouts));
  const { model } = trainRewardModel({ pairs, seed: 1, epochs: 5 });
  await exportOnnx(model, { path: join(runDir, 'model.onnx') });
}, 60_000);

describe('autotraj report', () => {
  it('gathers the funnel, score distributions, RM scores and RL groups from a run directory', async () => {
    const data = await gatherReportData(runDir);
    const funnel = Object.fromEntries(data.funnel.map((s) => [s.label, s.value]));
    expect(funnel).toMatchObject({ tasks: 30, candidates: 120 });
    expect(funnel.kept! + funnel['sent to repair']!).toBe(120);
    expect(data.rewardModel?.chosen.length).toBeGreaterThan(10);
    expect(data.rewardModel!.accuracy).toBeGreaterThan(0.5);
    expect(data.rl?.groups).toHaveLength(30);
    expect(data.tasks.some((t) => t.repairs.length > 0)).toBe(true);
    // The cut-off last line of pairs.jsonl is reported, not silently skipped.
    expect(data.unreadable.map((u) => u.message).join('\n')).toMatch(
      /pairs\.jsonl, line \d+: last line is cut off/,
    );
  });

  it('states what the admission gate dropped, on its own line, from the synthesis manifest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'autotraj-report-admission-'));
    writeFileSync(join(dir, 'candidates.jsonl'), '');
    const counts = { sft: 3, pairs: 1, droppedSft: 2, droppedPairs: 1 };
    const byReason = { 'paper-format': 0, 'prompt-meta-text': 2, 'token-limit': 1 };
    writeFileSync(
      join(dir, 'manifest.json'),
      JSON.stringify({
        admission: 'well-formed',
        counts: { ...counts, droppedByReason: byReason },
      }),
    );
    const data = await gatherReportData(dir);
    expect(data.admission).toEqual({
      mode: 'well-formed',
      droppedSft: 2,
      droppedPairs: 1,
      byReason,
    });
    expect(data.funnel).toContainEqual({ label: 'dropped by admission (SFT)', value: 2 });
    expect(renderReportHtml(data)).toContain(
      '<p class="meta" id="admission">admission gate dropped 2 SFT record(s) and 1 preference pair(s) unfit to train on, kept in dropped.jsonl (by reason: prompt-meta-text 2, token-limit 1).</p>',
    );
  });

  it('keeps task text from closing the data script', () => {
    const html = renderReportHtml({
      runDir: '/x',
      files: {} as never,
      funnel: [],
      qualityBefore: [],
      qualityAfter: [],
      rewardModel: null,
      rewardModelSkipped: null,
      rl: null,
      summary: null,
      unreadable: [],
      tasks: [
        {
          taskId: 't',
          question: '</script><script>alert(1)</script>',
          candidates: [],
          repairs: [],
          hard: [],
        },
      ],
    });
    expect(html).not.toContain('</script><script>alert(1)');
  });

  it("shows train-sft's loss curve, and keeps it apart from the reward model's report", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'autotraj-sft-report-'));
    const report = {
      base: '/models/base.gguf',
      baseKind: 'gguf',
      method: 'lora',
      lora: { r: 8, alpha: 16, dropout: 0.05, targetModules: 'all-linear' },
      rows: 5,
      trainedRows: 4,
      tooLongRows: [3],
      maxLength: 512,
      tokens: 2000,
      trainedTokens: 700,
      epochs: 1,
      steps: 3,
      batchSize: 1,
      gradientAccumulation: 1,
      learningRate: 0.0001,
      seed: 1,
      device: 'cpu',
      resumedFrom: null,
      losses: [
        { step: 1, epoch: 0.25, loss: 1.5 },
        { step: 2, epoch: 0.5, loss: 1.2 },
        { step: 3, epoch: 0.75, loss: 0.9 },
      ],
      finalLoss: 0.9,
      loadSeconds: 20,
      trainSeconds: 30,
      tokensPerSecond: 60,
      convertSeconds: 5,
      outputs: { adapterGguf: '/out/adapter.gguf' },
    };
    writeFileSync(join(dir, 'training-report.json'), JSON.stringify(report));
    const data = await gatherReportData(dir);
    expect(data.files.trainingReport).toBeNull();
    expect(data.sftTraining?.losses.map((l) => l.loss)).toEqual([1.5, 1.2, 0.9]);
    const result = await run(['report', dir]);
    expect(result.code).toBe(0);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toContain('SFT training: loss by step');
    expect(html).toContain('4 of 5 rows trained (1 longer than 512 tokens left out)');
    // One point per logged step: a move then two lines.
    expect(html).toMatch(
      /<path d="M[\d.]+,[\d.]+ L[\d.]+,[\d.]+ L[\d.]+,[\d.]+" class="series"\/>/,
    );
    // A training directory's page is the training, not a funnel of zeros and empty charts.
    for (const empty of [
      'id="funnel"',
      'id="quality"',
      'id="reward-model"',
      'id="rl"',
      'id="tasks"',
    ])
      expect(html, empty).not.toContain(empty);
    expect(html).not.toContain('evaluator preset');
    // A report without the gate's figures (written before it) says nothing of it.
    expect(html).not.toContain('sft-admission');
    const gated = {
      ...report,
      selection: { records: 10, origin: 'kept', removedByOrigin: 3 },
      admission: {
        mode: 'well-formed',
        given: 7,
        admitted: 5,
        dropped: 2,
        droppedByReason: { 'prose-arithmetic-error': 1, 'whole-number-as-decimal': 1 },
      },
    };
    writeFileSync(join(dir, 'training-report.json'), JSON.stringify(gated));
    expect((await run(['report', dir])).code).toBe(0);
    const gatedHtml = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(gatedHtml).toContain('10 records read; --origin kept left out 3');
    expect(gatedHtml).toContain(
      'admission gate refused 2 of 7 SFT records, not trained on, kept in dropped.jsonl (by reason: prose-arithmetic-error 1, whole-number-as-decimal 1)',
    );
  });

  it("draws a GRPO run's reward by step and says how many steps had no learning signal", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'autotraj-grpo-report-'));
    writeFileSync(
      join(dir, 'grpo-report.json'),
      JSON.stringify({
        policy: 'smollm2-sft/hf',
        steps: 3,
        groupSize: 4,
        promptsPerStep: 2,
        trainSeconds: 300,
        tools: { completions: 24, toolCalls: 19, toolErrors: 2, budgetCut: 1 },
        rewards: [
          {
            step: 1,
            reward: -1,
            rewardStd: 0,
            completionLength: 170,
            zeroStdShare: 1,
            clippedShare: 0.5,
          },
          {
            step: 2,
            reward: -0.5,
            rewardStd: 0.9,
            completionLength: 160,
            zeroStdShare: 0.5,
            clippedShare: 0.25,
          },
          {
            step: 3,
            reward: 0.25,
            rewardStd: 1.1,
            completionLength: 150,
            zeroStdShare: 0,
            clippedShare: 0,
          },
        ],
      }),
    );
    const result = await run(['report', dir]);
    expect(result.code).toBe(0);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toContain('GRPO (TRL): mean reward by step');
    expect(html).toContain('3 steps of 2 prompts x 4 completions');
    expect(html).toContain('1 of 3 steps had the same reward for every completion');
    expect(html).toContain('3 of 6 groups had one reward for all 4 completions');
    expect(html).toContain('6 of 24 completions were cut at the length limit');
    expect(html).toContain(
      'tool calls ran in the sandbox: 19 in 24 completions, 2 answered with an error; tool output cut at the length limit in 1',
    );
    expect(html).not.toContain('id="funnel"');
  });

  it('fails clearly on a directory without run artefacts', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'autotraj-empty-'));
    const result = await run(['report', empty]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/no run artefacts found/);
  });

  it.skipIf(!existsSync(CHROMIUM) && !requireBrowser)(
    'renders in a real browser: charts, RL table and the side-by-side task browser',
    async () => {
      const result = await run(['report', runDir]);
      expect(result.code).toBe(0);
      const page = join(runDir, 'report.html');
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      });
      try {
        const tab = await browser.newPage({ viewport: { width: 1400, height: 1800 } });
        const errors: string[] = [];
        tab.on('pageerror', (e) => errors.push(e.message));
        await tab.goto(`file://${page}`);
        await expect(
          tab.locator('#funnel [data-stage="candidates"] .value').textContent(),
        ).resolves.toBe('120');
        expect(await tab.locator('#quality svg rect.before').count()).toBeGreaterThan(0);
        expect(await tab.locator('#reward-model svg rect.chosen').count()).toBeGreaterThan(0);
        expect(await tab.locator('#rl tr[data-group]').count()).toBe(120);
        // The browser opens on a repaired task: original and repaired side by side, diagnostics flagged.
        const repair = tab.locator('#task-view .side-by-side.repair').first();
        await expect(repair.locator('.traj h3').allTextContents()).resolves.toEqual([
          'Original',
          'Repaired',
        ]);
        expect(
          await repair.locator('.traj').first().locator('.step.flagged .diag').count(),
        ).toBeGreaterThan(0);
        expect(await repair.locator('.step.tool-call').count()).toBeGreaterThan(0);
        expect(await repair.locator('.step.tool-result').count()).toBeGreaterThan(0);
        // Clicking another task shows it.
        const buttons = tab.locator('#task-list button');
        expect(await buttons.count()).toBe(30);
        await buttons.nth(3).click();
        await expect(
          tab.locator('#task-list button.active').getAttribute('data-index'),
        ).resolves.toBe('3');
        await tab.mouse.wheel(0, -100_000);
        await tab.screenshot({ path: join(runDir, 'report.png'), fullPage: false });
        expect(readFileSync(join(runDir, 'report.png')).length).toBeGreaterThan(10_000);
        expect(errors).toEqual([]);
      } finally {
        await browser.close();
      }
    },
    60_000,
  );
});
