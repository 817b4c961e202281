import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { generateText, streamText } from 'ai';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { LlamaCppError } from './errors.js';
import { createLlamaCppModel } from './language-model.js';
import { realModelPath } from './test-support/models.js';
import { childPids, timeUntilGone, waitFor } from './test-support/processes.js';
import { SOURCE_EXEC_ARGV } from './worker-process.js';

const smollm2 = realModelPath('smollm2');
const prompt = 'Count from 1 to 100, one number per line.';

function hasSetpriv(): boolean {
  try {
    execFileSync('setpriv', ['--pdeathsig', 'KILL', '--', 'true'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(smollm2 === undefined)('a worker killed mid-generation (real SmolLM2)', () => {
  const model = createLlamaCppModel({ modelPath: smollm2 ?? '', contextSize: 1024 });
  afterAll(() => model.close());
  const workers = () => childPids(process.pid, 'worker');

  it('the call runs again on a fresh worker and returns what an undisturbed call returns', async () => {
    await model.ready();
    const clean = await generateText({ model, prompt, temperature: 0, maxOutputTokens: 60 });
    const [victim] = workers();
    expect(victim).toBeDefined();
    const call = generateText({ model, prompt, temperature: 0, maxOutputTokens: 60 });
    // The clean call took long enough to be mid-generation a few tenths of a second in.
    setTimeout(() => process.kill(victim ?? 0, 'SIGKILL'), 300);
    const retried = await call;
    expect(retried.text).toBe(clean.text);
    expect(retried.providerMetadata?.llamaCpp?.workerDeaths).toBe(1);
    expect(workers()).not.toContain(victim);
    expect(workers()).toHaveLength(1);
  });

  it('a stream cut by the kill goes on where it stopped: no text twice, none missing', async () => {
    const clean = await generateText({ model, prompt, temperature: 0, maxOutputTokens: 60 });
    const [victim] = workers();
    const result = streamText({ model, prompt, temperature: 0, maxOutputTokens: 60 });
    let text = '';
    let killed = false;
    for await (const delta of result.textStream) {
      text += delta;
      if (!killed) {
        killed = true;
        process.kill(victim ?? 0, 'SIGKILL');
      }
    }
    expect(text).toBe(clean.text);
    expect((await result.providerMetadata)?.llamaCpp?.workerDeaths).toBe(1);
  });
});

describe.skipIf(smollm2 === undefined)(
  'a worker with two sequences killed with two calls running (real SmolLM2)',
  () => {
    const model = createLlamaCppModel({
      modelPath: smollm2 ?? '',
      contextSize: 1024,
      sequences: 2,
    });
    afterAll(() => model.close());

    it('both calls run again on the fresh worker and neither is lost', async () => {
      await model.ready();
      const [victim] = childPids(process.pid, 'worker');
      expect(victim).toBeDefined();
      const calls = [prompt, 'Name the months of the year, one per line.'].map((p) =>
        generateText({ model, prompt: p, temperature: 0, maxOutputTokens: 60 }),
      );
      setTimeout(() => process.kill(victim ?? 0, 'SIGKILL'), 300);
      const done = await Promise.all(calls);
      for (const result of done) {
        expect(result.text).not.toBe('');
        expect(result.providerMetadata?.llamaCpp?.workerDeaths).toBe(1);
      }
      expect(childPids(process.pid, 'worker')).not.toContain(victim);
    });
  },
);

describe.skipIf(smollm2 === undefined)(
  'a stream of unseeded samples cut by a kill (real SmolLM2)',
  () => {
    const model = createLlamaCppModel({ modelPath: smollm2 ?? '', contextSize: 1024 });
    afterAll(() => model.close());

    it('is an error, not a stream that changes its mind: the retry cannot write the same text', async () => {
      await model.ready();
      const [victim] = childPids(process.pid, 'worker');
      // T=2 without a seed: the retried sample is another sample.
      const { stream } = await model.doStream({
        prompt: [
          { role: 'user', content: [{ type: 'text', text: 'Write a poem about the sea.' }] },
        ],
        temperature: 2,
        maxOutputTokens: 400,
      });
      const reader = stream.getReader();
      let killed = false;
      let deltas = 0;
      let error: unknown;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        // Killed after a few deltas, long before the 400th token: a retry repeating one short
        // first delta by chance (or a worker already done) would not test the refusal.
        if (value.type === 'text-delta' && ++deltas === 5 && !killed) {
          killed = true;
          process.kill(victim ?? 0, 'SIGKILL');
        }
        if (value.type === 'error') error = value.error;
      }
      expect(killed).toBe(true);
      expect(LlamaCppError.isInstance(error) && error.code).toBe('worker_failed');
      expect(String(error)).toMatch(/retried call wrote different text than was already streamed/);
    });
  },
);

describe.skipIf(smollm2 === undefined)('a worker whose parent process dies (real SmolLM2)', () => {
  let parent: ChildProcess | undefined;
  afterEach(() => {
    if (parent?.exitCode === null) parent.kill('SIGKILL');
  });

  /** Starts a parent that streams a long generation; resolves with its worker's pid. */
  async function orphanParent(): Promise<{ parent: ChildProcess; worker: number }> {
    const script = fileURLToPath(new URL('./test-support/orphan-parent.ts', import.meta.url));
    parent = spawn(process.execPath, [...SOURCE_EXEC_ARGV, script, smollm2 ?? ''], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const lines = createInterface({ input: parent.stdout ?? process.stdin });
    for await (const line of lines) {
      const { worker } = JSON.parse(line) as { worker: number };
      return { parent, worker };
    }
    throw new Error('the parent process ended before its worker generated');
  }

  it('dies within a second when its parent is killed mid-generation', async () => {
    const { parent, worker } = await orphanParent();
    parent.kill('SIGKILL');
    await waitFor(() => parent.exitCode !== null || parent.signalCode !== null, 5_000, 'parent');
    // Before: disconnect -> exit() ran llama.cpp's teardown first, 1-4.5 s here, while generating.
    const gone = await timeUntilGone(worker, 1_000);
    expect(gone, 'the worker outlived its parent by more than a second').toBeDefined();
  });

  it.skipIf(!hasSetpriv())(
    'dies with its parent even when it cannot run at all (stopped): the kernel kills it',
    async () => {
      const { parent, worker } = await orphanParent();
      // A stopped worker reads no IPC, like one stuck in native code: only the kernel can help.
      process.kill(worker, 'SIGSTOP');
      parent.kill('SIGKILL');
      const gone = await timeUntilGone(worker, 2_000);
      if (gone === undefined) process.kill(worker, 'SIGKILL');
      expect(gone, 'a stopped worker outlived its killed parent').toBeDefined();
    },
  );
});
