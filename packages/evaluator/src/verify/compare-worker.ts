/**
 * Worker-thread entry for symbolic comparisons. The main thread blocks on a shared flag with
 * a deadline and terminates this worker when a comparison overruns, so a pathological input
 * (`9^{9^{9^{9}}}`) costs one timeout instead of a hung evaluation.
 */
import * as nodeModule from 'node:module';
import { type MessagePort, workerData } from 'node:worker_threads';

type RegisterHooks = (hooks: {
  resolve: (
    specifier: string,
    context: unknown,
    next: (specifier: string, context: unknown) => unknown,
  ) => unknown;
}) => void;

// From a source checkout this file runs through Node's type stripping; `./x.js` imports then
// need to find `./x.ts`. Built output has real `.js` files and never reaches the fallback.
const registerHooks = (nodeModule as unknown as { registerHooks?: RegisterHooks }).registerHooks;
if (import.meta.url.endsWith('.ts') && registerHooks !== undefined) {
  registerHooks({
    resolve(specifier, context, next) {
      try {
        return next(specifier, context);
      } catch (error) {
        if (specifier.startsWith('.') && specifier.endsWith('.js'))
          return next(`${specifier.slice(0, -3)}.ts`, context);
        throw error;
      }
    },
  });
}

const { port, flag } = workerData as { port: MessagePort; flag: Int32Array };
const { compareSymbolic, warmUp } = await import('./symbolic.js');

/** Count replies in the shared flag, so a blocked caller wakes up (and never misses one). */
function signal(): void {
  Atomics.add(flag, 0, 1);
  Atomics.notify(flag, 0);
}

warmUp();
port.postMessage({ ready: true });
signal();

port.on('message', (message: { id: number; request: Parameters<typeof compareSymbolic>[0] }) => {
  let reply: { id: number; equivalent?: boolean; error?: string };
  try {
    reply = { id: message.id, equivalent: compareSymbolic(message.request) };
  } catch (error) {
    reply = { id: message.id, error: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(reply);
  signal();
});
