import {
  gsm8kProblemSchema,
  gsm8kTask,
  readJsonl,
  type Task,
  taskSchema,
  ValidationError,
} from '@autotraj/trajectory';

/**
 * Tasks from JSONL: AutoTraj `Task` lines (`id`, `question`, `goldAnswers`) or GSM8K lines
 * (`question`, `answer` ending in `#### x`), which become tasks with their gold answer.
 * A line that is neither fails with its file and line.
 */
export async function* readTasksJsonl(
  path: string,
  options: { limit?: number; dataSource?: string } = {},
): AsyncGenerator<Task> {
  let count = 0;
  for await (const { value, line } of readJsonl(path)) {
    if (options.limit !== undefined && count >= options.limit) return;
    const task = taskSchema.safeParse(value);
    if (task.success) {
      yield task.data;
    } else {
      const gsm8k = gsm8kProblemSchema.safeParse(value);
      if (!gsm8k.success) {
        throw new ValidationError({
          location: { file: path, line },
          what: 'task',
          issues: [
            {
              path: '',
              message:
                'expected a task (id, question, goldAnswers) or a GSM8K problem (question, answer)',
            },
          ],
        });
      }
      yield gsm8kTask(gsm8k.data, {
        index: line - 1,
        ...(options.dataSource === undefined ? {} : { dataSource: options.dataSource }),
      });
    }
    count++;
  }
}
