import { PassThrough } from 'node:stream';
import type { CliIo } from '../io.js';
import { runCli } from '../program.js';

/** An io (not a terminal) that keeps what is written to it. */
export function captureIo(): { io: CliIo; stdout: () => string; stderr: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  return { io: { stdout, stderr, interactive: false }, stdout: () => out, stderr: () => err };
}

/** Run the CLI in-process and capture what it printed. */
export async function run(
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const captured = captureIo();
  const code = await runCli(args, captured.io);
  return { code, stdout: captured.stdout(), stderr: captured.stderr() };
}

/** `../shared/data/<relative>` beside the checkout. */
export function sharedData(relative: string): string {
  return new URL(`../../../../../shared/data/${relative}`, import.meta.url).pathname;
}
