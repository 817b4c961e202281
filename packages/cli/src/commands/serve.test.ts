import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { writeRandomRewardModel } from '@autotraj/reward-model/testing';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../io.js';
import { runCli } from '../program.js';
import { run } from '../test-support/run.js';

/** `autotraj serve` on a random ONNX RM, in process; resolves once it prints its URL. */
async function serve(args: string[]) {
  const model = await writeRandomRewardModel(
    join(mkdtempSync(join(tmpdir(), 'cli-serve-')), 'model.onnx'),
  );
  const stdout = new PassThrough();
  let out = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  const io: CliIo = { stdout, stderr: new PassThrough(), interactive: false };
  const exit = runCli(['serve', '--rm', model, '--port', '0', ...args], io);
  for (let i = 0; i < 200 && !/http:\/\/\S+/.test(out); i++)
    await new Promise((r) => setTimeout(r, 25));
  return { exit, url: /(http:\/\/\S+)/.exec(out)![1]!, output: () => out };
}

describe('autotraj serve', () => {
  it('serves the paper /score contract from an ONNX model and stops gracefully on SIGTERM', async () => {
    const { exit, url, output } = await serve([]);
    const text =
      '<think>6*7</think><code>print(6*7)</code><result>42</result><answer>\\boxed{42}</answer>';
    const post = async <T>(path: string, body: unknown): Promise<T> =>
      (await (
        await fetch(`${url}${path}`, { method: 'POST', body: JSON.stringify(body) })
      ).json()) as T;
    const single = await post<{ score: number }>('/score', { trajectory: text });
    const batch = await post<{ scores: number[] }>('/score/batch', { trajectories: [text, text] });
    expect(typeof single.score).toBe('number');
    expect(batch.scores).toEqual([single.score, single.score]);
    // The paper reward with labels: correct and well-formatted -> at least the outcome 1.
    const verl = await post<{ score: number; outcome: number }>('/compute_score', {
      data_source: 'gsm8k',
      solution_str: text,
      ground_truth: '42',
    });
    expect(verl.outcome).toBe(1);
    expect(verl.score).toBeGreaterThanOrEqual(1);
    const bad = await fetch(`${url}/score`, { method: 'POST', body: '{"trajectory": [' });
    expect(bad.status).toBe(400);
    process.emit('SIGTERM');
    expect(await exit).toBe(0);
    expect(output()).toMatch(/stopped after 4 trajectories/);
  });

  it('runs tool calls on POST /tool with --tools python, in the sandbox, a session per trajectory', async () => {
    const { exit, url, output } = await serve(['--tools', 'python', '--tool-workers', '1']);
    expect(output()).toContain('/tool (python) /tool/end_session');
    const call = async (body: unknown) =>
      (await (
        await fetch(`${url}/tool`, { method: 'POST', body: JSON.stringify(body) })
      ).json()) as { output: string; is_error: boolean };
    expect(
      await call({ tool: 'python', input: 'n = 6\nprint(n * 7)', session_id: 't' }),
    ).toMatchObject({ output: '42', is_error: false });
    expect(await call({ tool: 'python', input: 'print(n)', session_id: 't' })).toMatchObject({
      output: '6',
    });
    // Only the tools asked for are served.
    const calc = await fetch(`${url}/tool`, {
      method: 'POST',
      body: JSON.stringify({ tool: 'calculator', input: '1+1' }),
    });
    expect(calc.status).toBe(400);
    process.emit('SIGTERM');
    expect(await exit).toBe(0);
  });

  it('refuses a tool it cannot serve, naming the flag', async () => {
    const result = await run(['serve', '--rm', 'model.onnx', '--tools', 'python,search']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--tools must be one of python, calculator, got "search"/);
  });

  it('fails clearly for a missing model file', async () => {
    const result = await run(['serve', '--rm', '/nonexistent/model.onnx', '--port', '0']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/model\.onnx/);
  });
});
