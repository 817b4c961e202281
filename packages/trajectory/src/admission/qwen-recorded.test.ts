import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { trajectorySchema } from '../schemas/trajectory.js';
import { type AdmissionCode, checkAdmission } from './admission-gate.js';
import { findPromptMetaText } from './prompt-meta-text.js';

// Outputs of the real Qwen2.5-Coder-1.5B-Instruct (qwen-recorded.json says how, when and with
// which prompts they were recorded), each as the trajectory the pipeline built from it.
interface RecordedCase {
  name: string;
  system: string | null;
  user: string | null;
  trajectory: unknown;
}
const recorded = JSON.parse(
  readFileSync(new URL('./qwen-recorded.json', import.meta.url), 'utf8'),
) as { note: string; tasks: Array<{ id: string; question: string }>; cases: RecordedCase[] };
const byName = (name: string) => {
  const found = recorded.cases.find((c) => c.name === name);
  if (found === undefined) throw new Error(`no recorded case ${name}`);
  const trajectory = trajectorySchema.parse(found.trajectory);
  const question = recorded.tasks.find((t) => t.id === trajectory.taskId)!.question;
  return { ...found, trajectory, question };
};
const codesOf = (name: string): AdmissionCode[] => {
  const { trajectory, question } = byName(name);
  return checkAdmission({ trajectory, question }).reasons.map((r) => r.code);
};

/** The repair request's own lines: its headers and the diagnostics, not the question or trajectory. */
function userInstructions(user: string): string[] {
  const lines = user.split('\n');
  const flawed = lines.findIndex((l) => l.startsWith('Flawed trajectory:'));
  const diagnostics = lines.findIndex((l) => l.startsWith('Evaluator diagnostics:'));
  return [lines[flawed]!, ...lines.slice(diagnostics)];
}

describe('the admission gate on real Qwen2.5-Coder-1.5B outputs', () => {
  it('says where the fixtures come from', () => {
    expect(recorded.note).toMatch(/^Recorded from the real model/);
  });

  it('admits a well-formed candidate', () => {
    expect(codesOf('good')).toEqual([]);
  });

  it('refuses a generation cut at the token limit', () => {
    expect(codesOf('cut-off')).toContain('token-limit');
  });

  it('refuses textbook prose with a box but no tag (the paper reads it as no answer)', () => {
    const { trajectory } = byName('prose-no-answer');
    expect(trajectory.steps.map((s) => s.type)).toEqual(['think']);
    expect(codesOf('prose-no-answer')).toEqual([
      'paper-format',
      'answer-count',
      'answer-not-boxed',
    ]);
  });

  it('refuses markdown code fences instead of <code>, and the output block it wrote itself', () => {
    const { trajectory, question } = byName('markdown-fence');
    const [think] = trajectory.steps;
    expect(trajectory.steps).toHaveLength(1);
    expect(think).toMatchObject({ type: 'think', text: expect.stringContaining('```python') });
    const verdict = checkAdmission({ trajectory, question });
    expect(verdict.reasons.map((r) => r.code)).toEqual([
      'paper-format',
      'answer-count',
      'answer-not-boxed',
      'fabricated-tool-output',
    ]);
    // The ```output block after its ```python block: nothing executed that code.
    expect(verdict.reasons.at(-1)!.message).toMatch(/output block.*10\.0/);
  });

  it('refuses a repair the paper accepted: the flawed trajectory and its diagnostics copied', () => {
    const { trajectory, question } = byName('meta-text-repair');
    const verdict = checkAdmission({ trajectory, question });
    expect(verdict.reasons.map((r) => r.code)).toEqual([
      'paper-format',
      'answer-count',
      'answer-not-boxed',
      'prompt-meta-text',
    ]);
    expect(verdict.reasons.find((r) => r.code === 'prompt-meta-text')!.message).toBe(
      'prompt text copied: "Evaluator" (evaluator), "diagnostics" (diagnostics), "quality score" (quality-score), "the final answer is wrong" (final-answer-is-wrong), "[repetition/repeated-trigrams]" (diagnostic-code)',
    );
  });

  it('refuses a repair that wrote the diagnostics it was given as its own (a hard case)', () => {
    const { trajectory } = byName('meta-text-repair-2');
    expect(trajectory.steps.at(-1)).toMatchObject({
      type: 'think',
      text: expect.stringMatching(/^Evaluator diagnostics:\n- the final answer is correct/),
    });
    expect(codesOf('meta-text-repair-2')).toContain('prompt-meta-text');
  });

  it('refuses a repair whose only tool call failed and that answers past the error', () => {
    // The paper accepted it (correct, 0.984): its calculator call got LaTeX and failed, and the
    // answer came from the reasoning after it. Trained on, it teaches ignoring a tool's error.
    const { trajectory } = byName('meta-text-repair-tags');
    expect(trajectory.steps.find((s) => s.type === 'tool-result')).toMatchObject({
      output: expect.stringContaining('SyntaxError'),
    });
    expect(codesOf('meta-text-repair-tags')).toEqual(['tool-error-ignored']);
  });

  it('catches every instruction line of the prompts Qwen was given', () => {
    const { system, user } = byName('meta-text-repair');
    // The system turn is all instructions; of the user turn, everything but the question and
    // the flawed trajectory itself (which is model text, not prompt).
    const lines = [
      ...system!.split('\n'),
      ...userInstructions(user!),
      // The policy's rules: in the system turn, and in the user turn before the example.
      ...byName('prose-no-answer').system!.split('\n'),
      ...byName('good')
        .user!.split('\n')
        .filter((line) => !/^(?:Problem:|<|cost =|print\()/.test(line)),
    ].filter((line) => line.trim() !== '');
    expect(lines.length).toBeGreaterThan(20);
    const missed = lines.filter((line) => findPromptMetaText(line).length === 0);
    expect(missed).toEqual([]);
  });
});
