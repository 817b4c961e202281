// A model worker: a child process that loads one GGUF model and serves generations from the
// pool over IPC, as many at once as its context has sequences (the pool sends no more). By
// default one sequence and separate processes: two 1-thread processes measured faster on two
// cores than one process with two threads, and one sequence keeps outputs reproducible.
import { Engine } from './engine.js';
import type { ParentMessage, SerializedError, WorkerMessage } from './protocol.js';

const send = (message: WorkerMessage) => process.send?.(message);
let engine: Engine | undefined;
const aborted = new Set<number>();
/** Loading and closing, in order; generations start once the model is loaded. */
let queue: Promise<unknown> = Promise.resolve();
const running = new Set<Promise<unknown>>();

function serialize(error: unknown): SerializedError {
  const e = error as { name?: unknown; code?: unknown; message?: unknown; file?: unknown };
  return {
    name: typeof e?.name === 'string' ? e.name : 'Error',
    message: typeof e?.message === 'string' ? e.message : String(error),
    ...(typeof e?.code === 'string' ? { code: e.code } : {}),
    ...(typeof e?.file === 'string' ? { file: e.file } : {}),
  };
}

async function handle(message: ParentMessage): Promise<void> {
  switch (message.type) {
    case 'init':
      try {
        const loaded = await Engine.load(message.init);
        engine = loaded.engine;
        send({ type: 'ready', info: loaded.info });
      } catch (error) {
        send({ type: 'init-failed', error: serialize(error) });
      }
      return;
    case 'generate': {
      const { id } = message;
      try {
        if (engine === undefined) throw new Error('the worker has no model loaded');
        const result = await engine.generate(message.request, {
          onDelta: (text) => send({ type: 'delta', id, text }),
          isAborted: () => aborted.has(id),
        });
        send({ type: 'done', id, result });
      } catch (error) {
        send({ type: 'failed', id, error: serialize(error) });
      } finally {
        aborted.delete(id);
      }
      return;
    }
    case 'abort':
      return;
    case 'close':
      await engine?.dispose();
      process.exit(0);
  }
}

process.on('message', (message: ParentMessage) => {
  // Aborts must not wait behind the generation they stop.
  if (message.type === 'abort') aborted.add(message.id);
  else if (message.type === 'generate') {
    // Generations run side by side (one per sequence), after the load.
    const call = queue.then(() => handle(message));
    running.add(call);
    void call.finally(() => running.delete(call));
  } else queue = Promise.all([queue, ...running]).then(() => handle(message));
});
// The pool went away (its process died, or exited without closing the model): nothing is left
// to serve. SIGKILL rather than exit(): exit() runs llama.cpp's teardown, which took seconds
// (measured 1-4.5 s) and waits on a running evaluation; the kernel frees the memory at once.
process.on('disconnect', () => process.kill(process.pid, 'SIGKILL'));
