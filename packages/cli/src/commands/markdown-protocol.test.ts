import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchmarkPath } from '@autotraj/benchmarks';
import {
  assistantPrefix,
  type LoopbackChatRequest,
  type LoopbackServer,
  startLoopbackServer,
} from '@autotraj/generation/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../test-support/run.js';

// A Qwen2.5-like policy: it writes a ```python block that prints the gold answer of the question
// it is asked (read from the benchmark file), then invents a wrong ```output block, which the
// protocol's stop sequence must cut; after the real output it answers with the printed value.
const gold = new Map<string, string>(
  readFileSync(benchmarkPath('gsm8k-test'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .slice(0, 3)
    .map((line) => JSON.parse(line) as { question: string; answer: string })
    .map(({ question, answer }) => [question, answer.replace(/[{}]/g, '')]),
);

function qwenLike(request: LoopbackChatRequest): { text: string } {
  const printed = /```output\n([\s\S]*?)\n```/.exec(assistantPrefix(request.messages));
  if (printed !== null) return { text: `It printed ${printed[1]}, so \\boxed{${printed[1]}}.` };
  const question = JSON.stringify(request.messages);
  const answer = [...gold].find(([q]) => question.includes(JSON.stringify(q).slice(1, 40)))?.[1];
  return {
    text: `Compute it.\n\`\`\`python\nprint(${answer ?? 0})\n\`\`\`\n\`\`\`output\n-1\n\`\`\`\n\\boxed{-1}`,
  };
}

let dir: string;
let server: LoopbackServer;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'autotraj-markdown-'));
  server = await startLoopbackServer({ reply: qwenLike });
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const lines = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));

describe('--protocol markdown', () => {
  it('eval: runs each ```python block in the sandbox and scores the boxed answer', async () => {
    const out = join(dir, 'eval');
    const result = await run([
      'eval',
      ...['--benchmark', 'gsm8k-test', '--limit', '2', '--protocol', 'markdown'],
      ...['--model', 'vllm:qwen', '--base-url', server.baseURL, '--out', out, '--json'],
    ]);
    expect(result.stderr).toMatch(/eval: 2\/2 samples/);
    expect(result.code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.settings.protocol).toBe('markdown');
    const records = lines(join(out, 'records.jsonl'));
    for (const r of records) {
      expect(r.trajectory.provenance.format).toBe('markdown-tir');
      // The real Python output, not the invented -1.
      const result = r.trajectory.steps.find((s: { type: string }) => s.type === 'tool-result');
      expect(result.output).toBe(r.goldAnswers[0]);
      expect(r.verdict).toMatchObject({ correct: true, toolCalls: 1, formatViolations: 0 });
    }
    expect(server.requests.some((r) => r.stop.includes('```output'))).toBe(true);
  }, 60_000);

  it('eval: refuses QA benchmarks (markdown has python blocks, no search)', async () => {
    const corpus = new URL('../../../benchmarks/data/qa-sample-corpus.jsonl', import.meta.url)
      .pathname;
    const result = await run([
      'eval',
      ...['--benchmark', 'bamboogle', '--limit', '1', '--corpus', corpus],
      ...['--protocol', 'markdown', '--model', 'vllm:qwen', '--base-url', server.baseURL],
      ...['--out', join(dir, 'qa')],
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--protocol markdown runs ```python blocks only');
  });

  it('synthesize and rollout generate markdown trajectories', async () => {
    const tasks = join(dir, 'tasks.jsonl');
    writeFileSync(
      tasks,
      `${readFileSync(benchmarkPath('gsm8k-test'), 'utf8')
        .split('\n')
        .slice(0, 1)
        .map((line) => {
          const { id, question, answer } = JSON.parse(line);
          return JSON.stringify({ id, question, goldAnswers: [answer.replace(/[{}]/g, '')] });
        })
        .join('\n')}\n`,
    );
    const model = ['--model', 'vllm:qwen', '--base-url', server.baseURL];
    const synthesis = join(dir, 'synthesis');
    const synthesized = await run([
      'synthesize',
      ...['--tasks', tasks, '--n', '1', '--protocol', 'markdown', '--out', synthesis],
      ...model,
    ]);
    expect(synthesized.code).toBe(0);
    const [candidate] = lines(join(synthesis, 'candidates.jsonl'));
    expect(candidate.trajectory.provenance.format).toBe('markdown-tir');
    expect(candidate.trajectory.finalAnswer).toBe('18');

    const rl = join(dir, 'rl');
    const rolled = await run([
      'rollout',
      ...['--prompts', tasks, '--group-size', '2', '--protocol', 'markdown', '--out', rl],
      ...model,
    ]);
    expect(rolled.code).toBe(0);
    for (const r of lines(join(rl, 'rollouts.jsonl'))) {
      expect(r.rendered.format).toBe('markdown-tir');
      expect(r.rendered.text).toContain('```python\nprint(18)\n```\n```output\n18\n```');
    }
  }, 60_000);

  it('run: says the offline demo cassette cannot answer it; a bad protocol lists the choices', async () => {
    const offline = await run(['run', '--protocol', 'markdown', '--out', join(dir, 'run')]);
    expect(offline.code).toBe(2);
    expect(offline.stderr).toContain('--protocol markdown needs a live model');
    const bad = await run(['eval', '--protocol', 'md', '--benchmark', 'gsm8k-test', '--out', dir]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--protocol must be one of text-tags, markdown, native');
  });
});
