import {
  compareSymbolic,
  warmUp
} from "./chunk-GN6IHA4X.js";
export {
  compareSymbolic,
  warmUp
};
//# sourceMappingURL=symbolic-S2JYVNXU.js.map