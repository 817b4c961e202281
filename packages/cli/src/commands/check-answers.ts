import { rmSync } from 'node:fs';
import { type EquivalenceOptions, type ExtractionTarget, verifyAnswer } from '@autotraj/evaluator';
import { createJsonlWriter, readJsonl } from '@autotraj/trajectory';
import { z } from 'zod';
import { formatTable, println } from '../io.js';
import { numberOption } from '../options.js';
import type { CliCommand } from './command.js';

/** One line of a check-answers input: Math-Verify's case fields (extra fields are kept). */
const answerCaseSchema = z.looseObject({
  gold: z.union([z.string(), z.array(z.string()).min(1)]),
  pred: z.string(),
  match: z
    .array(z.enum(['latex', 'expr']))
    .min(1)
    .optional(),
  precision: z.number().int().min(0).max(15).optional(),
  strict: z.boolean().optional(),
  allowSetRelationComp: z.boolean().optional(),
  expected: z.boolean().optional(),
});

interface CheckAnswersOptions {
  out: string;
  timeout: number;
}

export const checkAnswersCommand: CliCommand = {
  register(program, io) {
    program
      .command('check-answers')
      .description(
        'check answer equivalence (Math-Verify style); each line comes back with `equivalent` and the extracted answers',
      )
      .argument(
        '<cases>',
        'JSONL with gold, pred and optional match, precision, strict, allowSetRelationComp (and expected)',
      )
      .requiredOption('--out <file>', 'output JSONL (overwritten)')
      .option(
        '--timeout <ms>',
        'deadline per symbolic comparison',
        numberOption('--timeout', { min: 1 }),
        5000,
      )
      .action(async (input: string, options: CheckAnswersOptions) => {
        const timeoutMs = options.timeout;
        rmSync(options.out, { force: true });
        const writer = createJsonlWriter(options.out);
        let total = 0;
        let equivalent = 0;
        let timedOut = 0;
        let labelled = 0;
        let agree = 0;
        try {
          for await (const { value } of readJsonl(input, { schema: answerCaseSchema })) {
            const verifyOptions: EquivalenceOptions & { match?: ExtractionTarget[] } = {
              timeoutMs,
            };
            if (value.match !== undefined) verifyOptions.match = value.match;
            if (value.precision !== undefined) verifyOptions.precision = value.precision;
            if (value.strict !== undefined) verifyOptions.strict = value.strict;
            if (value.allowSetRelationComp !== undefined)
              verifyOptions.allowSetRelationComp = value.allowSetRelationComp;
            const result = verifyAnswer({ ...verifyOptions, gold: value.gold, pred: value.pred });
            total++;
            if (result.equivalent) equivalent++;
            if (result.timedOut) timedOut++;
            if (value.expected !== undefined) {
              labelled++;
              if (value.expected === result.equivalent) agree++;
            }
            writer.write({
              ...value,
              equivalent: result.equivalent,
              extractedGold: result.extractedGold,
              extractedPred: result.extractedPred,
              ...(result.timedOut ? { timedOut: true } : {}),
            });
          }
        } finally {
          writer.close();
        }
        const rows: (string | number)[][] = [
          ['cases', total],
          ['equivalent', equivalent],
          ['not equivalent', total - equivalent],
          ['timed out', timedOut],
        ];
        if (labelled > 0)
          rows.push([
            'agreement with expected',
            `${agree}/${labelled} (${((100 * agree) / labelled).toFixed(1)}%)`,
          ]);
        println(io.stdout, formatTable(rows));
        println(io.stdout, `wrote ${options.out}`);
      });
  },
};
