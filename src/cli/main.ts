import { Command, CommanderError } from 'commander';
import { EXIT, HotswapError } from '../model/index.js';
import { COMMANDS } from './commands.js';
import { terminalSafe, type Io } from './io.js';
import { VERSION } from './version.js';

const DESCRIPTION = `Load-test two builds of a service side by side and judge the swap against a plan written first.

  hotswap demo                       quick trial of the reference service (pure Go vs Rust hotspot)
  hotswap trial --plan plan.yaml     run + analyze + report
  hotswap compare old.txt new.txt    benchstat-style comparison of two samples

Exit codes: 0 ok/keep, 1 drop, 2 usage or bad input, 3 infrastructure failure, 4 inconclusive.`;

/** Builds the program; output goes through `io` so tests can run it in-process. */
export const buildProgram = (io: Io, setExit: (code: number) => void): Command => {
  const program = new Command('hotswap')
    .description(DESCRIPTION)
    .version(VERSION, '-V, --version', 'print the hotswap version')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .configureHelp({ helpWidth: 110 })
    .exitOverride();
  for (const command of COMMANDS) command.register(program, io, setExit);
  return program;
};

/**
 * Runs the CLI and returns its exit code. User errors become one line on stderr with their exit code;
 * anything else is a bug, reported in one line too (set HOTSWAP_DEBUG=1 for the stack).
 */
export const main = async (argv: string[], rawIo: Io): Promise<number> => {
  const io = terminalSafe(rawIo);
  let code: number = EXIT.ok;
  const program = buildProgram(io, (c) => void (code = c));
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (err) {
    return reportError(err, io);
  }
};

const reportError = (err: unknown, io: Io): number => {
  if (err instanceof CommanderError) {
    // --help and --version end here with exit code 0; commander already printed the message.
    return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  if (err instanceof HotswapError) {
    io.stderr(`hotswap: ${err.message}\n`);
    return err.exitCode;
  }
  const message = err instanceof Error ? err.message : String(err);
  io.stderr(`hotswap: internal error: ${message.split('\n')[0]} (set HOTSWAP_DEBUG=1 for details)\n`);
  if (io.env.HOTSWAP_DEBUG && err instanceof Error) io.stderr(`${err.stack}\n`);
  return EXIT.infrastructure;
};
