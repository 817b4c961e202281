import type { JsonValue, ToolRunOutput, ToolRuntime } from '@autotraj/trajectory';

/**
 * A small arithmetic runtime for tests that do not need the Python pool: evaluates `+ - * / ( )`
 * over numbers, and reports anything else as a tool error, as a real calculator would.
 */
export function arithmeticRuntime(name = 'calculator'): ToolRuntime & { calls: JsonValue[] } {
  const calls: JsonValue[] = [];
  return {
    name,
    calls,
    async run(input): Promise<ToolRunOutput> {
      calls.push(input);
      const started = performance.now();
      const record = input as Record<string, unknown>;
      const source = String(record.expression ?? record.code ?? record.input ?? '');
      const expression = source.replace(/^print\((.*)\)\s*$/s, '$1').trim();
      if (!/^[\d\s+\-*/().]+$/.test(expression)) {
        return {
          output: `SyntaxError: cannot evaluate ${JSON.stringify(source)}`,
          isError: true,
          durationMs: performance.now() - started,
        };
      }
      const value = Function(`"use strict"; return (${expression});`)() as number;
      return {
        output: Number.isInteger(value) ? String(value) : String(Number(value.toFixed(6))),
        isError: false,
        durationMs: performance.now() - started,
      };
    },
  };
}
