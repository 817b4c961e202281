import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLoopbackServer } from '@autotraj/generation/testing';
import { describe, expect, it } from 'vitest';
import { run } from '../test-support/run.js';

const lines = (path: string) => readFileSync(path, 'utf8').trim().split('\n').filter(Boolean);

describe('autotraj run (the whole method, offline)', () => {
  it('synthesizes, trains the reward model, rolls out, reports; a second run resumes', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'autotraj-run-')), 'demo');
    const first = await run(['run', '--out', out, '--limit', '6', '--concurrency', '4']);
    expect(first.code, first.stderr).toBe(0);
    for (const file of [
      'synthesis/sft.jsonl',
      'synthesis/pairs.jsonl',
      'synthesis/candidates.jsonl',
      'reward-model/model.onnx',
      'rl/rollouts.jsonl',
      'report.html',
    ]) {
      expect(existsSync(join(out, file)), file).toBe(true);
    }
    expect(lines(join(out, 'synthesis/candidates.jsonl'))).toHaveLength(24);
    const rollouts = lines(join(out, 'rl/rollouts.jsonl')).map((l) => JSON.parse(l));
    expect(rollouts).toHaveLength(24);
    // The reward model is consulted for every rollout with a positive outcome (paper reward).
    const positive = rollouts.filter((r) => r.reward.components.outcome > 0);
    expect(positive.length).toBeGreaterThan(0);
    for (const r of positive) expect(r.reward.components).toHaveProperty('trajectoryModel');
    expect(rollouts.every((r) => typeof r.advantage === 'number')).toBe(true);
    expect(first.stdout).toMatch(/RL rollouts\s+\S+rl\/rollouts\.jsonl/);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('Pipeline funnel');

    const second = await run(['run', '--out', out, '--limit', '6', '--concurrency', '4']);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/resumed \(done earlier\)\s+6/);
    expect(second.stderr).toMatch(/model\.onnx is current/);
    expect(second.stdout).toMatch(/groups already done \(resume\)\s+6/);
    expect(lines(join(out, 'rl/rollouts.jsonl'))).toHaveLength(24);
  }, 120_000);

  it('goes live with --base-url: every stage talks to the OpenAI-compatible endpoint', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'autotraj-run-live-'));
    const tasks = join(dir, 'tasks.jsonl');
    writeFileSync(
      tasks,
      ['What is 6 times 7?', 'What is 5 times 8?']
        .map((question, i) => JSON.stringify({ question, answer: `#### ${i === 0 ? 42 : 40}` }))
        .join('\n'),
    );
    const text = (request: { messages: { content?: unknown }[] }) =>
      request.messages
        .map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content ?? '')))
        .join('\n');
    // A scripted model: first answers hedge (correct but low quality); asked to repair a
    // hedging trajectory, it answers cleanly, so the run has pairs to train on.
    const server = await startLoopbackServer({
      reply: (request) => {
        const all = text(request);
        const answer = all.includes('6 times 7') ? 42 : 40;
        if (all.includes('probably'))
          return { text: `<think>Multiply.</think>\n<answer>\\boxed{${answer}}</answer>` };
        return {
          text: `<think>It is probably ${answer}, maybe.</think>\n<answer>\\boxed{${answer}}</answer>`,
        };
      },
    });
    try {
      const out = join(dir, 'live');
      const result = await run([
        'run',
        '--out',
        out,
        '--tasks',
        tasks,
        '--base-url',
        server.baseURL,
        '--model',
        'vllm:tiny',
        '--concurrency',
        '2',
      ]);
      expect(result.code, result.stderr).toBe(0);
      expect(lines(join(out, 'synthesis/pairs.jsonl')).length).toBeGreaterThan(0);
      expect(lines(join(out, 'rl/rollouts.jsonl'))).toHaveLength(8);
      expect(server.requests.length).toBeGreaterThanOrEqual(16);
    } finally {
      await server.close();
    }
  }, 120_000);

  it('refuses contradictory model flags before doing any work', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'autotraj-run-')), 'x');
    const result = await run(['run', '--out', out, '--replay', 'c.jsonl', '--model', 'm']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--replay cannot be combined/);
    expect(existsSync(out)).toBe(false);
  });
});
