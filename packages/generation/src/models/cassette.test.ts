import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { streamText } from 'ai';
import { afterAll, describe, expect, it } from 'vitest';
import { CassetteMissError, GenerationConfigError } from '../errors.js';
import { generateTrajectory } from '../loop/generate-trajectory.js';
import { createVllmProvider } from '../models/providers.js';
import { arithmeticRuntime } from '../testing/arithmetic-runtime.js';
import { startLoopbackServer, tagScriptReply } from '../testing/index.js';
import { createRecordingModel, createReplayModel, readCassette } from './cassette.js';

const tmp = mkdtempSync(join(tmpdir(), 'autotraj-cassette-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const task = { id: 'task_1', question: 'What is 6 times 7?' };
const script =
  '<think>Multiply.</think>\n<calculator>6*7</calculator>\n<think>42.</think>\n<answer>\\boxed{42}</answer>';

describe('record / replay', () => {
  it('records live responses keyed by request hash and replays them offline to the same trajectory', async () => {
    const server = await startLoopbackServer({ reply: tagScriptReply(() => script) });
    const cassette = join(tmp, 'live.jsonl');
    const recording = createRecordingModel({
      model: createVllmProvider({ baseURL: server.baseURL }).languageModel('live-model'),
      cassette,
    });
    const live = await generateTrajectory({
      model: recording,
      task,
      tools: [arithmeticRuntime()],
      sampling: { temperature: 0.3, seed: 3 },
      salt: 0,
    });
    // A streamed call is recorded as the completion it adds up to.
    const streamed = streamText({
      model: recording,
      instructions: 'Answer briefly.',
      prompt: 'Say hi',
    });
    const liveText = await streamed.text;
    await new Promise((resolve) => setTimeout(resolve, 20));
    recording.writer.close();
    await server.close();

    const entries = readCassette(cassette);
    expect(entries).toHaveLength(3);
    expect(entries[0]).toMatchObject({
      model: 'vllm:live-model',
      source: 'recorded',
      response: { finishReason: 'stop' },
    });
    expect(new Set(entries.map((e) => e.key)).size).toBe(3);

    // The server is gone: the replay answers alone, tools still run for real.
    const calculator = arithmeticRuntime();
    const replayed = await generateTrajectory({
      model: createReplayModel({ cassette }),
      task,
      tools: [calculator],
      sampling: { temperature: 0.3, seed: 3 },
      salt: 0,
      modelName: 'vllm:live-model',
    });
    expect(replayed.id).toBe(live.id);
    expect(replayed.steps).toEqual(
      live.steps.map((s) =>
        s.type === 'tool-result' ? { ...s, durationMs: expect.any(Number) } : s,
      ),
    );
    expect(calculator.calls).toEqual([{ expression: '6*7' }]);

    // Streaming replays too.
    const replayStream = streamText({
      model: createReplayModel({ cassette }),
      instructions: 'Answer briefly.',
      prompt: 'Say hi',
    });
    expect(await replayStream.text).toBe(liveText);
    expect(liveText).toBe(script);
  });

  it('fails clearly on a miss: the request hash, the cassette and what was asked', async () => {
    const cassette = join(tmp, 'live.jsonl');
    const error = await generateTrajectory({
      model: createReplayModel({ cassette }),
      task: { id: 't', question: 'A question nobody recorded' },
      tools: [arithmeticRuntime()],
    }).catch((e: unknown) => e);
    // Thrown as itself through the generation loop, not wrapped as a failed model call.
    expect(CassetteMissError.isInstance(error)).toBe(true);
    const miss = error as CassetteMissError;
    expect(miss.cassette).toBe(cassette);
    expect(miss.key).toMatch(/^req_[0-9a-f]{16}$/);
    expect(miss.message).toMatch(
      /live\.jsonl has no response for request req_[0-9a-f]{16} \("…[^"]*Problem: A question nobody recorded"/,
    );
    // The library's message names the library's remedy; the CLI adds its own flag hint.
    expect(miss.message).toContain('createRecordingModel');
    expect(miss.message).not.toContain('--record');
  });

  it('reports a bad cassette line with file, line and field', () => {
    const bad = join(tmp, 'bad.jsonl');
    writeFileSync(
      bad,
      `${readFileSync(join(tmp, 'live.jsonl'), 'utf8')}{"key":"k","model":"m","summary":"s","response":{"content":[],"finishReason":"nope","usage":{}}}\n`,
    );
    expect(() => createReplayModel({ cassette: bad })).toThrow(GenerationConfigError);
    expect(() => createReplayModel({ cassette: bad })).toThrow(
      /bad\.jsonl, line 4, field response\.finishReason/,
    );
  });
});
