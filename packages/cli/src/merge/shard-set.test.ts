import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunMergeError } from './merge-error.js';
import { mergeRuns } from './merge-runs.js';

// The refusals merge gives before it reads a record, for each kind of run: manifests as the
// commands write them, cut down to the fields those checks read.
const shard = (index: number) => ({ index, count: 2, spec: `${index}/2`, source: 'flag' });
const digest = 'sha256:0';

const finished = {
  eval: (index: number) => ({
    kind: 'eval',
    shard: shard(index),
    coverage: { run: { count: 2, digest }, assigned: { count: 1, digest } },
    counts: { expected: 3, done: 3, failed: 0 },
  }),
  synthesis: (index: number) => ({
    kind: 'synthesis',
    shard: shard(index),
    coverage: {
      run: { count: 2, digest },
      assigned: { count: 1, digest },
      done: { count: 1, digest },
    },
    run: { failed: 0 },
  }),
};

async function refusal(manifests: Record<string, unknown>[]): Promise<RunMergeError> {
  const root = mkdtempSync(join(tmpdir(), 'autotraj-shard-set-'));
  const dirs = manifests.map((manifest, i) => {
    const dir = join(root, `s${i}`);
    mkdirSync(dir);
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
    return dir;
  });
  const error = await mergeRuns({ dirs, outDir: join(root, 'out') }).then(
    () => null,
    (caught: unknown) => caught,
  );
  if (!RunMergeError.isInstance(error)) throw new Error(`expected a RunMergeError, got ${error}`);
  return error;
}

describe('the shard checks of each kind', () => {
  it.each([
    ['eval', 'eval'],
    ['synthesis', 'synthesize'],
  ] as const)(
    '%s: a manifest without coverage is sent back to `autotraj %s`',
    async (kind, command) => {
      const { coverage: _, ...old } = finished[kind](1);
      const error = await refusal([finished[kind](0), old]);
      expect(error.reason).toBe('manifest-invalid');
      expect(error.field).toBe('coverage');
      expect(error.message).toMatch(
        new RegExp(
          `s1: coverage: the manifest predates sharding \\(no coverage\\): rerun the same autotraj ${command} command on it`,
        ),
      );
    },
  );

  it('eval: a shard with failed samples names counts, done of expected and the failures', async () => {
    const failing = { ...finished.eval(1), counts: { expected: 3, done: 2, failed: 1 } };
    const error = await refusal([finished.eval(0), failing]);
    expect(error.reason).toBe('shard-incomplete');
    expect(error.message).toMatch(
      /s1: counts: holds 2 of its 3 samples \(1 failed\); rerun the same command on it to finish the shard$/,
    );
  });

  it('synthesis: a shard whose done tasks are not its assigned ones names coverage.done', async () => {
    const short = finished.synthesis(1);
    const error = await refusal([
      finished.synthesis(0),
      { ...short, coverage: { ...short.coverage, done: { count: 0, digest: 'sha256:1' } } },
    ]);
    expect(error.reason).toBe('shard-incomplete');
    expect(error.message).toMatch(
      /s1: coverage.done: holds 0 of its 1 tasks; rerun the same command on it to finish the shard$/,
    );
  });

  it('an unfinished shard is reported before settings that differ', async () => {
    const failing = { ...finished.synthesis(1), run: { failed: 2 } };
    const error = await refusal([{ ...finished.synthesis(0), evaluatorPreset: 'paper' }, failing]);
    expect(error.message).toMatch(/s1: coverage.done: holds 1 of its 1 tasks \(2 failed\)/);
  });
});
