/**
 * Prompt meta-text: words of the generation and repair prompts that a model copied into its
 * trajectory. A small model repairing a trajectory writes about the repair ("To fix the flawed
 * trajectory, ...", the evaluator's diagnostics, `[tool/error]` codes) instead of solving the
 * problem; trained on, that text teaches a model to write about repairing trajectories.
 *
 * The list is pinned: each phrase names where it comes from. It was derived from the prompts
 * in `@autotraj/repairer` (`repair/prompts.ts`: system rules, the request with the flawed
 * trajectory and its diagnostics), `@autotraj/generation` (`loop/prompts.ts` and the prompt
 * templates) and the tools' prompt lines, plus the repair framing measured in real
 * Qwen2.5-Coder-1.5B repairs. The repairer's tests check that every line of its prompts is
 * caught. Bare words a solution may well use ("trajectory", "correct", "example") are not
 * listed: only qualified forms are.
 */
export interface PromptMetaPhrase {
  /** Stable id, reported with the match. */
  id: string;
  pattern: RegExp;
  /** The prompt text (or measured repair framing) it comes from. */
  from: string;
}

const phrase = (id: string, pattern: RegExp, from: string): PromptMetaPhrase => ({
  id,
  pattern,
  from,
});

export const PROMPT_META_PHRASES: ReadonlyArray<PromptMetaPhrase> = Object.freeze([
  // Repair framing (measured: every accepted Qwen2.5-Coder-1.5B self-repair opened this way).
  // "To fix the" followed by what a repair fixes ("to fix the pothole" is a solution's words).
  phrase(
    'to-fix-the',
    /\bto fix the (?:flawed|trajector|previous|original|earlier|given|above|issues?\b|errors?\b|mistakes?\b|format|answer|solution|reasoning|problems? (?:in|with))/i,
    'repair framing: "To fix the flawed trajectory, we need to ensure ..."',
  ),
  phrase('lets-correct', /\blet(?:'|’)?s correct\b/i, 'repair framing: "Let\'s correct ..."'),
  phrase(
    'here-is-the-corrected',
    /\bhere(?: is|(?:'|’)s) (?:the|a|my) (?:corrected|repaired|fixed|revised|new)\b/i,
    'repair framing: "Here is the corrected trajectory"',
  ),
  phrase(
    'qualified-trajectory',
    /\b(?:flawed|corrected|repaired|fixed|revised|new|correct|original|previous|earlier|given|bad|rejected) (?:tool-integrated reasoning )?trajector(?:y|ies)\b/i,
    'repair prompt: "a flawed trajectory", "Write a new, correct trajectory", "Flawed trajectory:"',
  ),
  phrase(
    'continue-the-trajectory',
    /\bcontinue the trajectory\b/i,
    'repair request: "continue the trajectory from there"',
  ),
  phrase(
    'tool-integrated-reasoning',
    /\btool-integrated reasoning\b/i,
    'repair prompt: "You repair tool-integrated reasoning trajectories"',
  ),
  phrase(
    'evaluator',
    /\bevaluator/i,
    'repair prompt: "an automatic evaluator rejected", "Evaluator diagnostics:"',
  ),
  phrase(
    'diagnostics',
    /\bdiagnos(?:tics?|ed)\b/i,
    'repair prompt: "the evaluator\'s diagnostics", "fixes every diagnosed problem"',
  ),
  phrase('quality-score', /\bquality score\b/i, 'repair request: "quality score 0.512"'),
  phrase(
    'final-answer-is-wrong',
    /\bthe final answer is wrong\b/i,
    'repair request: the diagnostic "the final answer is wrong"',
  ),
  phrase(
    'diagnostic-code',
    /\[[a-z]{3,}\/[a-z][a-z-]*\]/,
    'repair request: diagnostic codes in brackets, "step 2: [tool/error] ..."',
  ),
  phrase(
    'judged-insufficient',
    /\bjudged insufficient\b/i,
    'repair request: "(none given; the answer or quality was judged insufficient)"',
  ),
  phrase(
    'rules-for-the-new',
    /\brules for the new\b/i,
    'repair prompt: "Rules for the new trajectory:"',
  ),
  phrase('first-token', /\bfirst token is\b/i, 'repair prompt: "The first token is <think>."'),
  phrase(
    'never-invent-result',
    /\bnever (?:invent|write) (?:a )?(?:<result>|result|output block)/i,
    'repair prompt: "never invent a <result>"; templates: "Never write <result> yourself", "Never write a result or output block yourself"',
  ),
  phrase(
    'environment-writes',
    /\benvironment (?:writes|runs it)\b/i,
    'repair prompt: "the environment writes it"',
  ),
  phrase(
    'decisive-and-concise',
    /\bdecisive and concise\b/i,
    'repair prompt: "Be decisive and concise"',
  ),
  phrase(
    'uncertainty-words',
    /\buncertainty words?\b/i,
    'repair prompt: "no uncertainty words (maybe, unsure, ...)"',
  ),
  phrase(
    'no-repeated',
    /\b(?:no repeated (?:text|sentences)|do not repeat sentences)\b/i,
    'repair prompt: "no repeated text"; repair notes: "Do not repeat sentences."',
  ),
  phrase(
    'no-words-such-as',
    /\bno words such as\b/i,
    'repair template and notes: "no words such as maybe, perhaps or probably"',
  ),
  phrase(
    'their-attempt',
    /\btheir (?:final answer|code|attempt|solution)\b/i,
    'repair notes: "Their final answer, 12, is wrong", "Their code failed" ("their work" is too common)',
  ),
  phrase(
    'repair-notes',
    /\b(?:work the problem out from the start|do not reuse it|write nothing after the final answer|give the final answer only once|use what the code printed|agree with what the code printed|reason only as much as|state each step plainly|solve it carefully|check every computation)\b/i,
    'repair notes (what to do better): "Work the problem out from the start; do not reuse it.", ...',
  ),
  // Generation prompts (loop/prompts.ts and the prompt templates) and tool prompt lines.
  phrase(
    'careful-problem-solver',
    /\bcareful problem solver\b/i,
    'generation prompt: "You are a careful problem solver ..."',
  ),
  phrase(
    'tool-budget',
    /\bat most \d+ (?:tool calls?|code blocks?)\b/i,
    'generation and repair prompts: "Use at most 3 tool calls"',
  ),
  phrase(
    'exactly-one-answer',
    /\bexactly one (?:final )?<answer>/i,
    'prompts: "Finish with exactly one <answer>...</answer>"',
  ),
  phrase(
    'start-with-think',
    /\bstart(?:s|ing)? with <think>/i,
    'generation prompt: "Start with <think>...</think> for your reasoning"',
  ),
  phrase(
    'will-appear-inside',
    /\b(?:will appear|appears) inside <result>/i,
    'tool prompt lines: "its output will appear inside <result></result>"',
  ),
  phrase(
    'put-there-for-you',
    /\bput there for you\b/i,
    'template: "the tool\'s output is put there for you"',
  ),
  phrase(
    'prompt-tag-template',
    /<(think|answer|code|result|search|calculator)>(?:\.\.\.)?<\/\1>/,
    'prompts: "<think>...</think>", "<code></code>", "<answer></answer>" written as a template',
  ),
  phrase(
    'empty-boxed',
    /\\boxed\{(?:\.\.\.)?\}/,
    'prompts: "the final answer in \\boxed{}" (an empty or "..." box is the prompt\'s)',
  ),
  phrase(
    'calls-the-available-tools',
    /\bcalls? the available tools\b/i,
    'native prompt: "calls the available tools to compute exactly"',
  ),
  phrase('you-may-use-tools', /\byou may use tools\b/i, 'paper template: "you may use tools"'),
  phrase(
    'example-of-the-format',
    /\b(?:an example of the format|in the same format|the format of the example)\b/i,
    'templates: "Here is an example of the format.", "Now solve this problem in the same format."',
  ),
  phrase(
    'earlier-work',
    /\b(?:the earlier (?:work|attempt|solution)|someone tried this|better than they did)\b/i,
    'repair template: "Someone tried this problem before", "Do not mention the earlier work"',
  ),
]);

export interface PromptMetaMatch {
  /** The phrase's id (`PROMPT_META_PHRASES`). */
  id: string;
  /** The text that matched. */
  text: string;
}

/**
 * The prompt phrases `text` holds, each once, in list order. A phrase the question itself holds
 * (case-insensitively) is not counted: restating the question is not copying the prompt.
 */
export function findPromptMetaText(
  text: string,
  options: { question?: string | undefined } = {},
): PromptMetaMatch[] {
  const question = options.question?.toLowerCase() ?? '';
  const out: PromptMetaMatch[] = [];
  for (const { id, pattern } of PROMPT_META_PHRASES) {
    const match = pattern.exec(text);
    if (match === null) continue;
    if (question !== '' && question.includes(match[0].toLowerCase())) continue;
    out.push({ id, text: match[0] });
  }
  return out;
}
