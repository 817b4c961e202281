import { createHash } from 'node:crypto';
import type { LoopbackChatRequest, LoopbackReply } from './loopback-server.js';
import {
  assistantPrefix,
  continueTagScript,
  isRepairRequest,
  lastUserText,
  questionOf,
} from './scripted-policy.js';

/** A GSM8K problem: question and reference solution with `<<expr=result>>` annotations and `#### x`. */
export interface Gsm8kProblem {
  question: string;
  answer: string;
}

/** What kind of trajectory the scripted policy writes; covers the variety real models produce. */
export type ScriptVariant =
  | 'concise'
  | 'terse-repair'
  | 'hedging'
  | 'wrong-arithmetic'
  | 'tool-error'
  | 'bad-format';

function hash(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0);
}

function gold(problem: Gsm8kProblem): string {
  return (/####\s*(.+?)\s*$/.exec(problem.answer.trim())?.[1] ?? '').replaceAll(',', '');
}

/** The reference solution's calculator annotations, as Python assignments. */
function pythonFor(problem: Gsm8kProblem): { code: string; lines: string[] } {
  const exprs = [...problem.answer.matchAll(/<<([^=<>]+)=([^<>]*)>>/g)].map((m) =>
    m[1]!.replaceAll(',', '').trim(),
  );
  if (exprs.length === 0) return { code: `answer = ${gold(problem)}\nprint(answer)`, lines: [] };
  const lines = exprs.map((expr, i) => `s${i + 1} = ${expr}`);
  return { code: `${lines.join('\n')}\nprint(s${exprs.length})`, lines };
}

function plan(problem: Gsm8kProblem): string {
  const sentences = problem.answer
    .split('\n')
    .filter((line) => !line.startsWith('####'))
    .map((line) => line.replace(/<<[^>]*>>/g, '').trim())
    .filter(Boolean);
  return sentences.slice(0, 3).join(' ');
}

/** Pick a variant for a (question, candidate seed) pair: 40% concise, 20% hedging, 15% wrong, 15% tool error, 10% bad format. */
export function pickVariant(question: string, seed: number): ScriptVariant {
  const r = hash(`${question}\u0000${seed}`) % 100;
  if (r < 40) return 'concise';
  if (r < 60) return 'hedging';
  if (r < 75) return 'wrong-arithmetic';
  if (r < 90) return 'tool-error';
  return 'bad-format';
}

/** A whole tag-format trajectory of the given variant for a problem (the model-written text only). */
export function gsm8kScript(problem: Gsm8kProblem, variant: ScriptVariant): string {
  const answer = gold(problem);
  const { code } = pythonFor(problem);
  const wrong = String(Number(answer) + 1 + (hash(problem.question) % 9));
  switch (variant) {
    case 'concise':
      return `<think>${plan(problem)} I will compute each step with Python.</think>\n<code>\n${code}\n</code>\n<think>The computation gives ${answer}.</think>\n<answer>The answer is \\boxed{${answer}}.</answer>`;
    case 'hedging':
      return `<think>Hmm, maybe I should think about this. ${plan(problem)} I guess the steps are right, but it seems I should recheck.</think>\n<code>\n${code}\n</code>\n<think>The result seems to be ${answer}. Let me recheck. It might be ${answer}. The result seems to be ${answer}. The result seems to be ${answer}, probably.</think>\n<answer>I think it is probably \\boxed{${answer}}.</answer>`;
    case 'wrong-arithmetic':
      return `<think>${plan(problem)} Doing the arithmetic in my head, the total comes to ${wrong}.</think>\n<answer>The answer is \\boxed{${wrong}}.</answer>`;
    case 'tool-error':
      return `<think>I will compute it with Python.</think>\n<code>\ntotal = subtotal * 2\nprint(total)\n</code>\n<think>The code failed, so I will estimate: it is probably ${wrong}.</think>\n<answer>\\boxed{${wrong}}</answer>`;
    case 'terse-repair':
      return `<think>I compute each quantity with Python.</think>\n<code>\n${code}\n</code>\n<think>The result is ${answer}.</think>\n<answer>The answer is \\boxed{${answer}}.</answer>`;
    case 'bad-format':
      return `First, ${plan(problem).toLowerCase()} So the final result is ${answer}.`;
  }
}

export interface Gsm8kPolicyOptions {
  problems: ReadonlyArray<Gsm8kProblem>;
  /** Repairs of questions whose hash modulo this is 0 come out hedged again (hard cases); default 6. */
  hardEvery?: number;
}

/**
 * A deterministic scripted "policy" for loopback servers: sampling requests get a variant
 * chosen by (question, seed); repair requests (the repair prompt templates) get a
 * concise correct trajectory, except every `hardEvery`-th question, which stays hedged.
 * Continuations are served by `continueTagScript`, so tools really run in between.
 */
export function gsm8kPolicyReply(
  options: Gsm8kPolicyOptions,
): (request: LoopbackChatRequest) => LoopbackReply {
  const byQuestion = new Map(options.problems.map((p) => [p.question, p]));
  const hardEvery = options.hardEvery ?? 6;
  // Scripts are pure functions of (problem, variant): build each once (benchmarks serve thousands of calls).
  const scripts = new Map<string, string>();
  const scriptOf = (problem: Gsm8kProblem, variant: ScriptVariant) => {
    const key = `${variant}\u0000${problem.question}`;
    let script = scripts.get(key);
    if (script === undefined) {
      script = gsm8kScript(problem, variant);
      scripts.set(key, script);
    }
    return script;
  };
  return (request) => {
    const repairing = isRepairRequest(request.messages);
    const question = questionOf(lastUserText(request.messages));
    const problem = byQuestion.get(question);
    if (problem === undefined)
      return { text: '<think>I do not know this problem.</think>\n<answer>\\boxed{0}</answer>' };
    const variant: ScriptVariant = repairing
      ? hash(question) % hardEvery === 0
        ? 'hedging'
        : 'terse-repair'
      : pickVariant(question, request.seed ?? 0);
    return {
      text: continueTagScript(scriptOf(problem, variant), assistantPrefix(request.messages)),
    };
  };
}
