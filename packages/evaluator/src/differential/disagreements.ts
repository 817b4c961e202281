/** The pinned list of known disagreements with Math-Verify (disagreements.jsonl). */
import { z } from 'zod';
import { EvaluatorError } from '../errors.js';

export const disagreementKinds = ['ours-right', 'math-verify-quirk', 'ours-wrong-open'] as const;

const entrySchema = z.object({
  /** Corpus pair id. */
  id: z.string().min(1),
  /** Math-Verify's verdict, and ours, when the entry was pinned. */
  mathVerify: z.boolean(),
  ours: z.boolean(),
  kind: z.enum(disagreementKinds),
  /** One line: why the verdicts differ. */
  reason: z.string().min(1),
  gold: z.string().optional(),
  pred: z.string().optional(),
});
export type Disagreement = z.infer<typeof entrySchema>;

/** Parse the list, naming the file, line and field of the first bad entry. */
export function readDisagreements(text: string, file: string): Disagreement[] {
  const entries: Disagreement[] = [];
  const seen = new Set<string>();
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch (error) {
      throw new EvaluatorError({
        code: 'invalid_fixture',
        message: `${file}:${index + 1}: not JSON (${(error as Error).message})`,
      });
    }
    const parsed = entrySchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new EvaluatorError({
        code: 'invalid_fixture',
        message: `${file}:${index + 1}: field "${issue.path.join('.')}": ${issue.message}`,
      });
    }
    if (seen.has(parsed.data.id))
      throw new EvaluatorError({
        code: 'invalid_fixture',
        message: `${file}:${index + 1}: field "id": "${parsed.data.id}" is listed twice`,
      });
    seen.add(parsed.data.id);
    entries.push(parsed.data);
  });
  return entries;
}
