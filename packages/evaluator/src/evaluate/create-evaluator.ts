import {
  type EvaluateInput,
  type Evaluator,
  RUN_DEFAULTS,
  type Task,
  type Trajectory,
} from '@autotraj/trajectory';
import { isSealedTrajectory, uncheckedTextCodec } from '@autotraj/trajectory/internal';
import {
  type ConsistencyOptions,
  consistencyChecks,
  consistencyDimension,
  consistencyScore,
} from '../dimensions/consistency.js';
import {
  type CorrectnessOptions,
  correctnessDimension,
  correctnessDimensionAsync,
} from '../dimensions/correctness.js';
import { appendFabricatedOutput } from '../dimensions/fabricated-output.js';
import { formatDimension, type PaperFormatOptions } from '../dimensions/paper-format.js';
import {
  type PythonReexecutionOptions,
  reexecutePython,
} from '../dimensions/python-reexecution.js';
import {
  confidenceDimension,
  lengthDimension,
  repetitionDimension,
} from '../dimensions/text-quality.js';
import {
  type ToolValidityOptions,
  toolsOffered,
  toolValidityDimension,
} from '../dimensions/tool-validity.js';
import { type Diagnostic, type DimensionResult, whitespaceWords } from '../dimensions/types.js';
import { EvaluatorError } from '../errors.js';
import type { LlmJudge } from '../judge/llm-judge.js';
import { pyRound } from '../paper/python-text.js';
import {
  type AcceptRepairDecision,
  type AcceptRepairInput,
  acceptRepair,
} from './accept-repair.js';
import {
  type PaperTextFacts,
  paperAcceptRepair,
  paperAnswerKind,
  paperDimensions,
  paperFactsFor,
  paperIdealLengths,
  paperQuality,
  paperSelect,
  paperTextOf,
} from './paper-mode.js';
import {
  type DimensionName,
  dimensionNames,
  getPreset,
  type PresetName,
  type QualityWeights,
  qualityScore,
  type Thresholds,
} from './presets.js';
import type { EvaluationReport, GroupEvaluation } from './report.js';
import { selectCandidates } from './selection.js';

export interface EvaluatorOptions {
  /**
   * `paper` (default): the paper's released code exactly (its text checks, length groups,
   * rounded thresholds and repair acceptance). `autotraj` (alias `full`): every rule dimension.
   */
  preset?: PresetName;
  /** Override or add dimension weights (normalised to sum to 1 over the computed dimensions). */
  weights?: QualityWeights;
  thresholds?: Partial<Thresholds>;
  /** Dimensions to compute; default the preset's (plus `judge` when a judge is given). */
  dimensions?: ReadonlyArray<DimensionName>;
  /** Optional LLM judge (see `createLlmJudge`); adds the `judge` dimension. */
  judge?: LlmJudge;
  /** Share of the judge in the quality score: (1 - w) * rule quality + w * judge. Default 0.2. */
  judgeWeight?: number;
  correctness?: CorrectnessOptions;
  format?: PaperFormatOptions;
  toolValidity?: ToolValidityOptions;
  consistency?: ConsistencyOptions;
  /**
   * Re-run recorded Python calls (e.g. with `createPythonPool()` from @autotraj/tools) and
   * count disagreements in `consistency`. Only `evaluate` / `evaluateGroup` do this (it is
   * asynchronous); off by default because it executes model-written code.
   */
  python?: PythonReexecutionOptions;
}

/** `createEvaluator()`'s evaluator: the shared `Evaluator` contract plus presets and sync scoring. */
export interface PresetEvaluator extends Evaluator {
  readonly preset: PresetName;
  readonly weights: Readonly<QualityWeights>;
  readonly thresholds: Readonly<Thresholds>;
  readonly dimensions: ReadonlyArray<DimensionName>;
  /** Score one trajectory; `group` (candidates for the same query) sets the length reference. */
  evaluate(input: PresetEvaluateInput): Promise<EvaluationReport>;
  /** The synchronous rule-based part (no judge). */
  evaluateSync(input: PresetEvaluateInput): EvaluationReport;
  /** Score every candidate for one query and decide keep / repair / discard for each. */
  evaluateGroup(input: {
    task: Task;
    candidates: ReadonlyArray<Trajectory>;
    /** `paper` preset: the text each candidate was written as (default: see `PresetEvaluateInput.text`). */
    texts?: ReadonlyArray<string>;
  }): Promise<GroupEvaluation>;
  /** The preset's repair acceptance rule with this evaluator's thresholds. */
  acceptRepair(input: Omit<AcceptRepairInput, 'thresholds'>): AcceptRepairDecision;
}

/** The contract's `EvaluateInput` plus the text as written, which the paper preset scores. */
export interface PresetEvaluateInput extends EvaluateInput {
  /**
   * `paper` preset: the text as written, which is what the paper scores. Default: the
   * trajectory's `metadata.sourceText`, else its tag rendering.
   */
  text?: string;
}

interface Rendered {
  text: string;
  words: string[];
}

// Group members are rendered once per object, not once per candidate they are compared with.
const renderCache = new WeakMap<Trajectory, Rendered>();

/** The tag rendering the paper preset scores when a trajectory carries no text. */
const renderedText = (trajectory: Trajectory): string => render(trajectory).text;

function render(trajectory: Trajectory): Rendered {
  // Only a sealed trajectory (deep-frozen, see @autotraj/trajectory) is remembered: a caller's
  // own object may be changed in place between calls (an agent appending a step), and its old
  // rendering would then be scored.
  const sealed = isSealedTrajectory(trajectory);
  const cached = sealed ? renderCache.get(trajectory) : undefined;
  if (cached !== undefined) return cached;
  // Unchecked: the entry point checked the trajectory already.
  const text = uncheckedTextCodec('tags').render(trajectory.steps);
  const rendered = { text, words: whitespaceWords(text) };
  if (sealed) renderCache.set(trajectory, rendered);
  return rendered;
}

/** Build an evaluator from a preset plus overrides. */
export function createEvaluator(options: EvaluatorOptions = {}): PresetEvaluator {
  const preset = getPreset(options.preset ?? RUN_DEFAULTS.preset);
  // A threshold given as undefined keeps the preset's (a spread would make it undefined, and
  // every comparison with it false); the entry check accepts an optional key given so.
  const thresholds: Thresholds = { ...preset.thresholds };
  for (const key of Object.keys(thresholds) as Array<keyof Thresholds>) {
    const value = options.thresholds?.[key];
    if (value !== undefined) thresholds[key] = value;
  }
  const dimensions = [...(options.dimensions ?? preset.dimensions)];
  if (options.judge !== undefined && !dimensions.includes('judge')) dimensions.push('judge');
  for (const name of dimensions) {
    if (!dimensionNames.includes(name))
      throw new EvaluatorError({ code: 'invalid_option', message: `unknown dimension "${name}"` });
  }
  if (dimensions.includes('judge') && options.judge === undefined) {
    throw new EvaluatorError({
      code: 'invalid_option',
      message: 'the judge dimension needs a judge (createLlmJudge)',
    });
  }
  const weights: QualityWeights = { ...preset.weights, ...options.weights };
  const judgeWeight = options.judgeWeight ?? 0.2;
  if (!(judgeWeight >= 0 && judgeWeight <= 1))
    throw new EvaluatorError({
      code: 'invalid_option',
      message: `judgeWeight must be in [0, 1], got ${judgeWeight}`,
    });
  for (const [name, weight] of Object.entries(weights)) {
    if (!(typeof weight === 'number' && weight >= 0 && Number.isFinite(weight))) {
      throw new EvaluatorError({
        code: 'invalid_option',
        message: `weight for "${name}" must be a non-negative number`,
      });
    }
  }
  const active = new Set(dimensions);
  const allPaperDimensions = (['correctness', 'confidence', 'length', 'repetition'] as const).every(
    (name) => active.has(name),
  );
  const paperMode = preset.name === 'paper';
  // The paper's float, bit for bit, unless the caller re-weighs the dimensions.
  const paperWeights = options.weights === undefined;
  const consistencyOptions: ConsistencyOptions = {
    calculatorCache: new Map(),
    ...options.consistency,
  };
  const maxToolCalls = options.toolValidity?.maxToolCalls ?? options.format?.maxToolCalls;

  // With an asynchronous backend (Math-Verify in Python) correctness is computed by `evaluate`.
  const asyncCorrectness = options.correctness?.backend !== undefined;
  // The paper preset checks answers with the paper's own rules; a backend would be ignored.
  if (paperMode && asyncCorrectness)
    throw new EvaluatorError({
      code: 'invalid_option',
      message:
        "correctness.backend applies to the autotraj preset; the paper preset checks answers with the paper's own rules",
    });

  function ruleDimensions(
    task: Task,
    trajectory: Trajectory,
    own: Rendered,
    shortest: number,
    skipCorrectness = false,
  ) {
    const results: Record<string, DimensionResult> = {};
    let correct: boolean | null = null;
    if (active.has('correctness') && !skipCorrectness) {
      const outcome = correctnessDimension(task, trajectory, options.correctness);
      correct = outcome.correct;
      if (outcome.dimension !== null) results.correctness = outcome.dimension;
    }
    if (active.has('format')) results.format = formatDimension(own.text, options.format);
    if (active.has('confidence')) results.confidence = confidenceDimension(trajectory);
    if (active.has('length')) results.length = lengthDimension(own.words.length, shortest);
    if (active.has('repetition')) results.repetition = repetitionDimension(own.words);
    if (active.has('toolValidity'))
      results.toolValidity = toolValidityDimension(trajectory, {
        ...options.toolValidity,
        ...(maxToolCalls === undefined ? {} : { maxToolCalls }),
        requireCall: options.toolValidity?.requireCall ?? toolsOffered(task, trajectory),
      });
    if (active.has('consistency'))
      results.consistency = consistencyDimension(trajectory, consistencyOptions);
    return { results, correct };
  }

  function report(
    trajectory: Trajectory,
    correct: boolean | null,
    results: Record<string, DimensionResult>,
    /** The rule quality when the caller has it (the paper's float). */
    given?: number,
  ): EvaluationReport {
    let ruleQuality = given;
    if (ruleQuality === undefined) {
      const scores: Record<string, number> = {};
      // for-in, as for the diagnostics below: Object.entries built an array a dimension.
      for (const name in results) if (name !== 'judge') scores[name] = results[name]!.score;
      ruleQuality = qualityScore(scores, weights);
    }
    const judged = results.judge;
    // Made-up tool output costs consistency; where consistency is not computed (the paper
    // preset) it is still reported, without changing any score.
    const diagnostics: Diagnostic[] = [];
    for (const name in results)
      for (const found of results[name]!.diagnostics) diagnostics.push(found);
    if (results.consistency === undefined) appendFabricatedOutput(diagnostics, trajectory);
    return {
      trajectoryId: trajectory.id,
      correct,
      quality:
        judged === undefined
          ? ruleQuality
          : (1 - judgeWeight) * ruleQuality + judgeWeight * judged.score,
      dimensions: results,
      diagnostics,
    };
  }

  function shortestOf(
    own: Rendered,
    group: ReadonlyArray<Trajectory> | undefined,
    cache?: Map<string, Rendered>,
  ): number {
    let shortest = own.words.length;
    for (const other of group ?? []) {
      const rendered = cache?.get(other.id) ?? render(other);
      shortest = Math.min(shortest, rendered.words.length);
    }
    return shortest;
  }

  const answerKind = (task: Task) => paperAnswerKind(task, options.correctness?.answerKind);

  function paperReport(
    trajectory: Trajectory,
    facts: PaperTextFacts,
    idealLength: number,
  ): EvaluationReport {
    const results = paperDimensions(facts, idealLength);
    // The paper's float from all three parts, before dimensions switched off are dropped.
    const paperFloat = paperWeights ? paperQuality(results) : undefined;
    if (!allPaperDimensions)
      for (const name in results) if (!active.has(name as DimensionName)) delete results[name];
    const { trajectoryId, correct, quality, dimensions, diagnostics } = report(
      trajectory,
      facts.correct,
      results,
      paperFloat,
    );
    // One literal in the order the fields were added before (the same JSON): adding three
    // fields to the finished report grew its property store for every candidate.
    return {
      trajectoryId,
      correct,
      quality,
      dimensions,
      diagnostics,
      words: facts.words,
      idealLength,
      paper: {
        stored: facts.correct === false ? null : pyRound(quality, 4),
        looseCorrect: facts.looseCorrect,
      },
    };
  }

  function paperEvaluateSync(input: PresetEvaluateInput): EvaluationReport {
    const { facts, lengthFacts } = paperFactsFor(input.task, answerKind(input.task));
    const own = facts(paperTextOf(input.trajectory, renderedText, input.text));
    // The others only set the length reference: their words and answers, not their scores.
    const others = (input.group ?? [])
      .filter((other) => other !== input.trajectory && other.id !== input.trajectory.id)
      .map((other) => lengthFacts(paperTextOf(other, renderedText)));
    const ideal = paperIdealLengths([own, ...others])[0]!;
    return paperReport(input.trajectory, own, ideal);
  }

  function evaluateSync(
    {
      task,
      trajectory,
      group,
    }: { task: Task; trajectory: Trajectory; group?: ReadonlyArray<Trajectory> },
    cache?: Map<string, Rendered>,
    skipCorrectness = false,
  ): EvaluationReport {
    const own = cache?.get(trajectory.id) ?? render(trajectory);
    const shortest = shortestOf(own, group, cache);
    const { results, correct } = ruleDimensions(task, trajectory, own, shortest, skipCorrectness);
    const { trajectoryId, quality, dimensions, diagnostics } = report(trajectory, correct, results);
    // One literal in the order the spread gave (the same JSON): copying the finished report
    // into a new object and growing it by two fields took a twentieth of the full preset.
    return {
      trajectoryId,
      correct,
      quality,
      dimensions,
      diagnostics,
      words: own.words.length,
      idealLength: shortest,
    };
  }

  async function evaluateWithCache(
    input: PresetEvaluateInput,
    cache?: Map<string, Rendered>,
    paperBase?: EvaluationReport,
  ): Promise<EvaluationReport> {
    let base =
      paperBase ??
      (paperMode ? paperEvaluateSync(input) : evaluateSync(input, cache, asyncCorrectness));
    // The paper preset checks answers its own way; the async backend serves the others.
    if (!paperMode && asyncCorrectness && active.has('correctness')) {
      const outcome = await correctnessDimensionAsync(
        input.task,
        input.trajectory,
        options.correctness,
      );
      const { correctness: _old, ...others } = base.dimensions;
      base = {
        ...base,
        ...report(input.trajectory, outcome.correct, {
          ...(outcome.dimension === null ? {} : { correctness: outcome.dimension }),
          ...others,
        }),
      };
    }
    if (options.python !== undefined && active.has('consistency')) {
      const rule = consistencyChecks(input.trajectory, consistencyOptions);
      const python = await reexecutePython(input.trajectory, options.python);
      const consistency = {
        score: consistencyScore({
          checks: rule.checks + python.checks,
          passed: rule.passed + python.passed,
          fabricated: rule.fabricated,
        }),
        diagnostics: [...rule.diagnostics, ...python.diagnostics],
      };
      base = {
        ...base,
        ...report(input.trajectory, base.correct, { ...base.dimensions, consistency }),
      };
    }
    if (!active.has('judge') || options.judge === undefined) return base;
    const {
      verdict: _verdict,
      cached: _cached,
      ...judged
    } = await options.judge.judge({ task: input.task, trajectory: input.trajectory });
    const ruleQuality = base.quality;
    return {
      ...base,
      quality: (1 - judgeWeight) * ruleQuality + judgeWeight * judged.score,
      dimensions: { ...base.dimensions, judge: judged },
      diagnostics: [...base.diagnostics, ...judged.diagnostics],
    };
  }

  async function paperEvaluateGroup(
    task: Task,
    candidates: ReadonlyArray<Trajectory>,
    texts: ReadonlyArray<string> | undefined,
  ): Promise<GroupEvaluation> {
    if (texts !== undefined && texts.length !== candidates.length)
      throw new EvaluatorError({
        code: 'invalid_option',
        message: `texts has ${texts.length} entries for ${candidates.length} candidates`,
      });
    const factsOf = paperFactsFor(task, answerKind(task)).facts;
    const facts = candidates.map((candidate, i) =>
      factsOf(paperTextOf(candidate, renderedText, texts?.[i])),
    );
    const ideals = paperIdealLengths(facts);
    // Python re-execution and the judge are the only asynchronous parts.
    const more =
      (options.python !== undefined && active.has('consistency')) ||
      (active.has('judge') && options.judge !== undefined);
    const reports: EvaluationReport[] = [];
    for (let i = 0; i < candidates.length; i++) {
      const base = paperReport(candidates[i]!, facts[i]!, ideals[i]!);
      reports.push(
        more
          ? await evaluateWithCache({ task, trajectory: candidates[i]! }, undefined, base)
          : base,
      );
    }
    return { reports, decisions: paperSelect(reports, thresholds) };
  }

  return {
    preset: preset.name,
    weights,
    thresholds,
    dimensions,
    evaluateSync: (input) => (paperMode ? paperEvaluateSync(input) : evaluateSync(input)),
    evaluate: (input) => evaluateWithCache(input),
    async evaluateGroup({ task, candidates, texts }) {
      if (paperMode) return paperEvaluateGroup(task, candidates, texts);
      const cache = new Map(candidates.map((candidate) => [candidate.id, render(candidate)]));
      const reports: EvaluationReport[] = [];
      for (const trajectory of candidates)
        reports.push(await evaluateWithCache({ task, trajectory, group: candidates }, cache));
      const rendered = new Map([...cache].map(([id, r]) => [id, r.text]));
      const empty = new Set(
        candidates
          .filter((candidate) => candidate.steps.length === 0)
          .map((candidate) => candidate.id),
      );
      return {
        reports,
        decisions: selectCandidates(reports, { thresholds, texts: rendered, empty }),
      };
    },
    acceptRepair: (input) =>
      paperMode
        ? paperAcceptRepair({ ...input, thresholds })
        : acceptRepair({ ...input, thresholds }),
  };
}
