import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { resolveCliIo } from './io.js';
import { runCli } from './program.js';

describe('CliIo', () => {
  it('defaults interactive to whether stderr is a terminal', () => {
    const stdout = new PassThrough();
    const tty = Object.assign(new PassThrough(), { isTTY: true });
    expect(resolveCliIo({ stdout, stderr: new PassThrough() }).interactive).toBe(false);
    expect(resolveCliIo({ stdout, stderr: tty }).interactive).toBe(true);
    expect(resolveCliIo({ stdout, stderr: tty, interactive: false }).interactive).toBe(false);
  });

  it('runs a command with only the streams given', async () => {
    const stdout = new PassThrough();
    const chunks: Buffer[] = [];
    stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    const code = await runCli(['exec', 'calc', '6*7'], { stdout, stderr: new PassThrough() });
    expect(code).toBe(0);
    expect(Buffer.concat(chunks).toString()).toContain('42');
  });
});
