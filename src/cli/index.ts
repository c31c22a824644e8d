#!/usr/bin/env node
import { killAllChildren } from '../drivers/process.js';
import { removePendingTemps, runForcedExitHooks } from '../store/index.js';
import { processIo } from './io.js';
import { main } from './main.js';

// SIGINT/SIGTERM abort the signal; commands clean up their children and return an exit code.
// A second Ctrl-C, or SIGHUP (terminal closed), exits at once — after SIGKILLing the process group of
// every child, which are detached and would otherwise outlive us.
const controller = new AbortController();
let interrupts = 0;
/**
 * Every command but these gets at most a second after Ctrl-C, then exits 130 with its children's process
 * groups killed, its temporary files removed and its last words said (a trial marks its manifest
 * interrupted: store/atomic.ts onForcedExit): a corpus of 1e12 lines, a huge stats file, a long search,
 * a trial whose service ignores SIGTERM. `trial` and `run` stop their children themselves with a short
 * grace (drivers/process.ts ABORT_GRACE_MS), well inside the deadline. canary, demo and service keep
 * their own shutdown (a service drains its in-flight requests).
 */
const MANAGES_OWN_SHUTDOWN = new Set(['canary', 'demo', 'service']);
const INTERRUPT_DEADLINE_MS = 1000;
const forceExit = (code: number): never => {
  killAllChildren();
  removePendingTemps();
  runForcedExitHooks();
  process.exit(code);
};
const onSignal = (sig: NodeJS.Signals): void => {
  interrupts += 1;
  if (interrupts > 1) forceExit(130);
  process.stderr.write(`\nhotswap: ${sig} received, stopping (press Ctrl-C again to force)\n`);
  controller.abort(new Error(sig));
  if (!MANAGES_OWN_SHUTDOWN.has(process.argv[2] ?? ''))
    setTimeout(() => forceExit(130), INTERRUPT_DEADLINE_MS).unref();
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
process.on('SIGHUP', () => forceExit(129));
// A closed stdout (`hotswap analyze --help | head`) means the reader went away: stop quietly, with the
// code a Unix tool killed by SIGPIPE gives (128 + 13), instead of an unhandled EPIPE and a stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') forceExit(141);
  throw err;
});
process.on('exit', () => {
  killAllChildren();
  removePendingTemps();
});

process.exitCode = await main(process.argv.slice(2), processIo(controller.signal));
