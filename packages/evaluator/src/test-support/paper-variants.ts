import { GSM8K_SOLUTION_MODELS, gsm8kGoldAnswer } from '@autotraj/trajectory';
import { readSharedJsonl } from './shared-data.js';

/** The texts written for one question, as the paper would see them, and the gold answer. */
export interface RealQuestion {
  source: 'gsm8k' | 'tora';
  /** Problem index (shared by both sources). */
  index: number;
  question: string;
  gold: string;
  texts: string[];
}

/**
 * How a real solution is presented to the paper's code: `raw` as released; `answer` with its
 * final answer in `<answer>\boxed{}</answer>`; `think` with the reasoning in one think block
 * first; `tags` in the paper's full tag format (think / code / result / answer).
 */
export type PaperVariant = 'raw' | 'answer' | 'think' | 'tags';
export const paperVariants: ReadonlyArray<PaperVariant> = ['raw', 'answer', 'think', 'tags'];

const CALC = /<<([^<>=]*)=([^<>]*)>>/g;

function gsm8kVariant(solution: string, variant: PaperVariant): string {
  if (variant === 'raw') return solution;
  const lines = solution.split('\n');
  const last = lines.length - 1;
  const final = /^A:\s*(.*)$/.exec(lines[last]!);
  const body = final ? lines.slice(0, last) : lines;
  const answer = `<answer>\\boxed{${final ? final[1]! : ''}}</answer>`;
  if (variant === 'answer') return `${body.join('\n')}\n${answer}`;
  if (variant === 'think') return `<think>${body.join('\n')}</think>\n${answer}`;
  const parts: string[] = [];
  for (const line of body) {
    parts.push(`<think>${line.replace(CALC, '')}</think>`);
    for (const call of line.matchAll(CALC))
      parts.push(`<code>${call[1]}</code>\n<result>${call[2]}</result>`);
  }
  return `${parts.join('\n')}\n<answer>The answer is ${answer.slice(8)}`;
}

const FENCE = /```(python|output)\n([\s\S]*?)```/g;

function toraVariant(solution: string, variant: PaperVariant): string {
  if (variant === 'raw') return solution;
  let end = 0;
  const pieces: Array<{ kind: 'text' | 'python' | 'output'; text: string }> = [];
  for (const fence of solution.matchAll(FENCE)) {
    pieces.push({ kind: 'text', text: solution.slice(end, fence.index) });
    pieces.push({ kind: fence[1] as 'python' | 'output', text: fence[2]! });
    end = fence.index + fence[0].length;
  }
  const before = solution.slice(0, end);
  const prose = solution.slice(end).trim();
  if (variant === 'answer') return `${before}\n<answer>${prose}</answer>`;
  if (variant === 'think') return `<think>${before}</think>\n<answer>${prose}</answer>`;
  const tagged = pieces
    .filter((piece) => piece.text.trim() !== '')
    .map((piece) => {
      const tag = piece.kind === 'text' ? 'think' : piece.kind === 'python' ? 'code' : 'result';
      return `<${tag}>${piece.text.trim()}</${tag}>`;
    });
  // A solution without its own reasoning text still opens with a think block, as the paper's do.
  if (!tagged[0]?.startsWith('<think>')) tagged.unshift('<think>Write code for it.</think>');
  return `${tagged.join('\n')}\n<answer>${prose}</answer>`;
}

/** Every GSM8K model-solutions problem (four texts each) and every ToRA problem (two texts). */
export function realQuestions(variant: PaperVariant): RealQuestion[] {
  const out: RealQuestion[] = [];
  for (const raw of readSharedJsonl('gsm8k/model-solutions.dev.jsonl')) {
    const record = raw as Record<string, unknown> & {
      question: string;
      answer: string;
      index: number;
    };
    out.push({
      source: 'gsm8k',
      index: record.index,
      question: record.question,
      gold: gsm8kGoldAnswer(record.answer),
      texts: GSM8K_SOLUTION_MODELS.map((model) =>
        gsm8kVariant((record[model] as { solution: string }).solution, variant),
      ),
    });
  }
  const tora = new Map<number, RealQuestion>();
  for (const raw of readSharedJsonl('tora/gsm8k.dev.jsonl')) {
    const record = raw as { idx: number; question: string; gt: string | number; solution: string };
    let question = tora.get(record.idx);
    if (question === undefined) {
      question = {
        source: 'tora',
        index: record.idx,
        question: record.question,
        gold: String(record.gt),
        texts: [],
      };
      tora.set(record.idx, question);
      out.push(question);
    }
    question.texts.push(toraVariant(record.solution, variant));
  }
  return out;
}
