import { z } from 'zod';
import { entryInputParser } from '../entry-input.js';
import {
  type JournalStore,
  type OpenJournalStoreOptions,
  openJournalStore as openJournalUnchecked,
} from '../jsonl/journal-store.js';
import {
  checkRunDir as checkRunDirUnchecked,
  type OpenRunDirOptions,
  openRunDir as openRunDirUnchecked,
  type RunDirCheck,
  type RunDirHandle,
} from '../run-dir/open-run-dir.js';
import { runSettingsSchema } from '../run-dir/run-settings.js';

// The run-directory and journal openers of the main entry check their options before anything
// is read or written (`ValidationError` naming the function and the field; keys strict): a
// misspelt `forcNew` was a refused rerun, a misspelt `journl` a journal under the default name.
// The caller's options object is passed on as is (its functions and settings by reference).

const parse = entryInputParser((problem) => problem.error);
const aFunction = z.custom<unknown>((v) => typeof v === 'function', {
  message: 'expected a function',
});

const runDirOptions = z.strictObject({
  dir: z.string().min(1),
  command: z.string().min(1),
  settings: runSettingsSchema,
  forceNew: z.boolean().optional(),
  legacySettings: aFunction.optional(),
  deferRecord: z.boolean().optional(),
});

/** Whether a run directory holds the same run (see run-dir/open-run-dir.ts), options checked. */
export function checkRunDir(options: OpenRunDirOptions): RunDirCheck {
  parse(runDirOptions, options, 'checkRunDir', 'options');
  return checkRunDirUnchecked(options);
}

/** Open a run directory for one run (see run-dir/open-run-dir.ts), options checked first. */
export function openRunDir(options: OpenRunDirOptions): RunDirHandle {
  parse(runDirOptions, options, 'openRunDir', 'options');
  return openRunDirUnchecked(options);
}

const journalOptions = z.strictObject({
  dir: z.string().min(1),
  journal: z.string().min(1).optional(),
  schema: z.custom<z.ZodType>(
    (v) => typeof v === 'object' && v !== null && typeof (v as z.ZodType).safeParse === 'function',
    { message: 'expected a zod schema' },
  ),
  key: aFunction,
  outputs: z.array(z.looseObject({ file: z.string().min(1), records: aFunction })).optional(),
});

/** A resumable journal with its outputs (see jsonl/journal-store.ts), options checked first. */
export async function openJournalStore<S extends z.ZodType>(
  options: OpenJournalStoreOptions<S>,
): Promise<JournalStore<z.output<S>>> {
  parse(journalOptions, options, 'openJournalStore', 'options');
  return openJournalUnchecked(options);
}
