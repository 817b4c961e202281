import { excerpt } from '../codecs/codec.js';
import type { Metadata } from '../schemas/json-value.js';
import type { Step } from '../schemas/step.js';
import { type FencedBlock, fencedBlocks } from './fenced-blocks.js';
import { FABRICATED_TOOL_OUTPUT, type ModelTextFinding, shortExcerpt } from './finding.js';

const CODE_LANGUAGES = new Set(['python', 'py']);
/** Fences a model labels output with when it writes it right after its code. */
const OUTPUT_AFTER_CODE = new Set(['', 'output', 'text', 'txt', 'plaintext', 'console', 'stdout']);
/** What may stand between the code block and the output block: nothing, or an "Output:" label. */
const BETWEEN = /^\s*(?:(?:output|result)s?\s*:?\s*)?$/i;
const RESULT_TAG = /<result>([\s\S]*?)<\/result>/g;

function outputBlock(block: FencedBlock, previous: FencedBlock | undefined, text: string): boolean {
  if (block.language === 'output') return true;
  return (
    previous !== undefined &&
    CODE_LANGUAGES.has(previous.language) &&
    OUTPUT_AFTER_CODE.has(block.language) &&
    BETWEEN.test(text.slice(previous.end, block.start))
  );
}

/** Recorded parse issues (`metadata.issues` from generation, `metadata.parseIssues` from text). */
function recordedOrphanResults(metadata: Metadata | undefined): string[] {
  const messages: string[] = [];
  for (const key of ['issues', 'parseIssues']) {
    const issues = metadata?.[key];
    if (!Array.isArray(issues)) continue;
    for (const issue of issues) {
      if (typeof issue !== 'object' || issue === null || Array.isArray(issue)) continue;
      if (issue.code !== 'orphan-result' && issue.code !== 'fabricated-tool-output') continue;
      messages.push(typeof issue.message === 'string' ? issue.message : 'orphan-result');
    }
  }
  return messages;
}

/**
 * Whether a step's text holds a `<result>` or a fence: only reasoning and answer steps have a
 * text, so the type need not be read (a superset; the full check below reads it). A plain loop
 * with one property read a step: the paper preset runs this for every candidate, on steps of
 * several shapes, where each read is a generic lookup (`steps.some` with a closure and the type
 * read too took 0.96 us against 0.41 on the GSM8K dev trajectories, ~11 steps each).
 */
function mayHoldToolOutput(steps: ReadonlyArray<Step>): boolean {
  for (const step of steps) {
    const text = (step as { text?: unknown }).text;
    if (typeof text === 'string' && (text.includes('<result>') || text.includes('```')))
      return true;
  }
  return false;
}

/**
 * Tool output the model wrote itself: in reasoning and answer steps, a `<result>...</result>`
 * or an output block (` ```output `, or a ` ``` ` / ` ```text ` block right after a
 * ` ```python ` block), and results a parse left out of the steps because no call came before
 * them (`orphan-result` in `metadata.issues` / `metadata.parseIssues`: the text-tag and
 * markdown-tir codecs drop a `<result>` / ` ```output ` that answers no call).
 *
 * Results a tool produced are `tool-result` steps (the markdown-tir codec makes each
 * ` ```output ` after a ` ```python ` one), so they are never flagged; nor is text repeating
 * the output of an earlier executed call, which quotes it.
 */
export function findFabricatedToolOutput(trajectory: {
  steps: ReadonlyArray<Step>;
  metadata?: Metadata | undefined;
}): ModelTextFinding<typeof FABRICATED_TOOL_OUTPUT>[] {
  const findings: ModelTextFinding<typeof FABRICATED_TOOL_OUTPUT>[] = [];
  const orphans = recordedOrphanResults(trajectory.metadata);
  // Every finding needs a <result> or a fence in model text, or a recorded orphan: most
  // trajectories have none, and evaluators call this for every candidate.
  if (orphans.length === 0 && !mayHoldToolOutput(trajectory.steps)) return findings;
  const executed = new Set<string>();
  trajectory.steps.forEach((step, stepIndex) => {
    if (step.type === 'tool-result') {
      if (step.output.trim() !== '') executed.add(step.output.trim());
      return;
    }
    if (step.type !== 'think' && step.type !== 'answer') return;
    const text = step.text;
    const found = (
      kind: ModelTextFinding['kind'],
      start: number,
      end: number,
      body: string,
      what: string,
    ) => {
      if (executed.has(body.trim())) return;
      findings.push({
        code: FABRICATED_TOOL_OUTPUT,
        kind,
        stepIndex,
        toolName: null,
        offset: start,
        excerpt: excerpt(text.slice(start, end)),
        message: `${what} in the text of step ${stepIndex}, written by the model: no executed call produced it (${shortExcerpt(body) || 'empty'})`,
      });
    };
    RESULT_TAG.lastIndex = 0;
    for (let match = RESULT_TAG.exec(text); match !== null; match = RESULT_TAG.exec(text)) {
      // `<result></result>` is the prompt's wording repeated, not a result.
      if (match[1]!.trim() === '') continue;
      found(
        'result-tag',
        match.index,
        match.index + match[0].length,
        match[1]!,
        'a <result> block',
      );
    }
    const blocks = fencedBlocks(text);
    blocks.forEach((block, i) => {
      if (!outputBlock(block, blocks[i - 1], text)) return;
      const fence = block.language === '' ? 'a ``` block' : `a \`\`\`${block.language} block`;
      const what = block.language === 'output' ? fence : `${fence} after a code block`;
      found('output-block', block.start, block.end, block.body, what);
    });
  });
  for (const message of orphans) {
    findings.push({
      code: FABRICATED_TOOL_OUTPUT,
      kind: 'orphan-result',
      stepIndex: null,
      toolName: null,
      offset: null,
      excerpt: message,
      message: `a tool result with no call before it, left out of the steps when parsed (${message}): the model wrote it itself`,
    });
  }
  return findings;
}
