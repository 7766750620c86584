/** Output streams are injected so tests can capture them in-process (vitest's logger pattern). */
export interface CliIO {
  out: (text: string) => void;
  err: (text: string) => void;
  isTTY: boolean;
  cwd: string;
}

export function processIO(): CliIO {
  return {
    out: (t) => void process.stdout.write(t.endsWith('\n') ? t : t + '\n'),
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
