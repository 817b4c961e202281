// An agent stack with a repair step: a normal ai SDK tool-calling agent answers a question,
// the run is evaluated, and when it fails @autotraj/repairer rewrites it with the tools
// re-executed, re-evaluates it, and hands back repaired messages (for your logs, a retry,
// or SFT data). Offline: both models are a scripted loopback OpenAI-compatible endpoint
// (MOCK responses, written by hand below); swap in createOpenAI() for a real one.
import { createOpenAI } from '@ai-sdk/openai';
import { createEvaluator } from '@autotraj/evaluator';
import { startLoopbackServer } from '@autotraj/generation/testing';
import { createRepairer, repairSteps, runtimesFromAiTools } from '@autotraj/repairer';
import { calculatorTool } from '@autotraj/tools';
import { generateText, isStepCount } from 'ai';

const task = {
  id: 'eggs',
  question: 'Tom buys 3 boxes of 12 eggs and 5 of them break. How many unbroken eggs does he have?',
  goldAnswers: ['31'],
  dataSource: 'demo',
  metadata: {},
};

// MOCK model: the agent forgets the broken eggs; the repairer, shown the diagnosis, does not.
const server = await startLoopbackServer({
  reply: (request) => {
    // The repair prompt (a user turn) shows the earlier attempt: "Someone tried this problem".
    const repairing = request.messages.some(
      (m) => m.role === 'user' && JSON.stringify(m.content).includes('Someone tried this problem'),
    );
    const toolResult = request.messages.findLast((m) => m.role === 'tool');
    if (toolResult === undefined) {
      return repairing
        ? {
            text: '3 boxes of 12 eggs, minus the 5 broken ones.',
            toolCalls: [{ name: 'calculator', arguments: { expression: '3*12-5' } }],
          }
        : {
            text: 'Count the eggs.',
            toolCalls: [{ name: 'calculator', arguments: { expression: '3*12' } }],
          };
    }
    return { text: `Tom has \\boxed{${toolResult.content}} unbroken eggs.` };
  },
});
const openai = createOpenAI({ baseURL: server.baseURL, apiKey: 'mock' });
const tools = { calculator: calculatorTool() };

try {
  // 1. Your agent, unchanged.
  const run = await generateText({
    model: openai.chat('agent'),
    prompt: task.question,
    tools,
    stopWhen: isStepCount(4),
  });
  console.log(`agent answered: ${run.text}`);

  // 2. Repair the run: same tools (re-executed for real), the paper's evaluator and acceptance rule.
  const repairer = createRepairer({
    model: openai.chat('repairer'),
    tools: runtimesFromAiTools(tools),
    evaluator: createEvaluator({ preset: 'paper' }),
    protocol: 'native',
  });
  const result = await repairSteps({ repairer, task, steps: run.steps });

  console.log(
    `before: correct=${result.before.correct} quality=${result.before.quality.toFixed(3)}`,
  );
  for (const d of result.before.diagnostics) console.log(`  - [${d.code}] ${d.message}`);
  console.log(`repair: ${result.status} after ${result.attempts} attempt(s): ${result.reason}`);
  if (result.after)
    console.log(
      `after:  correct=${result.after.correct} quality=${result.after.quality.toFixed(3)}`,
    );
  if (result.messages) {
    console.log('repaired messages:');
    for (const message of result.messages)
      console.log(`  ${message.role}: ${JSON.stringify(message.content)}`);
  }
  if (result.status !== 'accepted') process.exitCode = 1;
} finally {
  await server.close();
}
