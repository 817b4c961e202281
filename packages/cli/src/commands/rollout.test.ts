import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type LoopbackServer,
  startLoopbackServer,
  tagScriptReply,
  writeRandomRewardModel,
} from '@autotraj/rl/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { run } from '../test-support/run.js';

let policy: LoopbackServer | undefined;
afterEach(async () => {
  await policy?.close();
  policy = undefined;
});

describe('autotraj rollout', () => {
  it('runs G rollouts per prompt against an OpenAI-compatible policy, scores them and resumes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-rollout-'));
    const prompts = join(dir, 'prompts.jsonl');
    writeFileSync(
      prompts,
      `${[
        { id: 'a', question: 'What is 6*7?', goldAnswers: ['42'], dataSource: 'gsm8k' },
        { id: 'b', question: 'What is 5*5?', goldAnswers: ['25'], dataSource: 'gsm8k' },
      ]
        .map((t) => JSON.stringify(t))
        .join('\n')}\n`,
    );
    let n = 0;
    const scripts = new Map<string, string>();
    const maxTokens = new Set<number | undefined>();
    policy = await startLoopbackServer({
      reply: tagScriptReply((request) => {
        maxTokens.add(request.maxTokens);
        const question = JSON.stringify(request.messages).includes('6*7') ? '6*7' : '5*5';
        const last = request.messages.at(-1)!;
        const prefix =
          last.role === 'assistant' && typeof last.content === 'string' ? last.content : '';
        const key = /variant (\d+)/.exec(prefix)?.[1] ?? String(n++);
        const value = key === '0' || key === '2' ? (question === '6*7' ? 42 : 25) : 0;
        const script = `<think>variant ${key}: compute ${question}.</think>\n<calculator>${question}</calculator>\n<think>Done.</think>\n<answer>\\boxed{${value}}</answer>`;
        scripts.set(key, script);
        return script;
      }),
    });
    const model = await writeRandomRewardModel(join(dir, 'model.onnx'));
    const out = join(dir, 'out');
    const args = [
      'rollout',
      '--prompts',
      prompts,
      '--group-size',
      '2',
      '--model',
      'vllm:policy',
      '--base-url',
      policy.baseURL,
      '--rm',
      model,
      '--out',
      out,
      '--tools',
      'calculator',
      '--concurrency',
      '1',
      '--max-tokens',
      '200',
    ];
    const first = await run(args);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    // Every model call had the output-token cap asked for.
    expect([...maxTokens]).toEqual([200]);
    expect(first.stdout).toMatch(/groups written\s+2/);
    const records = readFileSync(join(out, 'rollouts.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(records).toHaveLength(4);
    const a = records.filter((r) => r.taskId === 'a');
    // Rollout 0 is right (reward >= 1), rollout 1 wrong (0); GRPO advantages are opposite.
    expect(a.map((r) => r.reward.components.outcome)).toEqual([1, 0]);
    expect(a[0].reward.total).toBeGreaterThanOrEqual(1);
    expect(a[1].reward.total).toBe(0);
    expect(a[0].advantage).toBeCloseTo(-a[1].advantage, 6);
    expect(a[0].advantage).toBeGreaterThan(0);
    const again = await run(args);
    expect(again.stdout).toMatch(/groups already done \(resume\)\s+2/);
  });

  it('rejects bad options with a usage error', async () => {
    const result = await run([
      'rollout',
      '--prompts',
      'p.jsonl',
      '--group-size',
      '0',
      '--model',
      'vllm:m',
      '--base-url',
      'http://127.0.0.1:1/v1',
      '--out',
      'x',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--group-size must be an integer >= 1/);
  });
});
