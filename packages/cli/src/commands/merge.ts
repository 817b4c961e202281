import { formatTable, println } from '../io.js';
import { mergeRuns } from '../merge/merge-runs.js';
import type { CliCommand } from './command.js';

/** `autotraj merge`: join the shard directories of one synthesis or eval run. */
export const mergeCommand: CliCommand = {
  register(program, io) {
    program
      .command('merge')
      .description(
        'Join the output directories of the shards of one run (synthesize or eval --shard): every shard once, settings equal, no task missing or twice, counts verified; JSONL in canonical order (task id, then index) and one combined manifest. One unsharded directory: a canonically ordered copy.',
      )
      .argument('<dirs...>', 'the shard output directories, in any order')
      .requiredOption('--out <dir>', 'where to write the merged run (must not exist, or be empty)')
      .option('--json', 'print the result as JSON on stdout')
      .action(async (dirs: string[], flags: { out: string; json?: boolean }) => {
        const result = await mergeRuns({ dirs, outDir: flags.out });
        for (const path of result.skipped) println(io.stderr, `merge: not merged: ${path}`);
        if (flags.json) {
          println(io.stdout, JSON.stringify(result));
          return;
        }
        println(
          io.stdout,
          formatTable(
            [
              ['kind', result.kind],
              ['shards', result.shards],
              ...Object.entries(result.counts).map(([k, v]): [string, number] => [k, v]),
            ],
            ['', 'merged'],
          ),
        );
        println(io.stdout, `\nwrote ${result.outDir}/{${result.files.join(',')},manifest.json}`);
      });
  },
};
