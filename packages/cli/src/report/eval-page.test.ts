import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchmarkPath } from '@autotraj/benchmarks';
import { startLoopbackServer } from '@autotraj/generation/testing';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evalPolicyReply } from '../test-support/eval-policy.js';
import { run } from '../test-support/run.js';
import { gatherEvalReport, renderEvalReportHtml } from './eval-page.js';

const CHROMIUM = '/usr/bin/chromium';
// CI installs Debian's Chromium and sets this, so there the browser test can never be skipped.
const requireBrowser = process.env.AUTOTRAJ_REQUIRE_BROWSER === '1';
const corpus = new URL('../../../benchmarks/data/qa-sample-corpus.jsonl', import.meta.url).pathname;
const files = [benchmarkPath('gsm8k-test'), benchmarkPath('bamboogle')];
let dir: string;
let base: string;
let tuned: string;

/** Two real `autotraj eval` runs over the loopback server: a base policy and one that fixes question 1 and breaks question 2. */
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'autotraj-eval-report-'));
  base = join(dir, 'base');
  tuned = join(dir, 'tuned');
  for (const [out, isWrong] of [
    [base, (i: number) => i % 3 === 1],
    [tuned, (i: number) => i === 2],
  ] as const) {
    const server = await startLoopbackServer({ reply: evalPolicyReply(files, isWrong) });
    try {
      const result = await run([
        'eval',
        '--benchmark',
        'gsm8k-test,bamboogle',
        '--limit',
        '4',
        '--corpus',
        corpus,
        '--model',
        'vllm:scripted',
        '--base-url',
        server.baseURL,
        '--out',
        out,
      ]);
      expect(result.code, result.stderr).toBe(0);
    } finally {
      await server.close();
    }
  }
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the evaluation report page', () => {
  it('gathers both runs, marks the questions where they differ and escapes question text', async () => {
    const data = await gatherEvalReport([base, tuned]);
    expect(data.runs.map((r) => r.results.map((b) => [b.benchmark, b.accuracy]))).toEqual([
      [
        ['gsm8k-test', 0.75],
        ['bamboogle', 0.75],
      ],
      [
        ['gsm8k-test', 0.75],
        ['bamboogle', 0.75],
      ],
    ]);
    // Question 1 was fixed and question 2 broken, in each benchmark.
    expect(data.questions.filter((q) => q.differs).map((q) => q.questionId)).toEqual([
      'gsm8k-test-1',
      'gsm8k-test-2',
      'bamboogle-1',
      'bamboogle-2',
    ]);
    expect(data.comparison!.benchmarks[0]!.runs[1]!.delta!.delta).toBe(0);
    const html = renderEvalReportHtml({
      ...data,
      questions: [{ ...data.questions[0]!, question: '</script><script>alert(1)</script>' }],
    });
    expect(html).not.toContain('</script><script>alert(1)');
  });

  it.skipIf(!existsSync(CHROMIUM) && !requireBrowser)(
    'renders in a real browser: accuracy bars, statistics, comparison and the question browser',
    async () => {
      const result = await run(['report', base, '--compare', tuned]);
      expect(result.code).toBe(0);
      const page = join(base, 'report.html');
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
        const tab = await browser.newPage({ viewport: { width: 1400, height: 1600 } });
        const errors: string[] = [];
        tab.on('pageerror', (e) => errors.push(e.message));
        await tab.goto(`file://${page}`);
        await expect(
          tab
            .locator('#accuracy [data-category="bamboogle"] rect')
            .first()
            .getAttribute('data-value'),
        ).resolves.toBe('0.7500');
        expect(await tab.locator('#accuracy rect[data-series]').count()).toBe(4);
        expect(await tab.locator('#statistics tr[data-benchmark]').count()).toBe(4);
        await expect(
          tab.locator('#comparison tr[data-benchmark="gsm8k-test"] td').allTextContents(),
        ).resolves.toEqual([
          'gsm8k-test',
          '4',
          '75.0',
          '75.0',
          expect.stringMatching(/^\+0\.0 \[-?\d+\.\d, \+\d+\.\d\]$/),
        ]);
        // With two runs the browser lists only the questions where they differ, side by side.
        const buttons = tab.locator('#question-list button');
        expect(await buttons.count()).toBe(4);
        const boxes = tab.locator('#question-view .traj');
        await expect(
          boxes.evaluateAll((els) =>
            els.map((e) => [e.getAttribute('data-run'), e.getAttribute('data-correct')]),
          ),
        ).resolves.toEqual([
          [base, 'false'],
          [tuned, 'true'],
        ]);
        expect(await tab.locator('#question-view .step.tool-result').count()).toBe(2);
        await buttons.nth(2).click();
        await expect(
          tab.locator('#question-view .step.tool-result').first().textContent(),
        ).resolves.toMatch(/Voyager 2/);
        // Unticking the filter lists every question.
        await tab.locator('#only-differ').uncheck();
        expect(await buttons.count()).toBe(8);
        await tab.screenshot({ path: join(dir, 'eval-report.png') });
        expect(readFileSync(join(dir, 'eval-report.png')).length).toBeGreaterThan(10_000);
        expect(errors).toEqual([]);
      } finally {
        await browser.close();
      }
    },
    60_000,
  );
});
