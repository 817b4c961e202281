import { CalculatorResult, PythonExecutor } from '@autotraj/tools';
import { DimensionScore, Task, Trajectory, AutoTrajError } from '@autotraj/trajectory';
import { LanguageModel } from 'ai';
import { z } from 'zod';

/** One finding about a trajectory: which step (null: the whole trajectory), a stable code, a message. */
interface Diagnostic {
    stepIndex: number | null;
    code: string;
    message: string;
}
/** `{ score in [0,1], diagnostics }`: the shape of `dimensionScoreSchema` in @autotraj/trajectory. */
type DimensionResult = DimensionScore;
/** What every rule dimension sees about the trajectory it scores. */
interface DimensionContext {
    task: Task;
    trajectory: Trajectory;
    /** The trajectory in the paper's tag format (what the paper measures). */
    text: string;
    /** Whitespace-separated words of `text`. */
    words: string[];
    /** Word count of the shortest candidate for the same query (this one included). */
    shortestWordCount: number;
}
declare function whitespaceWords(text: string): string[];

interface ConsistencyOptions {
    /** Re-run every recorded calculator call and compare its result. Default true. */
    reexecuteCalculator?: boolean;
    /** Check that a numeric final answer appears in the last tool result or the text after it. Default true. */
    answerSupport?: boolean;
    /**
     * Re-execution results by expression, shared across calls (candidates for the same query
     * repeat expressions). The evaluator passes one per instance; pass your own to share more.
     */
    calculatorCache?: Map<string, CalculatorResult>;
}
/**
 * Consistency: recorded tool results agree with re-execution (every GSM8K `<<expr=result>>`
 * is recomputed by the @autotraj/tools calculator), and a numeric final answer is supported by
 * the last results. Score = passed checks / checks (1 when there is nothing to check).
 */
declare function consistencyDimension(trajectory: Pick<Trajectory, 'steps' | 'finalAnswer'>, options?: ConsistencyOptions): DimensionResult;

/**
 * An extracted answer broken into what gets compared: a list (comma / `and` / `;` separated
 * parts, compared as a set) or one item, each item with its CAS-ready LaTeX and a normalised
 * string for the cheap exact check. Built on the main thread, compared in the worker.
 */
type AnswerTree = {
    kind: 'list';
    items: AnswerTree[];
} | {
    kind: 'item';
    latex: string;
    key: string;
};
/** Options every comparison takes (the ones Math-Verify exposes). */
interface CompareOptions {
    /** Digits after the decimal point that must agree for floating-point values. */
    precision: number;
    /** Variables and functions must match exactly, and `k = 1` no longer matches `1`. */
    strict: boolean;
    /** Let a single inequality (`x < 2`) match an interval (`(-\infty, 2)`). */
    allowSetRelationComp: boolean;
}

type ComparisonIsolation = 'worker' | 'inline';
/** Stop the shared comparison workers (they are unref'd, so this is only needed to free them early). */
declare function stopComparisonWorker(): void;

/** What to look for: LaTeX answers (`\boxed{}`, `$...$`) and/or plain expressions and numbers. */
type ExtractionTarget = 'latex' | 'expr';
/** Where an answer was found; each kind can be switched off with `sources`. */
type AnswerSource = 'boxed' | 'answer-tag' | 'final-answer' | 'marker' | 'latex' | 'whole' | 'number';
declare const answerSources: ReadonlyArray<AnswerSource>;
interface AnswerCandidate {
    text: string;
    source: AnswerSource;
    /** Lower is stronger: explicit markers beat a trailing `$...$` or the last number. */
    priority: number;
    /** Character offset in the (backslash-normalised) text; later wins among equal priorities. */
    position: number;
}
interface ExtractOptions {
    targets?: ReadonlyArray<ExtractionTarget>;
    /** Extraction methods to use (default: all). */
    sources?: ReadonlyArray<AnswerSource>;
}
/**
 * Answer candidates in a free-text solution, strongest first: `\boxed{}`/`\fbox{}` (several
 * boxes side by side are one list answer), `<answer>` blocks, "the final answer is x",
 * `A: x` / `#### x` lines, the whole text when it is a short expression, then the later of the
 * last `$...$`-style LaTeX span and the last number.
 */
declare function extractAnswers(input: string, options?: ExtractOptions): AnswerCandidate[];

interface EquivalenceOptions {
    /** Digits after the decimal point that must agree (Math-Verify's `float_rounding`). Default 6. */
    precision?: number;
    /** Exact variables/functions; `k = 1` does not match `1`. Default false. */
    strict?: boolean;
    /** Let one-sided inequalities match intervals (`x < 2` ~ `(-\infty, 2)`). Default false. */
    allowSetRelationComp?: boolean;
    /** Deadline for one symbolic comparison. Default 5000 ms. */
    timeoutMs?: number;
    /** `worker` (default) enforces the deadline; `inline` runs in this thread without one. */
    isolation?: ComparisonIsolation;
}
interface VerifyAnswerOptions extends EquivalenceOptions {
    gold: string | ReadonlyArray<string>;
    pred: string;
    /** Extraction targets, as in Math-Verify. Default both. */
    match?: ReadonlyArray<ExtractionTarget>;
    /** Extraction methods to use (default all). */
    sources?: ReadonlyArray<AnswerSource>;
}
type VerificationMethod = 'none' | 'string' | 'number' | 'symbolic';
interface VerifyAnswerResult {
    equivalent: boolean;
    /** The answer extracted from each gold (empty string when none was found). */
    extractedGold: string[];
    /** The answer extracted from the prediction (empty when none was found). */
    extractedPred: string[];
    /** Which stage decided. */
    method: VerificationMethod;
    /** The symbolic comparison hit its deadline (and counts as not equivalent). */
    timedOut: boolean;
}
/**
 * Math-Verify-style answer check: extract the answer from gold and prediction (free text with
 * `\boxed{}`, `$...$`, "the answer is", `#### x`, `A: x`, or the last number), then compare
 * them as numbers, sets, intervals, tuples, matrices, relations or expressions. Synchronous:
 * a symbolic comparison blocks this thread until it ends or hits `timeoutMs`.
 */
declare function verifyAnswer(options: VerifyAnswerOptions): VerifyAnswerResult;
/**
 * `verifyAnswer` without blocking the event loop (for servers): symbolic comparisons run in a
 * separate worker and are awaited, still under the `timeoutMs` deadline.
 */
declare function verifyAnswerAsync(options: VerifyAnswerOptions): Promise<VerifyAnswerResult>;
/** Compare two answers that are already extracted (no searching in prose). */
declare function isEquivalent(a: string, b: string, options?: EquivalenceOptions): boolean;

type AnswerKind = 'math' | 'qa';
interface CorrectnessOptions extends Omit<VerifyAnswerOptions, 'gold' | 'pred'> {
    /** How answers are compared. `auto` (default): QA for QA data sources (HotpotQA, 2Wiki, MuSiQue, NQ, ...), math otherwise. */
    answerKind?: AnswerKind | 'auto';
}
declare function answerKindOf(task: Pick<Task, 'dataSource'>, option?: CorrectnessOptions['answerKind']): AnswerKind;
/**
 * The trajectory's answer: the extracted final answer, else an answer step's `answer`, else
 * (ToRA's convention for solutions that end in prose without `\boxed{}`) the last tool
 * output when it is short, else the answer step's text.
 */
declare function predictedAnswer(trajectory: Pick<Trajectory, 'steps' | 'finalAnswer'>): string | null;
interface CorrectnessOutcome {
    /** null when the task has no gold answer. */
    correct: boolean | null;
    dimension: DimensionResult | null;
}
/**
 * Correctness against the task's gold answers: Math-Verify-style equivalence for math (score
 * 0/1), SQuAD token F1 for QA (score = F1, correct = normalised exact match).
 */
declare function correctnessDimension(task: Task, trajectory: Pick<Trajectory, 'steps' | 'finalAnswer'>, options?: CorrectnessOptions): CorrectnessOutcome;

interface PaperFormatViolation {
    code: string;
    message: string;
    /** Character offset in the checked text, where it applies. */
    offset: number | null;
}
interface PaperFormatResult {
    ok: boolean;
    violations: PaperFormatViolation[];
    toolCalls: number;
}
interface PaperFormatOptions {
    /** Most tool calls allowed (the paper's repair prompt: 3). `Infinity` disables the rule. */
    maxToolCalls?: number;
    /** Tags that are tool calls. Default `code`, `search` (and `calculator`). */
    callTags?: ReadonlyArray<string>;
}
/**
 * The paper's tag rules, for RL format rewards and repair prompts: the text starts with
 * `<think>`, every `<think>` is closed, every `<code>`/`<search>` is closed and followed by
 * its `<result>`, there is exactly one `<answer>`, it comes last and holds a `\boxed{}`.
 */
declare function checkPaperFormat(text: string, options?: PaperFormatOptions): PaperFormatResult;
/** Format as a dimension: 1 when clean, minus 0.25 per violation. */
declare function formatDimension(text: string, options?: PaperFormatOptions): {
    score: number;
    diagnostics: Diagnostic[];
};

/** The paper's uncertainty words; any one in a `<think>` block sets confidence to 0. */
declare const UNCERTAINTY_WORDS: readonly ["maybe", "unsure", "guess", "seems", "perhaps", "probably", "might", "likely", "recheck"];
/** Confidence: 0 if any reasoning step uses an uncertainty word, else 1 (the paper's rule). */
declare function confidenceDimension(trajectory: Pick<Trajectory, 'steps'>): DimensionResult;
/**
 * Length: exp(-(L - L0)^2 / (2 (0.5 L0)^2)) with L the word count and L0 the shortest
 * candidate's word count for the same query (1 for the shortest itself, or with no group).
 */
declare function lengthScore(words: number, shortest: number): number;
declare function lengthDimension(words: number, shortest: number): DimensionResult;
/**
 * Repetition: 1 - (distinct word trigrams that occur more than once / all trigrams);
 * 1 for fewer than 6 words.
 */
declare function repetitionScore(words: ReadonlyArray<string>): {
    score: number;
    repeated: number;
    total: number;
};
declare function repetitionDimension(words: ReadonlyArray<string>): DimensionResult;

interface ToolValidityOptions {
    /** Calls beyond this many are over budget. Default 3 (the paper's limit). */
    maxToolCalls?: number;
}
/**
 * Tool validity: each call should get a result that is not an error or a timeout, stay within
 * the call budget, and have its result used by a later step. Score = 1 - problems / calls.
 */
declare function toolValidityDimension(trajectory: Pick<Trajectory, 'steps'>, options?: ToolValidityOptions): DimensionResult;

/** The evaluator was misused or met input it cannot score (bad option, unknown preset, ...). */
declare class EvaluatorError extends AutoTrajError {
    static readonly errorName = "AutoTrajEvaluatorError";
    constructor(options: {
        message: string;
        code?: string;
        cause?: unknown;
    });
    static isInstance(error: unknown): error is EvaluatorError;
}

type PresetName = 'paper' | 'full';
/** Dimension name -> weight in the quality score (weights are normalised to sum to 1). */
type QualityWeights = Partial<Record<DimensionName, number>>;
type DimensionName = 'correctness' | 'format' | 'confidence' | 'length' | 'repetition' | 'toolValidity' | 'consistency' | 'judge';
declare const dimensionNames: ReadonlyArray<DimensionName>;
/** Selection and repair-acceptance thresholds on the quality score. */
interface Thresholds {
    /** Keep every correct candidate when all of them score at least this. */
    keepAll: number;
    /** Otherwise keep the best correct candidate when it scores at least this; repair the rest. */
    keepBest: number;
    /** A repair of a correct-but-low-quality trajectory is accepted above this (and above the original). */
    acceptLowQuality: number;
    /** A repair of a wrong-answer trajectory is accepted above this. */
    acceptWrongAnswer: number;
}
/** The paper's numbers (ARCHITECTURE.md): keep all >= 0.9, keep best >= 0.86, accept repairs at 0.86 / 0.8. */
declare const PAPER_THRESHOLDS: Readonly<Thresholds>;
/** The paper's quality: 0.4 confidence + 0.3 length + 0.3 repetition. */
declare const PAPER_WEIGHTS: Readonly<QualityWeights>;
/**
 * `full`: every rule dimension. Format and consistency weigh most (they catch broken or
 * fabricated trajectories), the paper's three text dimensions keep their relative shares.
 */
declare const FULL_WEIGHTS: Readonly<QualityWeights>;
interface Preset {
    name: PresetName;
    weights: Readonly<QualityWeights>;
    thresholds: Readonly<Thresholds>;
    /** Dimensions computed (and reported) even when not weighted. */
    dimensions: ReadonlyArray<DimensionName>;
}
declare const presets: Readonly<Record<PresetName, Preset>>;
declare function getPreset(name: string): Preset;
/** Weighted mean of the weighted dimensions that were computed. */
declare function qualityScore(scores: Partial<Record<string, number>>, weights: QualityWeights): number;

/** Everything the evaluator says about one trajectory. */
interface EvaluationReport {
    trajectoryId: string;
    /** Answer correctness; null when the task has no gold answer. */
    correct: boolean | null;
    /** Weighted quality in [0, 1] (the preset's formula). */
    quality: number;
    dimensions: Record<string, DimensionResult>;
    /** All dimensions' diagnostics, flattened. */
    diagnostics: Diagnostic[];
}
type SelectionAction = 'keep' | 'repair' | 'discard';
interface SelectionDecision {
    trajectoryId: string;
    action: SelectionAction;
    reason: string;
}
interface GroupEvaluation {
    reports: EvaluationReport[];
    decisions: SelectionDecision[];
}

interface AcceptRepairInput {
    original: Pick<EvaluationReport, 'correct' | 'quality'>;
    repaired: Pick<EvaluationReport, 'correct' | 'quality'>;
    /** Why the original went to repair; derived from `original.correct` when omitted. */
    reason?: 'wrong-answer' | 'low-quality';
    thresholds?: Partial<Thresholds>;
}
interface AcceptRepairDecision {
    accepted: boolean;
    reason: string;
    threshold: number;
}
/**
 * The paper's acceptance rule: a repair is accepted when its answer is correct and its
 * quality exceeds 0.86 and the original's (correct-but-low-quality input), or 0.8 (wrong-answer
 * input). Anything else is a hard case.
 */
declare function acceptRepair(input: AcceptRepairInput): AcceptRepairDecision;

interface PythonReexecutionOptions {
    executor: PythonExecutor;
    /** Per-cell timeout. Default 10 s. */
    timeoutMs?: number;
}

/** Judge verdicts by request hash: in memory, optionally backed by an append-only JSONL file. */
interface JudgeCache {
    get(key: string): unknown;
    set(key: string, value: unknown): void;
    readonly size: number;
}
declare function judgeCacheKey(parts: unknown): string;
/** In-memory cache; with `file`, earlier verdicts are loaded from and new ones appended to it. */
declare function createJudgeCache(options?: {
    file?: string;
}): JudgeCache;

/** The rubric the judge answers: each criterion scored 1-5 with a short reason. */
declare const judgeVerdictSchema: z.ZodObject<{
    reasoningQuality: z.ZodNumber;
    toolUse: z.ZodNumber;
    clarity: z.ZodNumber;
    issues: z.ZodArray<z.ZodObject<{
        stepIndex: z.ZodNullable<z.ZodNumber>;
        message: z.ZodString;
    }, z.core.$strip>>;
}, z.core.$strip>;
type JudgeVerdict = z.infer<typeof judgeVerdictSchema>;
declare const DEFAULT_JUDGE_INSTRUCTIONS: string;
interface LlmJudgeOptions {
    model: LanguageModel;
    instructions?: string;
    /** Defaults to an in-memory cache; pass `createJudgeCache({ file })` to persist verdicts. */
    cache?: JudgeCache;
    temperature?: number;
}
interface LlmJudge {
    judge(input: {
        task: Task;
        trajectory: Trajectory;
    }): Promise<DimensionResult & {
        verdict: JudgeVerdict;
        cached: boolean;
    }>;
    readonly cache: JudgeCache;
}
/**
 * An optional LLM judge: a rubric answered as structured output (`generateText` with
 * `Output.object`), scored as the mean criterion mapped to [0, 1], cached by request hash.
 */
declare function createLlmJudge(options: LlmJudgeOptions): LlmJudge;

interface EvaluatorOptions {
    /** `paper` (default): the paper's quality formula and thresholds. `full`: every rule dimension. */
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
interface Evaluator {
    readonly preset: PresetName;
    readonly weights: Readonly<QualityWeights>;
    readonly thresholds: Readonly<Thresholds>;
    readonly dimensions: ReadonlyArray<DimensionName>;
    /** Score one trajectory; `group` (candidates for the same query) sets the length reference. */
    evaluate(input: {
        task: Task;
        trajectory: Trajectory;
        group?: ReadonlyArray<Trajectory>;
    }): Promise<EvaluationReport>;
    /** The synchronous rule-based part (no judge). */
    evaluateSync(input: {
        task: Task;
        trajectory: Trajectory;
        group?: ReadonlyArray<Trajectory>;
    }): EvaluationReport;
    /** Score every candidate for one query and decide keep / repair / discard for each. */
    evaluateGroup(input: {
        task: Task;
        candidates: ReadonlyArray<Trajectory>;
    }): Promise<GroupEvaluation>;
    /** The preset's repair acceptance rule with this evaluator's thresholds. */
    acceptRepair(input: Omit<AcceptRepairInput, 'thresholds'>): AcceptRepairDecision;
}
/** Build an evaluator from a preset plus overrides. */
declare function createEvaluator(options?: EvaluatorOptions): Evaluator;

interface SelectOptions {
    thresholds: Thresholds;
    /** Rendered text per trajectory id: exact duplicates of an earlier candidate are discarded. */
    texts?: ReadonlyMap<string, string>;
    /** Trajectory ids without any step or answer (nothing to keep or repair). */
    empty?: ReadonlySet<string>;
}
/**
 * Per-query selection (the paper's rule): wrong answers go to repair; among correct ones, keep
 * all when every one scores >= keepAll, else keep the best if it scores >= keepBest and repair
 * the rest, else repair all. Empty trajectories and exact duplicates are discarded.
 * Unlabelled candidates (`correct: null`) are selected on quality alone.
 */
declare function selectCandidates(reports: ReadonlyArray<EvaluationReport>, options: SelectOptions): SelectionDecision[];

/**
 * LaTeX clean-up before splitting: spacing commands, `\dfrac`, degrees, percent, `\text{}`
 * (kept as words; connectors become separators), dollar signs and trailing punctuation.
 */
declare function normalizeLatex(raw: string): string;
/** Turn one extracted answer into the tree the comparison walks. */
declare function answerTree(raw: string): AnswerTree | null;

/** Plain-number parsing: the fast path that keeps GSM8K-style comparisons off the CAS. */
/**
 * Canonical text of a number token as written in prose: `7,425,000` -> `7425000`,
 * `1000,99` -> `1000.99` (a comma not followed by groups of three digits is a decimal comma),
 * `1.000,5` -> `1000.5`. Null when the token is not a number.
 */
declare function canonicalNumberToken(token: string): string | null;
/**
 * The value of a plain numeric answer: integers, decimals, thousands separators, currency
 * signs, `%`, simple fractions `a/b`, `\frac{a}{b}` and mixed numbers `1 1/2`. Null for
 * anything else (which then goes to the CAS).
 */
declare function parsePlainNumber(raw: string): number | null;
/** Equal up to `precision` decimal places (absolute), or relatively for large magnitudes. */
declare function numbersClose(a: number, b: number, precision: number): boolean;

/** SQuAD-style answer normalisation: lower case, no punctuation, no articles, single spaces. */
declare function normalizeQaAnswer(text: string): string;
/** Normalised exact match against any gold answer. */
declare function qaExactMatch(pred: string, golds: string | ReadonlyArray<string>): boolean;
/** Token F1 (SQuAD) against the best-matching gold answer, in [0, 1]. */
declare function qaF1(pred: string, golds: string | ReadonlyArray<string>): number;

export { DEFAULT_JUDGE_INSTRUCTIONS, EvaluatorError, FULL_WEIGHTS, PAPER_THRESHOLDS, PAPER_WEIGHTS, UNCERTAINTY_WORDS, acceptRepair, answerKindOf, answerSources, answerTree, canonicalNumberToken, checkPaperFormat, confidenceDimension, consistencyDimension, correctnessDimension, createEvaluator, createJudgeCache, createLlmJudge, dimensionNames, extractAnswers, formatDimension, getPreset, isEquivalent, judgeCacheKey, judgeVerdictSchema, lengthDimension, lengthScore, normalizeLatex, normalizeQaAnswer, numbersClose, parsePlainNumber, predictedAnswer, presets, qaExactMatch, qaF1, qualityScore, repetitionDimension, repetitionScore, selectCandidates, stopComparisonWorker, toolValidityDimension, verifyAnswer, verifyAnswerAsync, whitespaceWords };
export type { AcceptRepairDecision, AcceptRepairInput, AnswerCandidate, AnswerKind, AnswerSource, AnswerTree, CompareOptions, ComparisonIsolation, ConsistencyOptions, CorrectnessOptions, CorrectnessOutcome, Diagnostic, DimensionContext, DimensionName, DimensionResult, EquivalenceOptions, EvaluationReport, Evaluator, EvaluatorOptions, ExtractOptions, ExtractionTarget, GroupEvaluation, JudgeCache, JudgeVerdict, LlmJudge, LlmJudgeOptions, PaperFormatOptions, PaperFormatResult, PaperFormatViolation, Preset, PresetName, QualityWeights, SelectOptions, SelectionAction, SelectionDecision, Thresholds, ToolValidityOptions, VerificationMethod, VerifyAnswerOptions, VerifyAnswerResult };
