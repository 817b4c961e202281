import { existsSync, readFileSync } from 'node:fs';
import {
  type AdmissionTally,
  formatDroppedByReason,
  type SynthesisManifest,
} from '@autotraj/trajectory';

/**
 * Plain statements of what each stage of `autotraj run` did, from the figures it measured. A
 * tiny model gets little right; these say so (zero kept, zero pairs, zero-variance groups)
 * instead of leaving the user to infer it from empty files.
 */

/** Parsed JSONL lines of a file (absent: none; unparsable lines are skipped: counting only). */
function jsonLines(path: string): unknown[] {
  if (!existsSync(path)) return [];
  const out: unknown[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    try {
      out.push(JSON.parse(line));
    } catch {}
  }
  return out;
}

export interface CandidateFigures {
  candidates: number;
  correct: number;
  decisions: Record<string, number>;
}

/** Candidates, how many answered correctly, and the keep / repair / discard decisions. */
export function candidateFigures(candidatesPath: string): CandidateFigures {
  const figures: CandidateFigures = { candidates: 0, correct: 0, decisions: {} };
  for (const line of jsonLines(candidatesPath)) {
    const c = line as { correct?: unknown; decision?: { action?: unknown } };
    figures.candidates++;
    if (c.correct === true) figures.correct++;
    const action = typeof c.decision?.action === 'string' ? c.decision.action : 'unknown';
    figures.decisions[action] = (figures.decisions[action] ?? 0) + 1;
  }
  return figures;
}

export interface SynthesisNoteInput extends CandidateFigures {
  kept: number;
  repairsAccepted: number;
  hard: number;
  sft: number;
  pairs: number;
}

export function synthesisNotes(f: SynthesisNoteInput): string[] {
  const notes = [`${f.correct} of ${f.candidates} candidates answered correctly`];
  const decisions = Object.entries(f.decisions)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([action, count]) => `${count} ${action}`)
    .join(', ');
  notes.push(
    f.kept === 0
      ? `no candidate was good enough to keep as it was (decisions: ${decisions || 'none'})`
      : `${f.kept} kept as they were (decisions: ${decisions})`,
  );
  const sent = f.decisions.repair ?? 0;
  if (sent > 0)
    notes.push(
      `${f.repairsAccepted} of ${sent} repairs accepted; ${f.hard} hard case(s) the repairer could not fix`,
    );
  notes.push(
    f.sft === 0
      ? 'the SFT set is empty: nothing from this run is fit to fine-tune on'
      : `${f.sft} SFT record(s)`,
  );
  notes.push(`${f.pairs} preference pair(s) (repaired, original)`);
  return notes;
}

export interface AdmissionFigures {
  /** `well-formed`, `none`, or null when the run did not record one (written before the gate). */
  mode: string | null;
  droppedSft: number;
  droppedPairs: number;
  /** Refused trajectories by reason code (one may fail several checks). */
  byReason: Record<string, number>;
}

/** The admission gate's figures from a synthesis manifest (`admission`, `counts`), if it has them. */
export function admissionFigures(manifest: SynthesisManifest | null): AdmissionFigures | null {
  const c = manifest?.counts;
  if (c?.droppedSft === undefined || c.droppedPairs === undefined) return null;
  return {
    mode: manifest?.admission ?? null,
    droppedSft: c.droppedSft,
    droppedPairs: c.droppedPairs,
    byReason: { ...c.droppedByReason },
  };
}

/** One line on what the admission gate kept out of the SFT set and the pairs, and why. */
export function admissionNote(f: AdmissionFigures): string {
  if (f.mode === 'none')
    return 'admission gate off (--admission none): every kept trajectory and accepted repair was written, well-formed or not';
  if (f.droppedSft === 0 && f.droppedPairs === 0)
    return 'admission gate: nothing dropped (every SFT record and chosen trajectory is well-formed)';
  const reasons = formatDroppedByReason(f.byReason);
  return `admission gate dropped ${f.droppedSft} SFT record(s) and ${f.droppedPairs} preference pair(s) unfit to train on, kept in dropped.jsonl (by reason: ${reasons})`;
}

/**
 * One line on what the admission gate did to a set about to be trained on (train-sft's SFT
 * records, train-rm's pairs), from the tally the training report holds.
 */
export function admissionTallyNote(
  tally: AdmissionTally,
  what: string,
  options: { dryRun?: boolean } = {},
): string {
  const dry = options.dryRun === true;
  if (tally.mode === 'none')
    return `admission gate off (--admission none): all ${tally.given} ${what} ${dry ? 'would be ' : ''}trained on, well-formed or not`;
  if (tally.dropped === 0) return `admission gate: all ${tally.given} ${what} well-formed`;
  const reasons = formatDroppedByReason(tally.droppedByReason);
  return dry
    ? `admission gate would refuse ${tally.dropped} of ${tally.given} ${what} (by reason: ${reasons}); nothing written (--dry-run)`
    : `admission gate refused ${tally.dropped} of ${tally.given} ${what}, not trained on, kept in dropped.jsonl (by reason: ${reasons})`;
}

/** The reward-model stage's skip statement (too few pairs). */
export function tooFewPairsNote(pairs: number, minPairs: number): string {
  return `${pairs} preference pair(s): too few to train a reward model (need ${minPairs}); rollout rewards use format + outcome only`;
}

export interface RolloutFigures {
  rollouts: number;
  groups: number;
  /** Rollouts with outcome 1 (a correct answer). */
  correct: number;
  /** Rollouts that failed the format check (reward -1 in the paper preset). */
  badFormat: number;
  /** Groups where every rollout got the same total reward: zero advantages, no signal. */
  zeroVarianceGroups: number;
  usedRewardModel: boolean;
}

/** Figures over every rollout on disk (this run's and resumed groups alike). */
export function rolloutFigures(rolloutsPath: string): RolloutFigures {
  const groups = new Map<string, number[]>();
  const figures: RolloutFigures = {
    rollouts: 0,
    groups: 0,
    correct: 0,
    badFormat: 0,
    zeroVarianceGroups: 0,
    usedRewardModel: false,
  };
  for (const line of jsonLines(rolloutsPath)) {
    const r = line as {
      groupId?: unknown;
      reward?: { total?: unknown; components?: Record<string, unknown> };
    };
    const total = typeof r.reward?.total === 'number' ? r.reward.total : 0;
    const components = r.reward?.components ?? {};
    figures.rollouts++;
    if (components.outcome === 1) figures.correct++;
    if (components.format === 0) figures.badFormat++;
    if ('trajectoryModel' in components) figures.usedRewardModel = true;
    const id = String(r.groupId);
    groups.set(id, [...(groups.get(id) ?? []), total]);
  }
  figures.groups = groups.size;
  figures.zeroVarianceGroups = [...groups.values()].filter((totals) =>
    totals.every((t) => t === totals[0]),
  ).length;
  return figures;
}

export function rolloutNotes(f: RolloutFigures, rewardModelNote: string | null): string[] {
  const notes = [
    `${f.rollouts} rollout(s) in ${f.groups} group(s); ${f.correct} with a correct answer, ${f.badFormat} failed the format check`,
  ];
  notes.push(
    f.usedRewardModel
      ? 'rewards: format + outcome + the trained reward model'
      : `rewards: format + outcome only${rewardModelNote === null ? '' : ` (${rewardModelNote})`}`,
  );
  if (f.zeroVarianceGroups > 0)
    notes.push(
      `${f.zeroVarianceGroups} of ${f.groups} group(s) gave every rollout the same reward: zero advantages, no learning signal from them`,
    );
  return notes;
}
