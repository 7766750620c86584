/** Output streams are injected so tests can capture them in-process (vitest's logger pattern). */
export interface CliIO {
  out: (text: string) => void;
  err: (text: string) => void;
  isTTY: boolean;
  cwd: string;
}

/**
 * Set once the reader of stdout has gone (`healthsim query … | head`): later output is dropped
 * instead of crashing the process with EPIPE, and the command finishes what it was doing (a
 * build keeps building; only its report has nobody to read it).
 */
let stdoutGone = false;
let watchingStdout = false;

function watchStdout(): void {
  if (watchingStdout) return;
  watchingStdout = true;
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    stdoutGone = true;
  });
}

export function processIO(): CliIO {
  watchStdout();
  return {
    out: (t) => {
      if (!stdoutGone) process.stdout.write(t.endsWith('\n') ? t : t + '\n');
    },
    err: (t) => void process.stderr.write(t.endsWith('\n') ? t : t + '\n'),
    isTTY: !!process.stdout.isTTY && !process.env.CI,
    cwd: process.cwd(),
  };
}

/** A failure the CLI reports without a stack trace, with its exit code. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode: 1 | 2 = 1) {
    super(message);
  }
}
