import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RUN_FILES } from './layout.js';
import { openRunDir } from './open-run-dir.js';
import { RunLockedError, RunSettingsMismatchError } from './run-dir-errors.js';
import { acquireRunLock } from './run-lock.js';

const fresh = () => join(mkdtempSync(join(tmpdir(), 'autotraj-run-dir-')), 'run');

/** Every file of a directory with its bytes, to show a refusal changed nothing. */
const snapshot = (dir: string) =>
  Object.fromEntries(readdirSync(dir).map((name) => [name, readFileSync(join(dir, name), 'utf8')]));

const settings = { model: 'local:smollm2', n: 2, temperature: 0.3, tools: ['python'] };

function caught(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('openRunDir', () => {
  it('records the settings before any work and resumes a rerun with the same settings', () => {
    const dir = fresh();
    const first = openRunDir({ dir, command: 'synthesize', settings });
    expect(first.resumed).toBe(false);
    const recorded = JSON.parse(readFileSync(join(dir, RUN_FILES.settings), 'utf8'));
    expect(recorded).toMatchObject({ command: 'synthesize', settings });
    writeFileSync(join(dir, 'journal.jsonl'), '{"taskId":"a"}\n'); // the work
    first.close();
    expect(existsSync(join(dir, RUN_FILES.lock))).toBe(false);
    // Key order does not matter.
    const again = openRunDir({
      dir,
      command: 'synthesize',
      settings: { tools: ['python'], temperature: 0.3, n: 2, model: 'local:smollm2' },
    });
    expect(again.resumed).toBe(true);
    expect(again.startedAt).toBe(recorded.startedAt);
    again.close();
  });

  it('refuses other settings, naming each with both values, and changes nothing', () => {
    const dir = fresh();
    openRunDir({ dir, command: 'synthesize', settings }).close();
    writeFileSync(join(dir, 'journal.jsonl'), '{"taskId":"a"}\n');
    const before = snapshot(dir);
    const error = caught(() =>
      openRunDir({
        dir,
        command: 'synthesize',
        settings: { ...settings, model: 'local:qwen', temperature: 1 },
      }),
    );
    expect(RunSettingsMismatchError.isInstance(error)).toBe(true);
    const mismatch = error as RunSettingsMismatchError;
    expect(mismatch.code).toBe('run_settings_mismatch');
    expect(mismatch.differences).toEqual([
      { setting: 'model', recorded: 'local:smollm2', requested: 'local:qwen' },
      { setting: 'temperature', recorded: 0.3, requested: 1 },
    ]);
    expect(mismatch.message).toContain('model: recorded "local:smollm2", now "local:qwen"');
    expect(mismatch.file).toBe(join(dir, RUN_FILES.settings));
    expect(snapshot(dir)).toEqual(before);
    // Another command's directory is another run.
    const other = caught(() => openRunDir({ dir, command: 'rollout', settings }));
    expect((other as RunSettingsMismatchError).differences[0]).toEqual({
      setting: 'command',
      recorded: 'synthesize',
      requested: 'rollout',
    });
    expect(snapshot(dir)).toEqual(before);
  });

  it('a directory holding nothing but its settings (a run that stopped before any work) takes other settings', () => {
    const dir = fresh();
    openRunDir({ dir, command: 'train-rm', settings }).close();
    const run = openRunDir({ dir, command: 'train-rm', settings: { ...settings, n: 4 } });
    expect(run.resumed).toBe(false);
    run.close();
    expect(JSON.parse(readFileSync(join(dir, RUN_FILES.settings), 'utf8')).settings.n).toBe(4);
  });

  it('forceNew moves the earlier run aside whole and starts afresh', () => {
    const dir = fresh();
    openRunDir({ dir, command: 'synthesize', settings }).close();
    writeFileSync(join(dir, 'journal.jsonl'), '{"taskId":"a"}\n');
    const before = snapshot(dir);
    const run = openRunDir({
      dir,
      command: 'synthesize',
      settings: { ...settings, n: 4 },
      forceNew: true,
    });
    expect(run.resumed).toBe(false);
    expect(run.replaced).not.toBeNull();
    expect(snapshot(run.replaced!)).toEqual(before);
    expect(readdirSync(dir).sort()).toEqual([RUN_FILES.lock, RUN_FILES.settings]);
    run.close();
  });

  it('compares a run made before settings were recorded on what its manifest recorded', () => {
    const dir = fresh();
    mkdirSync(dir);
    const manifest = join(dir, 'manifest.json');
    writeFileSync(manifest, '{"config":{"model":"local:smollm2","n":2}}\n');
    const legacySettings = (d: string) => ({
      file: join(d, 'manifest.json'),
      command: null,
      settings: JSON.parse(readFileSync(join(d, 'manifest.json'), 'utf8')).config,
      startedAt: null,
    });
    const before = snapshot(dir);
    const error = caught(() =>
      openRunDir({ dir, command: 'synthesize', settings: { ...settings, n: 4 }, legacySettings }),
    );
    // What the old manifest did not record (temperature, tools) cannot differ from it.
    expect((error as RunSettingsMismatchError).differences).toEqual([
      { setting: 'n', recorded: 2, requested: 4 },
    ]);
    expect((error as RunSettingsMismatchError).file).toBe(manifest);
    expect(snapshot(dir)).toEqual(before);
    const run = openRunDir({ dir, command: 'synthesize', settings, legacySettings });
    expect(run.resumed).toBe(true);
    run.close();
    // From now on the directory records every setting.
    expect(JSON.parse(readFileSync(join(dir, RUN_FILES.settings), 'utf8')).settings).toEqual(
      settings,
    );
  });

  it('refuses a second process while the first holds the directory, and takes over a dead one', async () => {
    const dir = fresh();
    const run = openRunDir({ dir, command: 'synthesize', settings });
    const before = snapshot(dir);
    const error = caught(() => openRunDir({ dir, command: 'synthesize', settings }));
    expect(RunLockedError.isInstance(error)).toBe(true);
    expect((error as RunLockedError).owner.pid).toBe(process.pid);
    expect((error as Error).message).toContain(`pid ${process.pid}`);
    expect(snapshot(dir)).toEqual(before);
    run.close();

    // A killed process leaves its lock behind: its pid is gone, so the lock is stale.
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    const pid = child.pid!;
    writeFileSync(
      join(dir, RUN_FILES.lock),
      JSON.stringify({ pid, host: hostname(), command: 'synthesize', startedAt: 'then' }),
    );
    expect(
      RunLockedError.isInstance(caught(() => openRunDir({ dir, command: 'synthesize', settings }))),
    ).toBe(true);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    const resumed = openRunDir({ dir, command: 'synthesize', settings });
    expect(JSON.parse(readFileSync(join(dir, RUN_FILES.lock), 'utf8')).pid).toBe(process.pid);
    resumed.close();
  });

  it('honours a lock from another host (its pid cannot be checked)', () => {
    const dir = fresh();
    openRunDir({ dir, command: 'eval', settings }).close();
    writeFileSync(
      join(dir, RUN_FILES.lock),
      JSON.stringify({ pid: 1, host: 'elsewhere', command: 'eval', startedAt: 'then' }),
    );
    const error = caught(() => acquireRunLock(dir, { command: 'eval' }));
    expect(RunLockedError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain(`delete ${join(dir, RUN_FILES.lock)}`);
  });
});
