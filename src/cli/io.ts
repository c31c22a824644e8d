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

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g;

/**
 * Text for a terminal: every control character but newline and tab (ESC, CR, BEL, C1 controls…) becomes a
 * visible `\xNN`/`\uNNNN`, so a plan name, run id or endpoint name from a file cannot retitle, clear or
 * rewrite the screen. JSON output is unchanged in meaning (JSON.stringify already escapes these in strings).
 */
export const escapeControl = (text: string): string =>
  text.replace(CONTROL, (c) => {
    const code = c.charCodeAt(0);
    return code > 0xff
      ? `\\u${code.toString(16).padStart(4, '0')}`
      : `\\x${code.toString(16).padStart(2, '0')}`;
  });

/**
 * The one output boundary of the CLI: every line a command prints, on stdout or stderr, passes through
 * `escapeControl`. `main()` wraps the `Io` it is given, so no command can forget it.
 */
export const terminalSafe = (io: Io): Io => ({
  ...io,
  stdout: (text) => io.stdout(escapeControl(text)),
  stderr: (text) => io.stderr(escapeControl(text)),
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
