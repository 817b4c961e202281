#!/usr/bin/env node
import { runCli } from './program.js';

// A reader that stops early (`autotraj inspect x | head -1`) closes the pipe: that is the reader's
// choice, not a failure, so exit quietly instead of crashing on the EPIPE of the next write.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `autotraj: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
