import type { generateText, ModelMessage, StepResult, ToolSet } from 'ai';
import { describe, expectTypeOf, test } from 'vitest';
import {
  type AiSdkStepLike,
  type parseAiSdkSteps,
  renderAiSdkMessages,
} from './ai-sdk-messages.js';

// The `ai` boundary without casts: a run's steps go into parseAiSdkSteps as they are, and
// rendered messages go back into generateText. These fail to compile if `ai` changes shape.
describe('ai SDK boundary types', () => {
  test('generateText(...).steps fits parseAiSdkSteps', () => {
    type Steps = Awaited<ReturnType<typeof generateText>>['steps'];
    expectTypeOf<Steps>().toExtend<Parameters<typeof parseAiSdkSteps>[0]>();
    expectTypeOf<StepResult<ToolSet>>().toExtend<AiSdkStepLike>();
  });

  test('renderAiSdkMessages output fits ModelMessage[]', () => {
    expectTypeOf(renderAiSdkMessages([])).toExtend<ModelMessage[]>();
  });
});
