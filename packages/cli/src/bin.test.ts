import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from './test-support/run.js';

// The built CLI (`./dev test` builds before it tests): what a user's shell runs.
const bin = new URL('../dist/bin.js', import.meta.url).pathname;
const version = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;

describe('autotraj --version', () => {
  it('prints the package version for --version and -V', async () => {
    for (const flag of ['--version', '-V']) {
      const result = await run([flag]);
      expect(result.code).toBe(0);
      expect(result.stdout.trim()).toBe(version);
    }
  });
});

describe('autotraj piped into a reader that stops early', () => {
  it('`autotraj inspect x | head -1` exits quietly: no EPIPE stack trace', async () => {
    expect(existsSync(bin), `${bin} missing: run ./dev build`).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'autotraj-epipe-'));
    const file = join(dir, 'many.jsonl');
    // Every line names its own model, so the summary's model table is far larger than a pipe's
    // buffer (64 KiB): inspect is still writing when head has gone.
    writeFileSync(
      file,
      Array.from({ length: 4000 }, (_, i) =>
        JSON.stringify({
          id: `t${i}`,
          question: `q${i}`,
          model: `a-model-with-a-long-name-number-${String(i).padStart(6, '0')}`,
          text: `<answer>\\boxed{${i}}</answer>`,
        }),
      ).join('\n'),
    );
    // A real shell pipe: head reads one line and closes it while inspect is still writing.
    const child = spawn(
      'bash',
      ['-c', `set -o pipefail; node "${bin}" inspect "${file}" --json | head -1`],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(stdout.split('\n')[0]).toBe('{');
    expect(stderr).not.toMatch(/EPIPE|Error|at /);
  }, 60_000);
});
