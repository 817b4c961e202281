import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
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

  it('refuses contradictory model options before doing any work', async () => {
    const outDir = join(mkdtempSync(join(tmpdir(), 'autotraj-pipeline-')), 'x');
    await expect(runPipeline({ outDir, replay: 'c.jsonl', model: 'm' })).rejects.toThrow(
      /--replay cannot be combined/,
    );
    await expect(runPipeline({ outDir, baseURL: 'http://127.0.0.1:1/v1' })).rejects.toThrow(
      /--base-url needs --model/,
    );
    expect(existsSync(outDir)).toBe(false);
  });
});
