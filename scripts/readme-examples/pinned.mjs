// What the README harness does with blocks it cannot simply run as written: one entry per
// block, found by `file` and a piece of its text (`contains`). An entry that matches no block
// fails the harness, so this list cannot go stale silently.
//   fixtures:  input files (fixtures.mjs) written into the block's working directory first
//   server:    the block starts a server: it must print its URL, answer GET /health and exit 0
//              on SIGTERM (run with PORT=0)
//   run:false  type-checked only; `reason` says why it cannot run offline
export const pinned = [];

// Every shell command of the root README, by prefix: run (from the repository root) or not,
// and why not.
export const rootReadme = [];
