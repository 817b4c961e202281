import { describe, expect, it } from 'vitest';
import { questionFromPrompt, splitQuery, trajectoryFromPolicyText } from './text-trajectory.js';

describe('policy text parsing', () => {
  it('detects the format and builds a trajectory with the codec steps', () => {
    const tags = trajectoryFromPolicyText(
      '<think>a</think><code>print(1)</code><result>1</result><answer>\\boxed{1}</answer>',
      { question: 'q' },
    );
    expect(tags.steps.map((s) => s.type)).toEqual(['think', 'tool-call', 'tool-result', 'answer']);
    expect([tags.finalAnswer, tags.question, tags.provenance.format]).toEqual(['1', 'q', 'tags']);
    expect(
      trajectoryFromPolicyText('Natalia sold <<48/2=24>>24 clips.\n#### 72').provenance.format,
    ).toBe('gsm8k-calculator');
    expect(trajectoryFromPolicyText('no markers at all').provenance.format).toBe('tags');
  });

  it('splits OpenRLHF queries into question and response', () => {
    const chatml =
      '<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n';
    expect(splitQuery(`${chatml}<think>4</think><|im_end|>`, chatml)).toEqual({
      question: 'What is 2+2?',
      response: '<think>4</think>',
    });
    // No prompts sent: split at the last assistant header.
    expect(splitQuery(`${chatml}<think>4</think><|im_end|>`)).toEqual({
      question: 'What is 2+2?',
      response: '<think>4</think>',
    });
    const llama =
      '<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nName a prime.<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n7<|eot_id|>';
    expect(splitQuery(llama)).toEqual({ question: 'Name a prime.', response: '7' });
    expect(splitQuery('Q? A.', 'Q?')).toEqual({ question: 'Q?', response: ' A.' });
    expect(splitQuery('just a response')).toEqual({ response: 'just a response' });
    expect(questionFromPrompt('plain prompt ')).toBe('plain prompt');
  });
});
