import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeRandomRewardModel } from '@autotraj/reward-model/testing';
import { type LoopbackServer, startLoopbackServer, tagScriptReply } from '@autotraj/rl/testing';
import { RUN_DEFAULTS } from '@autotraj/trajectory';
import { afterEach, describe, expect, it } from 'vitest';
import { run } from '../test-support/run.js';
import { expectRefused } from '../test-support/run-dir.js';

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
    // The settings are recorded resolved: the defaults written out are the same run.
    const written = await run([
      ...args,
      ...[
        '--temperature',
        String(RUN_DEFAULTS.rolloutTemperature),
        '--preset',
        RUN_DEFAULTS.preset,
      ],
      ...['--max-tool-calls', String(RUN_DEFAULTS.maxToolCalls)],
    ]);
    expect(written.stdout, written.stderr).toMatch(/groups already done \(resume\)\s+2/);

    // Another run's settings are refused before any rollout, and nothing in --out changes.
    const otherModel = await writeRandomRewardModel(join(dir, 'other.onnx'), { numBuckets: 1024 });
    const at = (flag: string) => args.indexOf(flag) + 1;
    const replaced = (flag: string, value: string) =>
      args.map((arg, i) => (i === at(flag) ? value : arg));
    const recordedRm = JSON.parse(readFileSync(join(out, 'settings.json'), 'utf8')).settings.rm;
    expect(recordedRm).toMatch(/^sha256:/);
    for (const [changed, setting, recorded, requested] of [
      [replaced('--group-size', '4'), 'groupSize (--group-size)', 2, 4],
      [replaced('--model', 'vllm:other'), 'model (--model)', 'vllm:policy', 'vllm:other'],
      [replaced('--tools', 'python'), 'tools (--tools)', ['calculator'], ['python']],
      [replaced('--max-tokens', '100'), 'maxTokens (--max-tokens)', 200, 100],
      [[...args, '--temperature', '0.5'], 'temperature (--temperature)', 1, 0.5],
      [[...args, '--preset', 'autotraj'], 'preset (--preset)', 'paper', 'autotraj'],
      [[...args, '--max-tool-calls', '1'], 'maxToolCalls (--max-tool-calls)', 3, 1],
    ] as const)
      await expectRefused(out, [...changed], setting, recorded, requested);
    const rm = await run(replaced('--rm', otherModel));
    expect(rm.code).toBe(1);
    expect(rm.stderr).toContain(`rm (--rm): recorded "${recordedRm}", now "sha256:`);

    const fresh = await run([...replaced('--group-size', '4'), '--force-new']);
    expect(fresh.code, fresh.stderr).toBe(0);
    expect(fresh.stdout).toMatch(/rollouts written\s+8/);
    expect(readdirSync(dir).filter((name) => name.startsWith('out.replaced-'))).toHaveLength(1);

    // Two processes on one directory at once: the second is refused.
    const raced = args.map((arg, i) => (i === at('--out') ? join(dir, 'raced') : arg));
    const both = await Promise.all([run(raced), run(raced)]);
    expect(both.map((r) => r.code).sort()).toEqual([0, 1]);
    expect(both.find((r) => r.code === 1)!.stderr).toMatch(/is in use by rollout \(pid \d+/);
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
