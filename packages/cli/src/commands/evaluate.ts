import {
  createEvaluator,
  type EvaluationReport,
  type PresetName,
  presetNames,
  type SelectionDecision,
} from '@autotraj/evaluator';
import { readTasksJsonl } from '@autotraj/generation';
import {
  type JsonlWriter,
  RUN_DEFAULTS,
  type Task,
  type Trajectory,
  taskSchema,
  validate,
} from '@autotraj/trajectory';
import { CliError } from '../cli-error.js';
import { forEachInputFile } from '../input/for-each-input-file.js';
import { resolveInput, runTasksFile } from '../input/input-files.js';
import { checkFrom, type InputRecord } from '../input/read-records.js';
import { describeKind, holdsTrajectories, inputKinds } from '../input/record-kinds.js';
import { formatTable, println } from '../io.js';
import type { CliCommand } from './command.js';

interface EvaluateOptions {
  out: string;
  preset: string;
  from: string;
  tasks?: string;
  strict?: boolean;
}

interface Item {
  task: Task;
  trajectory: Trajectory;
  label: boolean | null;
  /** The record field it came from (`chosen`, `original`, ...), when the record holds several. */
  role: string | null;
  line: number;
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

/** Tasks by id from any task file `synthesize` accepts (AutoTraj tasks or GSM8K problems). */
async function readTasks(path: string): Promise<Map<string, Task>> {
  const tasks = new Map<string, Task>();
  for await (const task of readTasksJsonl(path)) tasks.set(task.id, task);
  return tasks;
}

function itemsOf(record: InputRecord, tasks: Map<string, Task>): Item[] {
  // The record's own task (GSM8K, ToRA) carries its gold answers; otherwise --tasks (or the run's
  // tasks file) by id, then gold answers the trajectory carries in its metadata.
  return record.trajectories.map(({ trajectory, isCorrect, task, role }) => {
    const text = sourceText(record.kind, record.value, trajectory);
    return {
      ...(text === undefined ? {} : { text }),
      task:
        task ??
        record.task ??
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
      role,
      line: record.line,
    };
  });
}

/** The text as released (GSM8K model solutions, ToRA): what the paper preset scores. */
function sourceText(
  kind: string,
  value: Record<string, unknown>,
  trajectory: { provenance: { model?: string | undefined } },
): string | undefined {
  const text =
    kind === 'gsm8k-solutions'
      ? (value[trajectory.provenance.model ?? ''] as { solution?: unknown } | undefined)?.solution
      : kind === 'tora'
        ? value.solution
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

/** Evaluate one file's trajectories (grouped by query), write the report, return the summary rows. */
async function evaluateFile(
  groups: Map<string, Item[]>,
  evaluator: ReturnType<typeof createEvaluator>,
  writer: JsonlWriter<unknown>,
): Promise<(string | number)[][]> {
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
          line: item.line,
          ...(item.role === null ? {} : { role: item.role }),
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
  const count = (action: string) => reports.filter((r) => r.decision.action === action).length;
  const dimensionNames = [...new Set(reports.flatMap((r) => Object.keys(r.report.dimensions)))];
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
  rows.push(['keep', count('keep')], ['repair', count('repair')], ['discard', count('discard')]);
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
    rows.push(['wrong calculator results', withDiagnostic('consistency/calculator-mismatch')]);
    rows.push([
      'unverifiable calculator annotations',
      withDiagnostic('consistency/calculator-unverifiable'),
    ]);
  }
  return rows;
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
        'JSONL of anything autotraj writes (candidates, SFT, pairs, hard cases, rollouts, eval results) or reads (trajectories, GSM8K, ToRA, chat, text), detected automatically; or a run directory',
      )
      .requiredOption(
        '--out <file>',
        'report JSONL, one line per trajectory (overwritten); for a run directory, a directory with one report per file',
      )
      .option(
        '--preset <name>',
        "paper (the paper's released code exactly, on the text as written) or autotraj (every rule dimension; full is its old name)",
        RUN_DEFAULTS.preset,
      )
      .option('--from <format>', `input kind: auto or one of ${inputKinds.join(', ')}`, 'auto')
      .option(
        '--tasks <file>',
        "tasks JSONL giving gold answers by taskId: AutoTraj tasks or GSM8K problems, as synthesize reads (default: the tasks file in the run's synthesis manifest, if any)",
      )
      .option('--strict', 'stop at the first bad line')
      .action(async (input: string, options: EvaluateOptions) => {
        if (!presetNames.includes(options.preset as PresetName)) {
          throw new CliError({
            message: `unknown --preset "${options.preset}"; expected paper or autotraj`,
            exitCode: 2,
          });
        }
        checkFrom(options.from);
        const resolved = resolveInput(input);
        const tasksPath = options.tasks ?? runTasksFile(input);
        if (options.tasks === undefined && tasksPath !== null)
          println(
            io.stderr,
            `autotraj evaluate: gold answers from ${tasksPath} (the run's manifest)`,
          );
        const tasks = tasksPath === null ? new Map<string, Task>() : await readTasks(tasksPath);
        const evaluator = createEvaluator({ preset: options.preset as PresetName });
        await forEachInputFile({
          io,
          command: 'evaluate',
          input: resolved,
          flags: options,
          heading: true,
          async read({ file, stats, records }) {
            // Candidates for the same query are scored together (length reference, selection).
            const groups = new Map<string, Item[]>();
            for await (const record of records) {
              for (const item of itemsOf(record, tasks)) {
                const group = groups.get(item.task.id);
                if (group === undefined) groups.set(item.task.id, [item]);
                else group.push(item);
              }
            }
            if (stats.kind !== null && !holdsTrajectories(stats.kind))
              throw new CliError({
                message: `${file.path} holds ${describeKind(stats.kind)}; nothing to evaluate${stats.kind === 'tasks' ? ' (pass a task file as --tasks)' : ''}`,
              });
            return groups;
          },
          async report({ out, openOutput }, groups) {
            const rows = await evaluateFile(groups, evaluator, openOutput());
            println(io.stdout, formatTable(rows, [`preset ${evaluator.preset}`, 'value']));
            println(io.stdout, `wrote ${out}`);
          },
        });
      });
  },
};
