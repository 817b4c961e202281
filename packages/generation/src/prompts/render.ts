import {
  type PromptTemplate,
  type RenderedPrompt,
  renderPromptTemplate,
} from '@autotraj/trajectory';
import { toolPromptLines } from '../loop/prompts.js';

/** A template's turns for one task: the tools' prompt lines, the budget and the question filled in. */
export function renderTaskPrompt(
  template: PromptTemplate,
  values: {
    question: string;
    toolNames: ReadonlyArray<string>;
    maxToolCalls: number;
    attempt?: string;
    notes?: string;
  },
): RenderedPrompt {
  return renderPromptTemplate(template, {
    question: values.question,
    tools: toolPromptLines(values.toolNames).join('\n'),
    maxToolCalls: values.maxToolCalls,
    ...(values.attempt === undefined ? {} : { attempt: values.attempt }),
    ...(values.notes === undefined ? {} : { notes: values.notes }),
  });
}
