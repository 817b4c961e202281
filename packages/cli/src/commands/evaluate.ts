import { rmSync } from 'node:fs';
import {
  createEvaluator,
  type EvaluationReport,
  type PresetName,
  presetNames,
  type SelectionDecision,
} from '@autotraj/evaluator';
import {
  createJsonlWriter,
  detectRecordFormat,
  isTrajectoryRecordFormat,
  readJsonl,
  recordToTrajectories,
  type Task,
  type Trajectory,
  type TrajectoryRecordFormat,
  taskSchema,
  trajectoryRecordFormats,
  validate,
} from '@autotraj/trajectory';
import { CliError } from '../cli-error.js';
import { formatTable, println } from '../io.js';
import type { CliCommand } from './command.js';

interface EvaluateOptions {
  out: string;
  preset: string;
  from: string;
  tasks?: string;
}

interface Item {
  task: Task;
  trajectory: Trajectory;
  label: boolean | null;
  /** The text as the record holds it (GSM8K / ToRA solutions): what the paper preset scores. */
  text?: string;
}

/** Gold answers a trajectory record may carry itself (`metadata.goldAnswers` or `metadata.gold`). */
function goldFromMetadata(trajectory: Trajectory): string[] {
  const gold = trajectory.metadata.goldAnswers ?? trajectory.metadata.gold;
  if (typeof gold === 'string') return [gold];
  if (Array.isArray(gold)) return gold.filter((g): g is string => typeof g === 'string');
  return [];
}

async function readTasks(path: string): Promise<Map<string, Task>> {
  const tasks = new Map<string, Task>();
  for await (const { value } of readJsonl(path, { schema: taskSchema })) tasks.set(value.id, value);
  return tasks;
}

function itemsOf(
  format: TrajectoryRecordFormat,
  value: unknown,
  location: { file: string; line: number },
  tasks: Map<string, Task>,
): Item[] {
  // The record's own task (GSM8K, ToRA) carries its gold answers; otherwise --tasks by id, then
  // gold answers the trajectory carries in its metadata.
  return recordToTrajectories(format, value, location).map(({ trajectory, isCorrect, task }) => {
    const text = sourceText(format, value, trajectory);
    return {
      ...(text === undefined ? {} : { text }),
      task:
        task ??
        tasks.get(trajectory.taskId) ??
        validate(
          taskSchema,
          {
            id: trajectory.taskId,
            question: trajectory.question ?? '',
            goldAnswers: goldFromMetadata(trajectory),
          },
          { what: 'task' },
        ),
      trajectory,
      label: isCorrect,
    };
  });
}

/** The text as released (GSM8K model solutions, ToRA): what the paper preset scores. */
function sourceText(
  format: TrajectoryRecordFormat,
  value: unknown,
  trajectory: { provenance: { model?: string | undefined } },
): string | undefined {
  const record = value as Record<string, unknown>;
  const text =
    format === 'gsm8k-solutions'
      ? (record[trajectory.provenance.model ?? ''] as { solution?: unknown } | undefined)?.solution
      : format === 'tora'
        ? record.solution
        : undefined;
  return typeof text === 'string' ? text : undefined;
}

/** C, L, E, the length reference and (paper) the stored score, flat for a reader of the report. */
function partsOf(report: EvaluationReport): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const [key, name] of [
    ['confidence', 'C'],
    ['length', 'L'],
    ['repetition', 'E'],
  ] as const) {
    const score = report.dimensions[key]?.score;
    if (score !== undefined) out[name] = score;
  }
  if (report.words !== undefined) out.words = report.words;
  if (report.idealLength !== undefined) out.idealLength = report.idealLength;
  if (report.paper !== undefined) out.storedQuality = report.paper.stored;
  return out;
}

function mean(values: number[]): string {
  return values.length === 0 ? '-' : (values.reduce((a, b) => a + b, 0) / values.length).toFixed(3);
}

export const evaluateCommand: CliCommand = {
  register(program, io) {
    program
      .command('evaluate')
      .description(
        'score trajectories per dimension, decide keep / repair / discard per query, and print a summary',
      )
      .argument(
        '<input>',
        'JSONL of trajectories (or GSM8K model solutions / ToRA outputs, detected automatically)',
      )
      .requiredOption('--out <file>', 'report JSONL, one line per trajectory (overwritten)')
      .option(
        '--preset <name>',
        "paper (the paper's released code exactly, on the text as written) or autotraj (every rule dimension; full is its old name)",
        'paper',
      )
      .option(
        '--from <format>',
        `input layout: auto or one of ${trajectoryRecordFormats.join(', ')}`,
        'auto',
      )
      .option(
        '--tasks <file>',
        'task JSONL (id, question, goldAnswers) giving gold answers by taskId',
      )
      .action(async (input: string, options: EvaluateOptions) => {
        if (!presetNames.includes(options.preset as PresetName)) {
          throw new CliError({
            message: `unknown --preset "${options.preset}"; expected paper or autotraj`,
            exitCode: 2,
          });
        }
        if (options.from !== 'auto' && !isTrajectoryRecordFormat(options.from)) {
          throw new CliError({
            message: `unknown --from "${options.from}"; expected auto or one of ${trajectoryRecordFormats.join(', ')}`,
            exitCode: 2,
          });
        }
        const tasks =
          options.tasks === undefined ? new Map<string, Task>() : await readTasks(options.tasks);
        // Candidates for the same query are scored together (length reference, selection).
        const groups = new Map<string, Item[]>();
        let format: TrajectoryRecordFormat | null =
          options.from === 'auto' ? null : (options.from as TrajectoryRecordFormat);
        for await (const { value, line } of readJsonl(input)) {
          format ??= detectRecordFormat(value);
          if (format === null) {
            throw new CliError({
              message: `${input}, line ${line}: cannot tell the record format; pass --from (one of ${trajectoryRecordFormats.join(', ')})`,
            });
          }
          for (const item of itemsOf(format, value, { file: input, line }, tasks)) {
            const group = groups.get(item.task.id);
            if (group === undefined) groups.set(item.task.id, [item]);
            else group.push(item);
          }
        }

        const evaluator = createEvaluator({ preset: options.preset as PresetName });
        rmSync(options.out, { force: true });
        const writer = createJsonlWriter(options.out);
        const reports: {
          report: EvaluationReport;
          decision: SelectionDecision;
          label: boolean | null;
        }[] = [];
        try {
          for (const group of groups.values()) {
            const task = group[0]!.task;
            const { reports: groupReports, decisions } = await evaluator.evaluateGroup({
              task,
              candidates: group.map((item) => item.trajectory),
              ...(group.every((item) => item.text !== undefined)
                ? { texts: group.map((item) => item.text!) }
                : {}),
            });
            groupReports.forEach((report, index) => {
              const item = group[index]!;
              const decision = decisions[index]!;
              reports.push({ report, decision, label: item.label });
              writer.write({
                trajectoryId: report.trajectoryId,
                taskId: task.id,
                ...(item.trajectory.provenance.model === undefined
                  ? {}
                  : { model: item.trajectory.provenance.model }),
                correct: report.correct,
                ...(item.label === null ? {} : { label: item.label }),
                quality: report.quality,
                ...partsOf(report),
                action: decision.action,
                reason: decision.reason,
                dimensions: report.dimensions,
                diagnostics: report.diagnostics,
              });
            });
          }
        } finally {
          writer.close();
        }

        const labelled = reports.filter((r) => r.label !== null && r.report.correct !== null);
        const agree = labelled.filter((r) => r.label === r.report.correct).length;
        const count = (action: string) =>
          reports.filter((r) => r.decision.action === action).length;
        const dimensionNames = [
          ...new Set(reports.flatMap((r) => Object.keys(r.report.dimensions))),
        ];
        const rows: (string | number)[][] = [
          ['trajectories', reports.length],
          ['queries', groups.size],
          ['correct', reports.filter((r) => r.report.correct === true).length],
          ['wrong', reports.filter((r) => r.report.correct === false).length],
          ['no gold', reports.filter((r) => r.report.correct === null).length],
        ];
        if (labelled.length > 0)
          rows.push([
            'agreement with labels',
            `${agree}/${labelled.length} (${((100 * agree) / labelled.length).toFixed(2)}%)`,
          ]);
        rows.push(
          ['keep', count('keep')],
          ['repair', count('repair')],
          ['discard', count('discard')],
        );
        rows.push(['quality (mean)', mean(reports.map((r) => r.report.quality))]);
        for (const name of dimensionNames) {
          rows.push([
            `  ${name}`,
            mean(
              reports.flatMap((r) =>
                r.report.dimensions[name] ? [r.report.dimensions[name]!.score] : [],
              ),
            ),
          ]);
        }
        const withDiagnostic = (code: string) =>
          reports.filter((r) => r.report.diagnostics.some((d) => d.code === code)).length;
        if (dimensionNames.includes('consistency')) {
          rows.push([
            'wrong calculator results',
            withDiagnostic('consistency/calculator-mismatch'),
          ]);
          rows.push([
            'unverifiable calculator annotations',
            withDiagnostic('consistency/calculator-unverifiable'),
          ]);
        }
        println(io.stdout, formatTable(rows, [`preset ${evaluator.preset}`, 'value']));
        println(io.stdout, `wrote ${options.out}`);
      });
  },
};
