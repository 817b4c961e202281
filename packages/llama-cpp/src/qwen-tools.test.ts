import { createPythonPool } from '@autotraj/tools';
import { pythonToolSpec } from '@autotraj/trajectory';
import { generateText, isStepCount, streamText, tool } from 'ai';
import { afterAll, describe, expect, it } from 'vitest';
import { createLlamaCppModel } from './language-model.js';
import { realModelPath } from './test-support/models.js';

const qwen = realModelPath('qwen2.5-coder-1.5b');

// Greedy, few tokens: the 1.5B model writes ~10 tokens/s on one thread of a quiet core.
describe.skipIf(qwen === undefined)(
  'Qwen2.5-Coder-1.5B-Instruct native tool calls (real weights)',
  () => {
    const model = createLlamaCppModel({ modelPath: qwen ?? '', contextSize: 2048 });
    const pool = createPythonPool({ size: 1 });
    afterAll(async () => {
      await model.close();
      await pool.close();
    });
    const ran: string[] = [];
    // A plain ai SDK tool with a zod schema ({ code: string }), run in the real Python sandbox.
    const python = tool({
      description: pythonToolSpec.description,
      inputSchema: pythonToolSpec.inputSchema,
      execute: async ({ code }) => {
        ran.push(code);
        const result = await pool.run(code, { timeoutMs: 10_000 });
        return result.error === null
          ? result.stdout
          : `${result.error.type}: ${result.error.message}`;
      },
    });

    it("has a template with Qwen's tool-call form", async () => {
      const info = await model.ready();
      expect(info.templateSource).toBe('file');
      expect(info.toolCalling).toEqual({ supported: true, format: 'hermes' });
    });

    it('calls the python tool, gets its result back and answers with it', async () => {
      const result = await generateText({
        model,
        prompt: 'What is 1234 * 5678? Use the python tool.',
        tools: { python },
        stopWhen: isStepCount(3),
        temperature: 0,
        // Room for the answer sentence after the result (60 tokens cut it off).
        maxOutputTokens: 120,
        include: { requestBody: true },
      });
      expect(result.steps).toHaveLength(2);
      const [call, answer] = [result.steps[0]!, result.steps[1]!];
      expect(call.finishReason).toBe('tool-calls');
      expect(call.toolCalls).toHaveLength(1);
      const made = call.toolCalls[0]!;
      expect(made).toMatchObject({ toolName: 'python', input: { code: expect.any(String) } });
      expect(ran.at(-1)).toBe((made.input as { code: string }).code);
      expect(call.toolResults[0]?.output).toBe('7006652\n');
      // The result went back to the model as the template's <tool_response>, after the call
      // rendered as the template's own <tool_call> block.
      const prompt = (answer.request.body as { prompt: string }).prompt;
      expect(prompt).toMatch(
        /<\|im_start\|>assistant\n<tool_call>\n\{"name": "python", "arguments": \{"code": ".*"\}\}\n<\/tool_call><\|im_end\|>\n<\|im_start\|>user\n<tool_response>\n7006652\n\n<\/tool_response><\|im_end\|>\n<\|im_start\|>assistant\n$/s,
      );
      expect(answer.finishReason).toBe('stop');
      expect(result.text.replaceAll(',', '')).toContain('7006652');
    });

    it('streams a forced call as tool-input parts and a tool-call', async () => {
      const stream = streamText({
        model,
        prompt: 'Print the product of 1234 and 5678.',
        tools: { python },
        toolChoice: { type: 'tool', toolName: 'python' },
        stopWhen: isStepCount(1),
        temperature: 0,
        maxOutputTokens: 40,
      });
      const types: string[] = [];
      let input = '';
      for await (const part of stream.fullStream) {
        types.push(part.type);
        if (part.type === 'tool-input-delta') input += part.delta;
      }
      expect(types).toEqual(
        expect.arrayContaining([
          'tool-input-start',
          'tool-input-delta',
          'tool-input-end',
          'tool-call',
        ]),
      );
      expect(types).not.toContain('text-delta');
      expect(await stream.finishReason).toBe('tool-calls');
      const [call] = await stream.toolCalls;
      expect(call?.toolName).toBe('python');
      expect(JSON.parse(input)).toEqual(call?.input);
      expect((await stream.toolResults)[0]?.output).toBe('7006652\n');
    });

    it('returns a call cut off by maxOutputTokens as text with a warning, never throwing', async () => {
      // Provider level: the ai SDK itself rejects a forced tool choice that yields no call.
      const options = {
        prompt: [
          {
            role: 'user' as const,
            content: [{ type: 'text' as const, text: 'Print the product of 1234 and 5678.' }],
          },
        ],
        tools: [
          {
            type: 'function' as const,
            name: 'python',
            inputSchema: { type: 'object', properties: { code: { type: 'string' } } },
          },
        ],
        toolChoice: { type: 'tool' as const, toolName: 'python' },
        temperature: 0,
        maxOutputTokens: 3,
      };
      const problem = expect.stringMatching(
        /^<tool_call> block 1 was never closed and is not JSON \(.+\); returned as text$/,
      );
      const whole = await model.doGenerate(options);
      expect(whole.finishReason).toEqual({ unified: 'length', raw: 'length' });
      expect(whole.content).toEqual([
        {
          type: 'text',
          text: expect.stringMatching(/^<tool_call>\n\{"name": "python", "arguments":/),
        },
      ]);
      expect(whole.warnings).toEqual([
        {
          type: 'other',
          message: expect.stringContaining("the model's <tool_call> block 1 was never closed"),
        },
      ]);
      expect(whole.providerMetadata?.llamaCpp?.toolCallProblems).toEqual([problem]);

      const { stream } = await model.doStream(options);
      const parts = [];
      for await (const part of stream) parts.push(part);
      const text = parts.flatMap((p) => (p.type === 'text-delta' ? [p.delta] : [])).join('');
      expect(text).toBe((whole.content[0] as { text: string }).text);
      const finish = parts.find((p) => p.type === 'finish');
      expect(finish?.providerMetadata?.llamaCpp?.toolCallProblems).toEqual([problem]);
      // Found after the text streamed, the problem joins the warnings array of stream-start,
      // which the ai SDK reads when the step finishes.
      const start = parts.find((p) => p.type === 'stream-start');
      expect(start?.warnings).toEqual(whole.warnings);
    });
  },
);
