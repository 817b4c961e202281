import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRecordingModel, createReplayModel, generateTrajectory } from '@autotraj/generation';
import { arithmeticRuntime } from '@autotraj/generation/testing';
import type { Trajectory } from '@autotraj/trajectory';
import { afterAll, describe, expect, it } from 'vitest';
import { createLlamaCppModel } from './language-model.js';
import { realModelPath } from './test-support/models.js';

const smollm2 = realModelPath('smollm2');
const task = {
  id: 'eggs',
  question: 'Tom has 3 boxes of 12 eggs and breaks 5. How many are left?',
};

// Everything but wall-clock facts: what a replay must reproduce exactly.
function timeless(trajectory: Trajectory): string {
  return JSON.stringify(trajectory, (key, value) =>
    ['durationMs', 'startedAt', 'finishedAt', 'modelMs', 'toolMs'].includes(key)
      ? undefined
      : value,
  );
}

describe.skipIf(smollm2 === undefined)('a cassette recorded from the embedded model', () => {
  const model = createLlamaCppModel({ modelPath: smollm2 ?? '', contextSize: 2048 });
  afterAll(() => model.close());

  it('replays to the same trajectory, and re-recording the replay gives the same cassette bytes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'autotraj-llama-cassette-'));
    const run = (m: Parameters<typeof generateTrajectory>[0]['model']) =>
      generateTrajectory({
        model: m,
        task,
        tools: [arithmeticRuntime()],
        sampling: { temperature: 0, maxOutputTokens: 48 },
        salt: 0,
        // Provenance names the model, not the recording or replaying wrapper.
        modelName: 'local:smollm2',
      });
    const recording = createRecordingModel({ model, cassette: join(dir, 'live.jsonl') });
    const live = await run(recording);
    recording.writer.close();
    const replayed = await run(createReplayModel({ cassette: join(dir, 'live.jsonl') }));
    expect(timeless(replayed)).toBe(
      timeless({ ...live, provenance: { ...live.provenance, model: replayed.provenance.model } }),
    );
    expect(replayed.steps).toEqual(live.steps);
    // A replay recorded again is the same file, byte for byte.
    const again = createRecordingModel({
      model: createReplayModel({ cassette: join(dir, 'live.jsonl') }),
      cassette: join(dir, 'again.jsonl'),
    });
    await run(again);
    again.writer.close();
    const strip = (text: string) => text.replaceAll(/"model":"[^"]*",/g, '');
    expect(strip(readFileSync(join(dir, 'again.jsonl'), 'utf8'))).toBe(
      strip(readFileSync(join(dir, 'live.jsonl'), 'utf8')),
    );
  });
});
