import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createProgram } from '../program.js';

// The batch examples in examples/batch are documentation users copy: every autotraj command in
// them must parse with today's flags, and the shard counts in each file must agree.
const examples = new URL('../../../../examples/batch/', import.meta.url);
const read = (file: string) => readFileSync(new URL(file, examples), 'utf8');

/** The `autotraj ...` commands of a shell script or YAML file, with continuations joined. */
function commandsIn(text: string, vars: Record<string, string>): string[][] {
  const joined = text
    .replace(/\\\n\s*/g, ' ')
    .replace(
      /^\s*- >-\n((?:[ ]{14}.*\n)+)/gm,
      (_, block: string) => `${block.trimEnd().replace(/\n\s*/g, ' ')}\n`,
    );
  // A command quoted as one word (sbatch --wrap "...") ends at its closing quote.
  const found = [...joined.matchAll(/(^|\s|")autotraj ((?:synthesize|merge|eval)\b[^\n]*)/gm)].map(
    (m) => (m[1] === '"' ? m[2]!.slice(0, m[2]!.indexOf('"')) : m[2]!.replaceAll('"', '')),
  );
  return found.map((command) =>
    command
      .replace(/\$\{?(\w+)\}?/g, (_, name: string) => {
        const value = vars[name];
        if (value === undefined)
          throw new Error(`the example uses $${name}, which the test does not set`);
        return value;
      })
      .trim()
      .split(/\s+/),
  );
}

type Parsed = { command: string; args: string[]; flags: Record<string, unknown> };

/** Parses argv with the real program, capturing what each command's action would receive. */
async function parse(argv: string[]): Promise<Parsed> {
  const io = { stdout: new PassThrough(), stderr: new PassThrough(), interactive: false };
  const program = createProgram(io);
  let parsed: Parsed | undefined;
  for (const command of program.commands)
    command.action((...received: unknown[]) => {
      const flags = received.at(-2) as Record<string, unknown>;
      const args = received.slice(0, -2).flat() as string[];
      parsed = { command: command.name(), args, flags };
    });
  await program.parseAsync(argv, { from: 'user' });
  if (parsed === undefined) throw new Error(`no command ran for ${argv.join(' ')}`);
  return parsed;
}

const saved = { ...process.env };
afterEach(() => {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
});

describe('examples/batch', () => {
  it('the Kubernetes Indexed Job: completions, AUTOTRAJ_SHARD_COUNT and the merge agree', async () => {
    const job = read('k8s/synthesize-job.yaml');
    expect(job).toMatch(/completionMode: Indexed/);
    const completions = Number(/completions: (\d+)/.exec(job)![1]);
    const count = Number(/name: AUTOTRAJ_SHARD_COUNT\s+value: "(\d+)"/.exec(job)![1]);
    expect(count).toBe(completions);
    const [synthesize, ...rest] = commandsIn(job, { JOB_COMPLETION_INDEX: '2' });
    expect(rest).toEqual([]);
    Object.assign(process.env, { JOB_COMPLETION_INDEX: '2', AUTOTRAJ_SHARD_COUNT: String(count) });
    const parsed = await parse(synthesize!);
    expect(parsed.command).toBe('synthesize');
    expect(parsed.flags).toMatchObject({
      shard: { index: 2, count: completions, source: 'kubernetes' },
      out: '/runs/synthesis/shard-2',
    });

    const [merge] = commandsIn(read('k8s/merge-job.yaml'), {});
    const merged = await parse(merge!);
    expect(merged.command).toBe('merge');
    expect(merged.args).toEqual(
      Array.from({ length: completions }, (_, i) => `/runs/synthesis/shard-${i}`),
    );
  });

  it('the Slurm array: --array, the shard dirs and the dependent merge agree', async () => {
    const array = read('slurm/synthesize-array.sh');
    const [, first, last] = /#SBATCH --array=(\d+)-(\d+)/.exec(array)!.map(Number);
    const tasks = last! - first! + 1;
    const [synthesize] = commandsIn(array, { SLURM_ARRAY_TASK_ID: String(first! + 1) });
    Object.assign(process.env, {
      SLURM_ARRAY_TASK_ID: String(first! + 1),
      SLURM_ARRAY_TASK_MIN: String(first),
      SLURM_ARRAY_TASK_COUNT: String(tasks),
    });
    const parsed = await parse(synthesize!);
    expect(parsed.flags).toMatchObject({
      shard: { index: 1, count: tasks, source: 'slurm' },
      out: `runs/synthesis/shard-${first! + 1}`,
    });

    const submit = read('slurm/submit.sh');
    expect(submit).toMatch(/sbatch --parsable slurm\/synthesize-array\.sh/);
    expect(submit).toMatch(/--dependency=afterok:/);
    const [merge] = commandsIn(submit, {});
    const merged = await parse(merge!);
    expect(merged.args).toEqual(
      Array.from({ length: tasks }, (_, i) => `runs/synthesis/shard-${first! + i}`),
    );
    expect(merged.flags.out).toBe('runs/synthesis/merged');
  });
});
