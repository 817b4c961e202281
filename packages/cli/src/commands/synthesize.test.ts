import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastUserText, startLoopbackServer } from '@autotraj/generation/testing';
import { describe, expect, it } from 'vitest';
import { run } from '../test-support/run.js';
import { expectRefused, snapshotDir } from '../test-support/run-dir.js';

const dir = mkdtempSync(join(tmpdir(), 'autotraj-synthesize-'));
const lines = (path: string) => readFileSync(path, 'utf8').split('\n').filter(Boolean);

describe('autotraj synthesize', () => {
  it('offline by default: replays the demo cassette and writes the outputs, with progress and a summary table', async () => {
    const out = join(dir, 'demo');
    const result = await run(['synthesize', '--out', out, '--limit', '6', '--concurrency', '4']);
    expect(result.stderr).toContain('replaying the demo cassette');
    expect(result.stderr).toMatch(/synthesize: 6\/6 tasks/);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/candidates\s+24/);
    expect(lines(join(out, 'candidates.jsonl'))).toHaveLength(24);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.counts.tasks).toBe(6);
    expect(manifest.config).toMatchObject({
      n: 4,
      model: 'vllm:scripted-gsm8k-policy',
      modelMode: 'demo-replay',
    });
    // A stale cassette shows up as repairs that missed it; the shipped one covers every request.
    for (const line of lines(join(out, 'hard.jsonl')))
      expect(JSON.parse(line).reason).not.toMatch(/cassette/);
    expect(lines(join(out, 'sft.jsonl')).length).toBeGreaterThan(0);
  });

  it('--json prints the summary for machines; a rerun resumes and writes nothing twice', async () => {
    const out = join(dir, 'json');
    const first = await run(['synthesize', '--out', out, '--limit', '3', '--json']);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({
      counts: { tasks: 3, candidates: 12 },
      run: { done: 3 },
    });
    const again = await run(['synthesize', '--out', out, '--limit', '3', '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({
      counts: { tasks: 3 },
      run: { done: 0, resumed: 3 },
    });
    expect(lines(join(out, 'candidates.jsonl'))).toHaveLength(12);
  });

  it('reads GSM8K JSONL directly and talks to an OpenAI-compatible endpoint with --base-url, recording a cassette', async () => {
    const tasks = join(dir, 'tasks.jsonl');
    writeFileSync(
      tasks,
      `${JSON.stringify({ question: 'What is 6 times 7?', answer: 'Six sevens <<6*7=42>>42.\n#### 42' })}\n`,
    );
    const server = await startLoopbackServer({
      reply: () => ({ text: '<think>6*7.</think>\n<answer>\\boxed{42}</answer>' }),
    });
    const cassette = join(dir, 'rec.jsonl');
    try {
      const result = await run([
        'synthesize',
        '--tasks',
        tasks,
        '--n',
        '2',
        '--out',
        join(dir, 'live'),
        '--base-url',
        server.baseURL,
        '--model',
        'vllm:tiny',
        '--record',
        cassette,
        '--json',
      ]);
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout).counts).toMatchObject({ tasks: 1, candidates: 2 });
    } finally {
      await server.close();
    }
    expect(lines(cassette).length).toBeGreaterThanOrEqual(2);
    // The recording replays offline.
    const replayed = await run([
      'synthesize',
      '--tasks',
      tasks,
      '--n',
      '2',
      '--out',
      join(dir, 'replayed'),
      '--replay',
      cassette,
      '--json',
    ]);
    expect(replayed.code).toBe(0);
    expect(JSON.parse(replayed.stdout).counts).toMatchObject({ tasks: 1, candidates: 2 });
  });

  it('says on its own line what the admission gate dropped; --admission none writes it all', async () => {
    const tasks = join(dir, 'leaky-tasks.jsonl');
    writeFileSync(
      tasks,
      `${JSON.stringify({ question: 'What is 6 times 7?', answer: 'Six sevens <<6*7=42>>42.\n#### 42' })}\n`,
    );
    // Correct and concise, so the paper keeps both candidates, but written about the prompt.
    const server = await startLoopbackServer({
      reply: () => ({
        text: '<think>To fix the flawed trajectory, multiply 6 by 7.</think>\n<answer>\\boxed{42}</answer>',
      }),
    });
    try {
      const flags = ['--tasks', tasks, '--n', '2', '--base-url', server.baseURL];
      const gated = await run([
        'synthesize',
        ...flags,
        '--model',
        'vllm:leaky',
        '--out',
        join(dir, 'gated'),
      ]);
      expect(gated.code, gated.stderr).toBe(0);
      expect(gated.stdout).toMatch(/kept\s+2\n/);
      expect(gated.stdout).toMatch(/sft records\s+0\n/);
      expect(gated.stdout).toMatch(/dropped by admission: sft\s+2\n/);
      expect(gated.stdout).toContain(
        '\nadmission gate dropped 2 SFT record(s) and 0 preference pair(s) unfit to train on, kept in dropped.jsonl (by reason: prompt-meta-text 2)\n',
      );
      expect(lines(join(dir, 'gated', 'dropped.jsonl'))).toHaveLength(2);
      const raw = await run([
        'synthesize',
        ...flags,
        '--model',
        'vllm:leaky',
        '--out',
        join(dir, 'raw'),
        '--admission',
        'none',
      ]);
      expect(raw.code, raw.stderr).toBe(0);
      expect(raw.stdout).toMatch(/sft records\s+2\n/);
      expect(raw.stdout).toContain('admission gate off (--admission none)');
      expect(JSON.parse(readFileSync(join(dir, 'raw', 'manifest.json'), 'utf8'))).toMatchObject({
        admission: 'none',
        config: { admission: 'none' },
      });
      const bad = await run([
        'synthesize',
        ...flags,
        '--model',
        'vllm:leaky',
        '--out',
        join(dir, 'bad-admission'),
        '--admission',
        'strict',
      ]);
      expect(bad.code).toBe(2);
    } finally {
      await server.close();
    }
    // --repair-refused: the refused kept candidates go to the repairer, whose prompt (the
    // question alone, told to be decisive) gets a clean solution here.
    const fixing = await startLoopbackServer({
      reply: (request) => ({
        text: lastUserText(request.messages).includes('Be decisive and concise')
          ? '<think>Six times seven is 42.</think>\n<answer>\\boxed{42}</answer>'
          : '<think>To fix the flawed trajectory, multiply 6 by 7.</think>\n<answer>\\boxed{42}</answer>',
      }),
    });
    try {
      const out = join(dir, 'repair-refused');
      const repaired = await run([
        'synthesize',
        ...['--tasks', tasks, '--n', '2', '--base-url', fixing.baseURL, '--model', 'vllm:leaky'],
        ...['--out', out, '--repair-refused'],
      ]);
      expect(repaired.code, repaired.stderr).toBe(0);
      expect(repaired.stdout).toMatch(/kept\s+2\n/);
      expect(repaired.stdout).toMatch(/refused kept, sent to repair\s+2\n/);
      expect(repaired.stdout).toMatch(/ {2}repaired \+ accepted\s+2\n/);
      // One clean repair (the copy is dropped as a duplicate), a pair for each refused original.
      expect(repaired.stdout).toMatch(/sft records\s+1\n/);
      expect(repaired.stdout).toMatch(/preference pairs\s+2\n/);
      const pairs = lines(join(out, 'pairs.jsonl')).map((line) => JSON.parse(line));
      expect(pairs.map((pair) => pair.source)).toEqual(['admission', 'admission']);
      expect(pairs[0].metadata.refusedBy).toEqual(['prompt-meta-text']);
      expect((await run(['report', out])).code).toBe(0);
      expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain(
        'pairs over a refused kept candidate',
      );
      const none = await run([
        'synthesize',
        ...['--tasks', tasks, '--base-url', fixing.baseURL, '--model', 'vllm:leaky'],
        ...['--out', join(dir, 'repair-refused-none'), '--repair-refused', '--admission', 'none'],
      ]);
      expect(none.code).not.toBe(0);
      expect(none.stderr).toContain('needs admission well-formed');
    } finally {
      await fixing.close();
    }
  });

  it('resumes only the same run: each other setting is refused untouched, --force-new starts afresh, a second process is refused', async () => {
    const out = join(dir, 'same-run');
    const base = ['synthesize', '--out', out, '--limit', '2'];
    const first = await run([...base, '--json']);
    expect(first.code, first.stderr).toBe(0);
    const settings = JSON.parse(readFileSync(join(out, 'settings.json'), 'utf8'));
    expect(settings).toMatchObject({
      command: 'synthesize',
      settings: { n: 4, temperature: 0.3, maxToolCalls: 3, preset: 'paper', modelFile: null },
    });
    expect(settings.settings.tasks).toMatch(/^sha256:[0-9a-f]{64}$/);
    const otherTasks = join(dir, 'other-tasks.jsonl');
    writeFileSync(
      otherTasks,
      `${JSON.stringify({ question: 'What is 1+1?', answer: '#### 2' })}\n`,
    );
    const cassette = join(dir, 'same-run-cassette.jsonl');
    writeFileSync(cassette, '');
    for (const [flags, setting, recorded, requested] of [
      [['--n', '2'], 'n (--n)', 4, 2],
      [['--temperature', '1'], 'temperature (--temperature)', 0.3, 1],
      [['--max-tool-calls', '2'], 'maxToolCalls (--max-tool-calls)', 3, 2],
      [['--preset', 'autotraj'], 'preset (--preset)', 'paper', 'autotraj'],
      [['--admission', 'none'], 'admission (--admission)', 'well-formed', 'none'],
      [['--repair-refused'], 'repairRefused (--repair-refused)', false, true],
      [['--replay', cassette], 'replay (--replay)', null, cassette],
    ] as const)
      await expectRefused(out, [...base, ...flags], setting, recorded, requested);
    const tasks = await run([...base, '--tasks', otherTasks]);
    expect(tasks.code).toBe(1);
    expect(tasks.stderr).toMatch(
      /tasks \(--tasks\): recorded "sha256:[0-9a-f]+", now "sha256:[0-9a-f]+"/,
    );
    const prompt = await run([...base, '--prompt', 'paper']);
    expect(prompt.stderr).toMatch(/prompt \(--prompt\): recorded \{"name":"tags-example"/);

    const again = await run([...base, '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({ run: { done: 0, resumed: 2 } });

    const fresh = await run([...base, '--n', '2', '--force-new', '--json']);
    expect(fresh.code, fresh.stderr).toBe(0);
    expect(JSON.parse(fresh.stdout)).toMatchObject({
      run: { done: 2, resumed: 0 },
      counts: { candidates: 4 },
    });
    const aside = readdirSync(dir).filter((name) => name.startsWith('same-run.replaced-'));
    expect(aside).toHaveLength(1);
    expect(lines(join(dir, aside[0]!, 'candidates.jsonl'))).toHaveLength(8);

    // Two processes started on one directory at once: the second is refused, the first finishes.
    const raced = join(dir, 'raced');
    const both = await Promise.all([
      run(['synthesize', '--out', raced, '--limit', '2']),
      run(['synthesize', '--out', raced, '--limit', '2']),
    ]);
    expect(both.map((r) => r.code).sort()).toEqual([0, 1]);
    expect(both.find((r) => r.code === 1)!.stderr).toMatch(/is in use by synthesize \(pid \d+/);
    expect(lines(join(raced, 'candidates.jsonl'))).toHaveLength(8);
  });

  it('rejects conflicting model flags and bad task lines with clear errors', async () => {
    const conflict = await run([
      'synthesize',
      '--out',
      join(dir, 'x'),
      '--replay',
      'a.jsonl',
      '--model',
      'openai:gpt-4o-mini',
    ]);
    expect(conflict.code).toBe(2);
    expect(conflict.stderr).toMatch(/--replay .* cannot be combined with --model/);
    // One vocabulary: a bare model id names no provider (and so no continuation mode).
    const bare = await run([
      'synthesize',
      '--out',
      join(dir, 'y'),
      '--model',
      'Qwen2.5-7B-Instruct',
    ]);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toMatch(/--model must be one of openai:<id>, vllm:<id>/);
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, '{"prompt":"no question field"}\n');
    const result = await run(['synthesize', '--tasks', bad, '--out', join(dir, 'bad')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/bad\.jsonl, line 1/);
  });

  it('stops at a cassette miss: the cassette, the request hash, and the --record hint', async () => {
    const cassette = join(dir, 'empty-cassette.jsonl');
    writeFileSync(cassette, '');
    const result = await run([
      'synthesize',
      '--out',
      join(dir, 'miss'),
      '--replay',
      cassette,
      '--limit',
      '2',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`cassette ${cassette} has no response for request req_`);
    expect(result.stderr).toContain(`--record ${cassette}`);
    expect(result.stderr).not.toMatch(/request-failed/);
  });

  it("--candidates-from takes an earlier run's candidates: the model only repairs, another source is refused", async () => {
    const tasks = join(dir, 'paired-tasks.jsonl');
    const problems = [
      { question: 'What is 6 times 7?', answer: 'Six sevens <<6*7=42>>42.\n#### 42' },
      { question: 'What is 5 plus 4?', answer: 'Five and four <<5+4=9>>9.\n#### 9' },
    ];
    writeFileSync(tasks, problems.map((p) => `${JSON.stringify(p)}\n`).join(''));
    // The run that paid for the candidates: every one answers 0, and so does every repair.
    const guessing = await startLoopbackServer({
      reply: () => ({ text: '<think>I guess.</think>\n<answer>\\boxed{0}</answer>' }),
    });
    const source = join(dir, 'paid');
    try {
      const sampled = await run([
        'synthesize',
        '--tasks',
        tasks,
        '--n',
        '2',
        '--out',
        source,
        '--base-url',
        guessing.baseURL,
        '--model',
        'vllm:guessing',
        '--json',
      ]);
      expect(sampled.code).toBe(0);
      expect(JSON.parse(sampled.stdout).counts).toMatchObject({ candidates: 4, kept: 0 });
    } finally {
      await guessing.close();
    }
    // A model that answers right: had this run sampled, its candidates would have been kept.
    const requests: string[] = [];
    const solving = await startLoopbackServer({
      reply: (request) => {
        const text = JSON.stringify(request.messages);
        requests.push(text);
        return text.includes('6 times 7')
          ? { text: '<think>6 times 7 is 42.</think>\n<answer>\\boxed{42}</answer>' }
          : { text: '<think>5 plus 4 is 9.</think>\n<answer>\\boxed{9}</answer>' };
      },
    });
    const out = join(dir, 'paired');
    // Shown the attempt (repair-trajectory), so each request names the candidate it repairs.
    const flags = [
      '--tasks',
      tasks,
      '--n',
      '2',
      '--base-url',
      solving.baseURL,
      '--repair-prompt',
      'repair-trajectory',
    ];
    try {
      const paired = await run([
        'synthesize',
        ...flags,
        '--model',
        'vllm:solving',
        '--out',
        out,
        '--candidates-from',
        source,
      ]);
      expect(paired.code).toBe(0);
      expect(paired.stderr).toContain(
        `taking the candidates of ${join(source, 'candidates.jsonl')} (4 records, 2 tasks)`,
      );
      expect(paired.stdout).toMatch(/candidates\s+4/);
      expect(paired.stdout).toMatch(/kept\s+0/);
      expect(paired.stdout).toMatch(/repaired \+ accepted\s+4/);
      // Every request was a repair of one of the 4 taken candidates.
      expect(requests).toHaveLength(4);
      for (const request of requests) expect(request).toContain('I guess.');
      const candidates = lines(join(out, 'candidates.jsonl')).map((line) => JSON.parse(line));
      expect(candidates.map((c) => c.id).sort()).toEqual(
        lines(join(source, 'candidates.jsonl'))
          .map((line) => JSON.parse(line).id)
          .sort(),
      );
      for (const c of candidates) expect(c.takenFrom.file).toBe(join(source, 'candidates.jsonl'));
      const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
      expect(manifest.settings.candidatesFrom).toMatchObject({
        path: join(source, 'candidates.jsonl'),
      });
      expect(lines(join(out, 'pairs.jsonl'))).toHaveLength(4);

      // A task the source has no candidates for: named with the file, before any work.
      writeFileSync(
        tasks,
        `${readFileSync(tasks, 'utf8')}${JSON.stringify({ question: 'What is 2 plus 2?', answer: '#### 4' })}\n`,
      );
      const uncovered = await run([
        'synthesize',
        ...flags,
        '--model',
        'vllm:solving',
        '--out',
        join(dir, 'uncovered'),
        '--candidates-from',
        source,
      ]);
      expect(uncovered.code).toBe(1);
      expect(uncovered.stderr).toMatch(
        /candidates\.jsonl: task task_\w+ has no candidates here.*the first 2 tasks have them all/,
      );
      expect(readdirSync(dir)).not.toContain('uncovered');

      // The same directory with candidates from elsewhere: another run, refused untouched.
      writeFileSync(tasks, problems.map((p) => `${JSON.stringify(p)}\n`).join(''));
      const copy = join(dir, 'paid-copy.jsonl');
      writeFileSync(copy, readFileSync(join(source, 'candidates.jsonl')));
      const before = snapshotDir(out);
      const other = await run([
        'synthesize',
        ...flags,
        '--limit',
        '2',
        '--model',
        'vllm:solving',
        '--out',
        out,
        '--candidates-from',
        copy,
      ]);
      expect(other.code).toBe(1);
      expect(other.stderr).toContain(
        `candidatesFrom (--candidates-from): recorded {"path":"${join(source, 'candidates.jsonl')}"`,
      );
      expect(other.stderr).not.toContain('tasks (--tasks)');
      expect(other.stderr).toContain(`now {"path":"${copy}"`);
      expect(snapshotDir(out)).toEqual(before);
    } finally {
      await solving.close();
    }
  });
});
