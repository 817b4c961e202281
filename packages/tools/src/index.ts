export type { PythonToolOptions } from './ai-tools.js';
export type { CalculateOptions, CalculatorResult } from './calculator/calculate.js';
export {
  calculate,
  calculatorResultMatches,
  formatCalculatorOutput,
  formatSearchHits,
} from './entry/checked-calculator.js';
// The checked entry points: options parsed first (entry/).
export { createPythonPool } from './entry/checked-pool.js';
export { createFlashRagClient, createSandboxFusionExecutor } from './entry/checked-remote.js';
export {
  calculatorTool,
  createCalculatorRuntime,
  createPythonRuntime,
  createSearchRuntime,
  pythonTool,
  searchTool,
} from './entry/checked-runtimes.js';
export {
  PythonPoolError,
  PythonTrainerError,
  type PythonTrainerErrorCode,
  type PythonTrainerProblem,
  RemoteServiceError,
  type RemoteServiceErrorCode,
  type RemoteServiceErrorKind,
  ToolExecutionError,
  ToolInputError,
} from './errors.js';
export type { IsolationMode, IsolationRequest } from './python/isolation.js';
export type { PythonPool, PythonPoolOptions } from './python/pool.js';
export {
  DEFAULT_LIMITS,
  type IsolationReport,
  type PythonError,
  type PythonExecutionResult,
  type PythonExecutor,
  type PythonLimits,
  type PythonRunOptions,
  pythonErrorSchema,
  pythonExecutionResultSchema,
  pythonRunOptionsSchema,
} from './python/types.js';
export type { SandboxFusionOptions } from './remote/sandbox-fusion.js';
export { calculatorInputSchema, pythonInputSchema, searchInputSchema } from './runtimes/inputs.js';
export type { PythonRuntimeOptions, SearchRuntimeOptions } from './runtimes/runtimes.js';
export {
  type Bm25Index,
  type Bm25Options,
  createBm25Index,
  loadBm25Corpus,
} from './search/bm25.js';
export type { FlashRagClientOptions } from './search/flashrag.js';
export {
  type SearchClient,
  type SearchDocument,
  type SearchDocumentInput,
  type SearchHit,
  type SearchOptions,
  searchDocumentSchema,
} from './search/types.js';
