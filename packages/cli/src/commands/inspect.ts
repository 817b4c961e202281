import { basename } from 'node:path';
import type { ParseIssue, Trajectory } from '@autotraj/trajectory';
import { isEmptyFile, resolveInput } from '../input/input-files.js';
import {
  failIfAllRejected,
  newStats,
  type RecordInputStats,
  readTrajectoryInput,
  reportRejects,
} from '../input/read-records.js';
import { describeKind } from '../input/record-kinds.js';
import { formatTable, println } from '../io.js';
import type { CliCommand } from './command.js';

/** Aggregate statistics over a trajectory file, as `inspect` prints them. */
export interface InspectSummary {
  file: string;
  /** The record kind or layout detected (or given with --from). */
  format: string | null;
  lines: number;
  /** Lines read into records (lines minus rejected). */
  records: number;
  rejected: number;
  rejectsPath: string | null;
  trajectories: number;
  steps: Record<string, number>;
  toolCalls: {
    total: number;
    perTrajectoryMean: number;
    perTrajectoryMax: number;
    withoutCalls: number;
    byTool: Record<string, number>;
  };
  toolResults: { total: number; errors: number; timedOut: number; unanswered: number };
  answers: { withAnswer: number; withoutAnswer: number };
  labels: { correct: number; incorrect: number; unlabelled: number };
  models: Record<string, number>;
  parseIssues: Record<string, number>;
}

function bump(map: Record<string, number>, key: string, by = 1): void {
  map[key] = (map[key] ?? 0) + by;
}

export function summarize(
  items: Iterable<{ trajectory: Trajectory; isCorrect: boolean | null; issues: ParseIssue[] }>,
  base: Pick<InspectSummary, 'file'>,
): InspectSummary {
  const summary: InspectSummary = {
    file: base.file,
    format: null,
    lines: 0,
    records: 0,
    rejected: 0,
    rejectsPath: null,
    trajectories: 0,
    steps: {},
    toolCalls: { total: 0, perTrajectoryMean: 0, perTrajectoryMax: 0, withoutCalls: 0, byTool: {} },
    toolResults: { total: 0, errors: 0, timedOut: 0, unanswered: 0 },
    answers: { withAnswer: 0, withoutAnswer: 0 },
    labels: { correct: 0, incorrect: 0, unlabelled: 0 },
    models: {},
    parseIssues: {},
  };
  for (const { trajectory, isCorrect, issues } of items)
    addToSummary(summary, trajectory, isCorrect, issues);
  return summary;
}

function addToSummary(
  summary: InspectSummary,
  trajectory: Trajectory,
  isCorrect: boolean | null,
  issues: ParseIssue[],
): void {
  summary.trajectories++;
  let calls = 0;
  const answered = new Set<string>();
  for (const step of trajectory.steps) {
    bump(summary.steps, step.type);
    if (step.type === 'tool-call') {
      calls++;
      bump(summary.toolCalls.byTool, step.toolName);
    } else if (step.type === 'tool-result') {
      answered.add(step.callId);
      summary.toolResults.total++;
      if (step.isError) summary.toolResults.errors++;
      if (step.timedOut) summary.toolResults.timedOut++;
    }
  }
  for (const step of trajectory.steps)
    if (step.type === 'tool-call' && !answered.has(step.callId)) summary.toolResults.unanswered++;
  summary.toolCalls.total += calls;
  summary.toolCalls.perTrajectoryMax = Math.max(summary.toolCalls.perTrajectoryMax, calls);
  summary.toolCalls.perTrajectoryMean = summary.toolCalls.total / summary.trajectories;
  if (calls === 0) summary.toolCalls.withoutCalls++;
  if (trajectory.finalAnswer === null) summary.answers.withoutAnswer++;
  else summary.answers.withAnswer++;
  if (isCorrect === true) summary.labels.correct++;
  else if (isCorrect === false) summary.labels.incorrect++;
  else summary.labels.unlabelled++;
  bump(summary.models, trajectory.provenance.model ?? '(unknown)');
  for (const issue of issues) bump(summary.parseIssues, issue.code);
}

export function formatSummary(summary: InspectSummary): string {
  const rows: (string | number)[][] = [
    ['file', summary.file],
    [
      'format',
      summary.format === null ? '-' : `${summary.format}: ${describeKind(summary.format)}`,
    ],
    ['lines', String(summary.lines)],
    ['records read', String(summary.records)],
    ['lines rejected', String(summary.rejected)],
    ['trajectories', String(summary.trajectories)],
    [
      'steps',
      Object.entries(summary.steps)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ') || '-',
    ],
    [
      'tool calls',
      `${summary.toolCalls.total} (mean ${summary.toolCalls.perTrajectoryMean.toFixed(2)}, max ${summary.toolCalls.perTrajectoryMax}, none in ${summary.toolCalls.withoutCalls})`,
    ],
    [
      'calls by tool',
      Object.entries(summary.toolCalls.byTool)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ') || '-',
    ],
    [
      'tool results',
      `${summary.toolResults.total} (errors ${summary.toolResults.errors}, timed out ${summary.toolResults.timedOut}, calls without result ${summary.toolResults.unanswered})`,
    ],
    [
      'final answer',
      `${summary.answers.withAnswer} present, ${summary.answers.withoutAnswer} missing`,
    ],
    [
      'labels',
      `${summary.labels.correct} correct, ${summary.labels.incorrect} incorrect, ${summary.labels.unlabelled} unlabelled`,
    ],
    [
      'models',
      Object.entries(summary.models)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ') || '-',
    ],
    [
      'parse issues',
      Object.entries(summary.parseIssues)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ') || 'none',
    ],
  ];
  if (summary.rejectsPath !== null) rows.push(['rejects file', summary.rejectsPath]);
  return formatTable(rows);
}

interface InspectOptions {
  from: string;
  json?: boolean;
  strict?: boolean;
  rejects?: string;
}

export const inspectCommand: CliCommand = {
  register(program, io) {
    program
      .command('inspect')
      .description(
        'summarise trajectory files or a run directory: counts, tool-call statistics, answers, labels, errors',
      )
      .argument(
        '<file>',
        'JSONL file (anything autotraj writes: candidates, SFT, pairs, hard cases, rollouts, eval results; or trajectories, GSM8K, ToRA, chat, text records, tasks) or a run directory',
      )
      .option('--from <format>', 'input kind (default: detect from the first record)', 'auto')
      .option('--json', 'print the summary as JSON (an array for a run directory)')
      .option('--strict', 'stop at the first bad line')
      .option(
        '--rejects <file>',
        'where bad lines go (default: ./<file>.rejects.jsonl in the current directory, never inside the input)',
      )
      .action(async (file: string, options: InspectOptions) => {
        const input = resolveInput(file);
        const summaries: InspectSummary[] = [];
        const all: RecordInputStats[] = [];
        for (const entry of input.files) {
          // Rejects go to the current directory (or --rejects), not into the data being inspected.
          const rejectsPath =
            options.rejects === undefined
              ? `${input.runDir === null ? basename(entry.path) : `${basename(input.runDir)}-${entry.name.replaceAll('/', '-')}`}.rejects.jsonl`
              : input.runDir === null
                ? options.rejects
                : `${options.rejects}.${entry.name.replaceAll('/', '-')}`;
          const stats = newStats(entry.path);
          const summary = summarize([], { file: entry.path });
          for await (const item of readTrajectoryInput(
            {
              path: entry.path,
              from: options.from,
              strict: options.strict ?? false,
              rejectsPath,
              skipUnknown: input.runDir !== null,
            },
            stats,
          )) {
            addToSummary(summary, item.trajectory, item.isCorrect, item.issues);
          }
          if (stats.kind === null && input.runDir !== null) {
            println(
              io.stderr,
              `autotraj inspect: skipped ${entry.path} (${isEmptyFile(entry.path) ? 'empty' : 'not a record autotraj reads'})`,
            );
            continue;
          }
          summary.format = stats.kind;
          summary.lines = stats.lines;
          summary.records = stats.records;
          summary.rejected = stats.rejected;
          summary.rejectsPath = stats.rejectsPath;
          summaries.push(summary);
          all.push(stats);
        }
        if (options.json)
          println(
            io.stdout,
            JSON.stringify(input.runDir === null ? summaries[0] : summaries, null, 2),
          );
        else println(io.stdout, summaries.map(formatSummary).join('\n\n'));
        for (const stats of all) reportRejects(io, stats, 'inspect');
        failIfAllRejected(all);
      });
  },
};
