#!/usr/bin/env node
import { killAllChildren } from '../drivers/process.js';
import { removePendingTemps } from '../store/index.js';
import { processIo } from './io.js';
import { main } from './main.js';

// SIGINT/SIGTERM abort the signal; commands clean up their children and return an exit code.
// A second Ctrl-C, or SIGHUP (terminal closed), exits at once — after SIGKILLing the process group of
// every child, which are detached and would otherwise outlive us.
const controller = new AbortController();
let interrupts = 0;
/**
 * Commands that stop their own children and record an interrupted run (trial, run, canary, demo,
 * service) get their own shutdown; every other command gets at most a second after Ctrl-C, then exits
 * 130 with its temporary files removed (a corpus of 1e12 lines, a huge stats file, a long search).
 */
const MANAGES_OWN_SHUTDOWN = new Set(['trial', 'run', 'canary', 'demo', 'service']);
const INTERRUPT_DEADLINE_MS = 1000;
const forceExit = (code: number): never => {
  killAllChildren();
  removePendingTemps();
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
