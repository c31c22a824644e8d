/**
 * What a command may touch of the outside world, passed in so `main(argv, io)` runs in a test without
 * spawning a process. `stdout` carries results only (with --json, exactly one JSON document);
 * `stderr` carries progress, warnings and errors.
 */
export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  env: Record<string, string | undefined>;
  /** Whether stderr is a terminal (progress redraws in place) or a log (one line per update). */
  isTTY: boolean;
  /** Aborted on SIGINT/SIGTERM; long work checks it and cleans up. */
  signal: AbortSignal;
}

export const processIo = (signal: AbortSignal): Io => ({
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  cwd: process.cwd(),
  env: process.env,
  isTTY: Boolean(process.stderr.isTTY),
  signal,
});

/** Collects output in memory, for tests. */
export const memoryIo = (overrides: Partial<Io> = {}): Io & { out: () => string; err: () => string } => {
  let out = '';
  let err = '';
  return {
    stdout: (t) => void (out += t),
    stderr: (t) => void (err += t),
    cwd: process.cwd(),
    env: {},
    isTTY: false,
    signal: new AbortController().signal,
    ...overrides,
    out: () => out,
    err: () => err,
  };
};
