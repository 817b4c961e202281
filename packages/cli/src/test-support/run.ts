import { PassThrough } from 'node:stream';
import type { CliIo } from '../io.js';
import { runCli } from '../program.js';

/** Run the CLI in-process and capture what it printed. */
export async function run(
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const io: CliIo = { stdout, stderr, interactive: false };
  const code = await runCli(args, io);
  return { code, stdout: out, stderr: err };
}

/** `../shared/data/<relative>` beside the checkout. */
export function sharedData(relative: string): string {
  return new URL(`../../../../../shared/data/${relative}`, import.meta.url).pathname;
}
