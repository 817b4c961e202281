import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PipelineOptionsError } from './pipeline-options-error.js';
import { type PipelineEvent, runPipeline } from './run-pipeline.js';

const lines = (path: string) => readFileSync(path, 'utf8').split('\n').filter(Boolean);

describe('runPipeline (programmatic, offline)', () => {
  it('runs every stage, reports progress, returns artefact paths and figures; a rerun resumes', async () => {
    const outDir = join(mkdtempSync(join(tmpdir(), 'autotraj-pipeline-')), 'run');
    const events: PipelineEvent[] = [];
    const first = await runPipeline({
      outDir,
      limit: 3,
      concurrency: 2,
      onProgress: (e) => events.push(e),
    });
    expect(
      events
        .filter((e) => e.type === 'stage-start')
        .map((e) => e.type === 'stage-start' && e.stage),
    ).toEqual(['synthesize', 'train-rm', 'rollout']);
    expect(
      events.filter((e) => e.type === 'synthesis' && e.event.type === 'task-done'),
    ).toHaveLength(3);
    expect(events.some((e) => e.type === 'notice' && /offline: replaying/.test(e.message))).toBe(
      true,
    );

    const { artefacts } = first;
    for (const path of Object.values(artefacts)) expect(existsSync(path), path).toBe(true);
    expect(first.synthesis.counts.tasks).toBe(3);
    expect(lines(artefacts.candidates)).toHaveLength(first.synthesis.counts.candidates);
    expect(first.pairs).toBe(lines(artefacts.pairs).length);
    expect(first.rewardModel?.modelPath).toBe(artefacts.rewardModel);
    expect(first.rollout).toMatchObject({ groups: 3, rollouts: 12, failedGroups: 0 });
    expect(lines(artefacts.rollouts)).toHaveLength(12);

    const second = await runPipeline({ outDir, limit: 3, concurrency: 2 });
    expect(second.synthesis.run).toMatchObject({ done: 0, resumed: 3 });
    expect(second.rewardModel).toBeNull();
    expect(second.rollout).toMatchObject({ groups: 0, resumedGroups: 3 });
    expect(second.synthesis.counts).toEqual(first.synthesis.counts);
  }, 120_000);

  it('refuses contradictory model options before doing any work, naming its own options', async () => {
    const outDir = join(mkdtempSync(join(tmpdir(), 'autotraj-pipeline-')), 'x');
    const refusal = (options: Parameters<typeof runPipeline>[0]) =>
      runPipeline(options).then(
        () => null,
        (error: unknown) => error,
      );
    // A library names its parameters, not the CLI's flags (the CLI maps them: run.test.ts).
    const replay = await refusal({ outDir, replay: 'c.jsonl', model: 'm' });
    expect(PipelineOptionsError.isInstance(replay)).toBe(true);
    expect((replay as PipelineOptionsError).parameters).toEqual(['replay', 'model']);
    expect((replay as Error).message).toMatch(/`replay` cannot be combined with `model`/);
    expect((replay as Error).message).not.toContain('--');
    const baseURL = await refusal({ outDir, baseURL: 'http://127.0.0.1:1/v1' });
    expect((baseURL as PipelineOptionsError).parameters).toEqual(['baseURL', 'model']);
    expect((baseURL as Error).message).toMatch(/`baseURL` needs `model`/);
    const minPairs = await refusal({ outDir, minPairs: 0 });
    expect((minPairs as PipelineOptionsError).parameters).toEqual(['minPairs']);
    const protocol = await refusal({ outDir, protocol: 'markdown' });
    expect((protocol as PipelineOptionsError).parameters).toEqual(['protocol']);
    expect(existsSync(outDir)).toBe(false);
  });
});
