import { z } from 'zod';

/** One finding about a trajectory: which step (null: the whole trajectory), a stable code, a message. */
export const diagnosticSchema = z.object({
  stepIndex: z.number().int().nullable(),
  code: z.string(),
  message: z.string(),
});
export type Diagnostic = z.infer<typeof diagnosticSchema>;
