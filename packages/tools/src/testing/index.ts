// Test peers that behave as the real services do, for offline tests of code that calls them.
// Import them as `@autotraj/tools/testing`.
export {
  type FlashRagServer,
  type FlashRagServerOptions,
  startFlashRagServer,
} from './flashrag-server.js';
