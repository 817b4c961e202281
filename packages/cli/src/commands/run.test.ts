import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { startLoopbackServer } from '@autotraj/generation/testing';
import { RUN_DEFAULTS } from '@autotraj/trajectory';
import { describe, expect, it } from 'vitest';
import { CLI_CANDIDATES } from '../cli-defaults.js';
import { MIN_REWARD_MODEL_PAIRS } from '../pipeline/stage-options.js';
import { run } from '../test-support/run.js';
import { expectRefused } from '../test-support/run-dir.js';

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
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('Pipeline funnel');
    expect(html).toContain('id="rm-accuracy"');
    const summary = JSON.parse(readFileSync(join(out, 'run-summary.json'), 'utf8'));
    expect(summary.model.mode).toBe('demo-replay');
    expect(summary.stages['train-rm'].status).toBe('completed');
    expect(summary.stages.rollout.rewardTerms).toEqual(['format', 'outcome', 'reward model']);

    const second = await run(['run', '--out', out, '--limit', '6', '--concurrency', '4']);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/resumed \(done earlier\)\s+6/);
    expect(second.stderr).toMatch(/model\.onnx is current/);
    expect(second.stdout).toMatch(/groups already done \(resume\)\s+6/);
    expect(lines(join(out, 'rl/rollouts.jsonl'))).toHaveLength(24);
    // Repairing what the gate refuses is another run, and needs the gate.
    const other = await run(['run', '--out', out, '--limit', '6', '--repair-refused']);
    expect(other.code).toBe(1);
    expect(other.stderr).toContain('repairRefused (--repair-refused)');
    const ungated = join(dirname(out), 'ungated');
    const none = await run(['run', '--out', ungated, '--repair-refused', '--admission', 'none']);
    expect(none.code).not.toBe(0);
    expect(none.stderr).toContain('needs admission well-formed');
    // The settings are recorded resolved: the defaults written out are the same run.
    const written = await run([
      ...['run', '--out', out, '--limit', '6', '--concurrency', '4'],
      ...['--n', String(CLI_CANDIDATES), '--temperature', String(RUN_DEFAULTS.temperature)],
      ...['--group-size', String(RUN_DEFAULTS.groupSize)],
      ...['--min-pairs', String(MIN_REWARD_MODEL_PAIRS)],
    ]);
    expect(written.code, written.stderr).toBe(0);
    expect(written.stdout).toMatch(/resumed \(done earlier\)\s+6/);
    expect(written.stdout).toMatch(/groups already done \(resume\)\s+6/);

    // Another run's settings are refused before any stage works, and nothing changes.
    const base = ['run', '--out', out, '--limit', '6', '--concurrency', '4'];
    const cassette = join(out, '..', 'cassette.jsonl');
    writeFileSync(cassette, '');
    for (const [flags, setting, recorded, requested] of [
      [['--group-size', '2'], 'groupSize (--group-size)', 4, 2],
      [['--n', '2'], 'n (--n)', 4, 2],
      [['--temperature', '1'], 'temperature (--temperature)', 0.3, 1],
      [['--min-pairs', '9'], 'minPairs (--min-pairs)', 4, 9],
      [['--replay', cassette], 'replay (--replay)', null, cassette],
    ] as const)
      await expectRefused(out, [...base, ...flags], setting, recorded, requested);

    // A run directory made before settings were recorded: the synthesis manifest is what it
    // recorded, and another model is refused there with every byte left as it was.
    const legacy = join(out, '..', 'legacy');
    cpSync(out, legacy, { recursive: true });
    for (const dir of ['', 'synthesis', 'reward-model', 'rl'])
      rmSync(join(legacy, dir, 'settings.json'), { force: true });
    const legacyArgs = ['run', '--out', legacy, '--limit', '6', '--concurrency', '4'];
    await expectRefused(legacy, [...legacyArgs, '--n', '2'], 'n (--n)', 4, 2);
    const resumedLegacy = await run(legacyArgs);
    expect(resumedLegacy.code, resumedLegacy.stderr).toBe(0);
    expect(resumedLegacy.stdout).toMatch(/resumed \(done earlier\)\s+6/);
    expect(existsSync(join(legacy, 'settings.json'))).toBe(true);

    // --force-new: the old run moves aside whole, the new one starts afresh.
    const fresh = await run([...base.slice(0, 3), '--limit', '2', '--n', '2', '--force-new']);
    expect(fresh.code, fresh.stderr).toBe(0);
    expect(lines(join(out, 'synthesis/candidates.jsonl'))).toHaveLength(4);
    const aside = readdirSync(join(out, '..')).filter((n) => n.startsWith('demo.replaced-'));
    expect(aside).toHaveLength(1);
    expect(lines(join(out, '..', aside[0]!, 'rl/rollouts.jsonl'))).toHaveLength(24);

    // Two runs started on one directory at once: the second is refused.
    const raced = join(out, '..', 'raced');
    const both = await Promise.all([
      run(['run', '--out', raced, '--limit', '1', '--n', '2', '--group-size', '2']),
      run(['run', '--out', raced, '--limit', '1', '--n', '2', '--group-size', '2']),
    ]);
    expect(both.map((r) => r.code).sort()).toEqual([0, 1]);
    expect(both.find((r) => r.code === 1)!.stderr).toMatch(/is in use by run \(pid \d+/);
  }, 240_000);

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

  it('a policy that gets nothing right: every stage completes and says so; no RM, no RM figures', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'autotraj-run-degenerate-'));
    const tasks = join(dir, 'tasks.jsonl');
    writeFileSync(
      tasks,
      ['What is 6 times 7?', 'What is 5 times 8?']
        .map((question, i) => JSON.stringify({ question, answer: `#### ${i === 0 ? 42 : 40}` }))
        .join('\n'),
    );
    // What SmolLM2-135M did on GSM8K: reasoning prose, no tool call, no answer tag.
    const server = await startLoopbackServer({
      reply: () => ({ text: 'To solve this problem, we need to break it down step by step.' }),
    });
    try {
      const out = join(dir, 'run');
      // A stale model from some earlier run must not be picked up when train-rm is skipped.
      mkdirSync(join(out, 'reward-model'), { recursive: true });
      writeFileSync(join(out, 'reward-model', 'model.onnx'), 'not a model');
      const result = await run([
        ...['run', '--out', out, '--tasks', tasks, '--n', '2', '--group-size', '2'],
        ...['--base-url', server.baseURL, '--model', 'vllm:tiny', '--concurrency', '2'],
      ]);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain('0 of 4 candidates answered correctly');
      expect(result.stdout).toContain('no candidate was good enough to keep as it was');
      expect(result.stdout).toContain(
        'the SFT set is empty: nothing from this run is fit to fine-tune on',
      );
      expect(result.stdout).toContain(
        'train-rm: skipped\n  - 0 preference pair(s): too few to train a reward model (need 4); rollout rewards use format + outcome only',
      );
      expect(result.stdout).toMatch(/reward model\s+none \(train-rm skipped: too few pairs\)/);
      expect(result.stderr).toContain(
        '3. rollout: RL groups scored with format + outcome (no reward model)',
      );
      expect(result.stderr).not.toMatch(/\$ autotraj rollout .*--rm/);

      const rollouts = lines(join(out, 'rl/rollouts.jsonl')).map((l) => JSON.parse(l));
      expect(rollouts).toHaveLength(4);
      for (const r of rollouts) {
        expect(r.reward.components).not.toHaveProperty('trajectoryModel');
        expect(r.advantage).toBe(0);
      }
      expect(result.stdout).toContain(
        '2 of 2 group(s) gave every rollout the same reward: zero advantages, no learning signal from them',
      );

      const summary = JSON.parse(readFileSync(join(out, 'run-summary.json'), 'utf8'));
      expect(summary.model).toEqual({ mode: 'live', name: 'vllm:tiny' });
      expect(summary.sampling).toMatchObject({
        taskCount: 2,
        n: 2,
        groupSize: 2,
        temperature: 0.3,
      });
      expect(summary.stages.synthesize).toMatchObject({
        status: 'completed',
        candidates: 4,
        correct: 0,
        kept: 0,
        sft: 0,
        pairs: 0,
      });
      expect(summary.stages['train-rm']).toMatchObject({
        status: 'skipped',
        minPairs: 4,
        modelPath: null,
      });
      expect(summary.stages.rollout).toMatchObject({
        status: 'completed',
        rollouts: 4,
        correct: 0,
        rewardTerms: ['format', 'outcome'],
      });

      const html = readFileSync(join(out, 'report.html'), 'utf8');
      expect(html).toContain('id="rm-skipped"');
      expect(html).toContain('too few to train a reward model (need 4)');
      expect(html).not.toContain('rect class="chosen"');
      expect(html).not.toContain('id="rm-accuracy"');
      expect(html).toContain('id="sft-empty"');
      expect(html).toContain('Rewards: format + outcome only (no reward-model term).');
      expect(html).toContain('model: vllm:tiny (live)');
      expect(html).toMatch(/data-stage="correct candidates">.*?class="value">0</);
    } finally {
      await server.close();
    }
  }, 120_000);

  it('with pairs but fewer than --min-pairs: train-rm is skipped with the count it had', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'autotraj-run-')), 'few');
    const result = await run([
      ...['run', '--out', out, '--limit', '2', '--concurrency', '2', '--min-pairs', '1000'],
    ]);
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(readFileSync(join(out, 'run-summary.json'), 'utf8'));
    const pairs = summary.stages.synthesize.pairs as number;
    expect(pairs).toBeGreaterThan(0);
    expect(summary.stages['train-rm']).toMatchObject({ status: 'skipped', minPairs: 1000 });
    expect(result.stdout).toContain(
      `${pairs} preference pair(s): too few to train a reward model (need 1000)`,
    );
    expect(existsSync(join(out, 'reward-model', 'model.onnx'))).toBe(false);
    for (const line of lines(join(out, 'rl/rollouts.jsonl')))
      expect(JSON.parse(line).reward.components).not.toHaveProperty('trajectoryModel');
  }, 120_000);

  it('refuses contradictory model flags before doing any work', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'autotraj-run-')), 'x');
    const result = await run(['run', '--out', out, '--replay', 'c.jsonl', '--model', 'm']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--replay cannot be combined/);
    expect(existsSync(out)).toBe(false);
  });
});
