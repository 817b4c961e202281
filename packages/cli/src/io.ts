import type { Writable } from 'node:stream';

/** Where a command writes: injectable so tests can run commands in-process. */
export interface CliIo {
  stdout: Writable;
  stderr: Writable;
  /** Whether stderr is a terminal (progress bars only then). Default: `stderr.isTTY`. */
  interactive?: boolean;
}

/** The io with every default filled in, as the commands see it. */
export interface ResolvedCliIo extends CliIo {
  interactive: boolean;
}

export function resolveCliIo(io: CliIo): ResolvedCliIo {
  const tty = (io.stderr as Writable & { isTTY?: boolean }).isTTY;
  return { ...io, interactive: io.interactive ?? tty === true };
}

export const processIo: CliIo = {
  stdout: process.stdout,
  stderr: process.stderr,
  interactive: Boolean(process.stderr.isTTY),
};

export function println(stream: Writable, text = ''): void {
  stream.write(`${text}\n`);
}

/** A fixed-width text table for summaries. */
export function formatTable(
  rows: ReadonlyArray<ReadonlyArray<string | number>>,
  header?: ReadonlyArray<string>,
): string {
  const all = header === undefined ? rows : [header, ...rows];
  const widths: number[] = [];
  for (const row of all) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, String(cell).length);
    });
  }
  const line = (row: ReadonlyArray<string | number>) =>
    row
      .map((cell, i) =>
        typeof cell === 'number'
          ? String(cell).padStart(widths[i]!)
          : String(cell).padEnd(widths[i]!),
      )
      .join('  ')
      .trimEnd();
  const out = all.map(line);
  if (header !== undefined) out.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  return out.join('\n');
}
