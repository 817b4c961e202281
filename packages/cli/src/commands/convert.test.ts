import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, sharedData } from '../test-support/run.js';

const dir = mkdtempSync(join(tmpdir(), 'autotraj-cli-'));
const readLines = (path: string) =>
  readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));

describe('autotraj convert', () => {
  it('converts the real GSM8K model solutions to trajectories and back to calculator text', async () => {
    const out = join(dir, 'gsm8k.trajectories.jsonl');
    const result = await run([
      'convert',
      '--from',
      'gsm8k-solutions',
      '--to',
      'trajectory',
      sharedData('gsm8k/model-solutions.dev.jsonl'),
      out,
    ]);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/converted 660 lines -> 2640 records/);
    // Labels and parse issues travel with the converted trajectories.
    const summary = JSON.parse((await run(['inspect', '--json', out])).stdout);
    expect(summary).toMatchObject({
      format: 'trajectory',
      labels: { correct: 993, incorrect: 1647 },
      parseIssues: { 'missing-answer': 5, 'unterminated-annotation': 3 },
    });
    const text = join(dir, 'gsm8k.text.jsonl');
    expect(
      (await run(['convert', '--from', 'trajectory', '--to', 'gsm8k-calculator', out, text])).code,
    ).toBe(0);
    const original = JSON.parse(
      readFileSync(sharedData('gsm8k/model-solutions.dev.jsonl'), 'utf8').split('\n')[0]!,
    );
    expect(readLines(text)[0].text).toBe(original['6b_finetuning'].solution);
  });

  it('writes chat and SFT formats from ToRA markdown TIR', async () => {
    const chat = join(dir, 'tora.chat.jsonl');
    expect(
      (
        await run([
          'convert',
          '--from',
          'tora',
          '--to',
          'openai-chat',
          sharedData('tora/gsm8k.dev.jsonl'),
          chat,
        ])
      ).code,
    ).toBe(0);
    const first = readLines(chat)[0];
    expect(first.messages.map((m: { role: string }) => m.role)).toEqual([
      'user',
      'assistant',
      'tool',
      'assistant',
    ]);
    const sharegpt = join(dir, 'tora.sharegpt.jsonl');
    expect(
      (await run(['convert', '--from', 'openai-chat', '--to', 'sharegpt', chat, sharegpt])).code,
    ).toBe(0);
    expect(readLines(sharegpt)[0].conversations.map((t: { from: string }) => t.from)).toEqual([
      'human',
      'function_call',
      'observation',
      'gpt',
    ]);
  });

  it('sends bad lines to a rejects file with their line numbers and keeps the good ones', async () => {
    const input = join(dir, 'mixed.jsonl');
    writeFileSync(
      input,
      [
        '{"text":"<answer>\\\\boxed{1}</answer>","question":"q"}',
        '{oops',
        '{"question":"no text"}',
        '{"text":"<think>a</think><answer>\\\\boxed{2}</answer>"}',
      ].join('\n'),
    );
    const out = join(dir, 'mixed.out.jsonl');
    const result = await run(['convert', '--from', 'tags', '--to', 'trajectory', input, out]);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/2 of 4 lines rejected -> .*mixed\.out\.jsonl\.rejects\.jsonl/);
    expect(readLines(out).map((t) => t.finalAnswer)).toEqual(['1', '2']);
    expect(readLines(`${out}.rejects.jsonl`).map((r) => [r.line, r.kind])).toEqual([
      [2, 'invalid-json'],
      [3, 'invalid-record'],
    ]);
  });

  it('strict mode stops at the first bad line with the place in the message', async () => {
    const input = join(dir, 'strict.jsonl');
    writeFileSync(input, '{"id":"a","taskId":"t","steps":[{"type":"think","text":1}]}\n');
    const result = await run([
      'convert',
      '--from',
      'trajectory',
      '--to',
      'tags',
      '--strict',
      input,
      join(dir, 'strict.out.jsonl'),
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/strict\.jsonl, line 1, field steps\[0\]\.text/);
  });

  it('converts preference pairs between our format and TRL', async () => {
    const input = join(dir, 'trl.jsonl');
    writeFileSync(
      input,
      `${JSON.stringify({ prompt: 'q', chosen: '<answer>\\boxed{1}</answer>', rejected: '<think>maybe</think><answer>\\boxed{2}</answer>' })}\n`,
    );
    const pairs = join(dir, 'pairs.jsonl');
    expect((await run(['convert', '--from', 'trl', '--to', 'pairs', input, pairs])).code).toBe(0);
    expect(readLines(pairs)[0]).toMatchObject({
      question: 'q',
      chosen: { finalAnswer: '1' },
      rejected: { finalAnswer: '2' },
    });
    const factory = join(dir, 'factory.jsonl');
    expect(
      (await run(['convert', '--from', 'pairs', '--to', 'llamafactory-pairs', pairs, factory]))
        .code,
    ).toBe(0);
    expect(readLines(factory)[0]).toMatchObject({
      instruction: 'q',
      chosen: '<answer>\\boxed{1}</answer>',
    });
  });

  it('explains unknown formats and mismatched kinds', async () => {
    const bad = await run([
      'convert',
      '--from',
      'nope',
      '--to',
      'trajectory',
      'a',
      join(dir, 'never-written.jsonl'),
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown --from "nope"/);
    expect(existsSync(join(dir, 'never-written.jsonl'))).toBe(false);
    const kinds = await run(['convert', '--from', 'trl', '--to', 'sharegpt', 'a', join(dir, 'b')]);
    expect(kinds.stderr).toMatch(/holds preference pairs/);
  });
});

describe('autotraj inspect', () => {
  it('summarises the real ToRA file', async () => {
    const result = await run(['inspect', '--json', sharedData('tora/gsm8k.dev.jsonl')]);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({
      format: 'tora',
      trajectories: 1320,
      toolCalls: { total: 1320, byTool: { python: 1320 } },
      labels: { correct: 1072, incorrect: 248 },
      rejected: 0,
    });
  });

  it('prints a table and reports a file that does not exist', async () => {
    const table = await run(['inspect', sharedData('gsm8k/model-solutions.dev.jsonl')]);
    expect(table.stdout).toMatch(/trajectories\s+2640/);
    expect(table.stdout).toMatch(/calculator 8326/);
    const missing = await run(['inspect', join(dir, 'nope.jsonl')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/nope\.jsonl: file does not exist/);
  });
});
