// src/verify/compare-worker.ts
import * as nodeModule from "module";
import { workerData } from "worker_threads";
var registerHooks2 = nodeModule.registerHooks;
if (import.meta.url.endsWith(".ts") && registerHooks2 !== void 0) {
  registerHooks2({
    resolve(specifier, context, next) {
      try {
        return next(specifier, context);
      } catch (error) {
        if (specifier.startsWith(".") && specifier.endsWith(".js"))
          return next(`${specifier.slice(0, -3)}.ts`, context);
        throw error;
      }
    }
  });
}
var { port, flag } = workerData;
var { compareSymbolic, warmUp } = await import("./symbolic-S2JYVNXU.js");
function signal() {
  Atomics.add(flag, 0, 1);
  Atomics.notify(flag, 0);
}
warmUp();
port.postMessage({ ready: true });
signal();
port.on("message", (message) => {
  let reply;
  try {
    reply = { id: message.id, equivalent: compareSymbolic(message.request) };
  } catch (error) {
    reply = { id: message.id, error: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(reply);
  signal();
});
//# sourceMappingURL=compare-worker.js.map