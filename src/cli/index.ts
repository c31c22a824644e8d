#!/usr/bin/env node
import { killAllChildren } from '../drivers/process.js';
import { processIo } from './io.js';
import { main } from './main.js';

// SIGINT/SIGTERM abort the signal; commands clean up their children and return an exit code.
// A second Ctrl-C, or SIGHUP (terminal closed), exits at once — after SIGKILLing the process group of
// every child, which are detached and would otherwise outlive us.
const controller = new AbortController();
let interrupts = 0;
const onSignal = (sig: NodeJS.Signals): void => {
  interrupts += 1;
  if (interrupts > 1) {
    killAllChildren();
    process.exit(130);
  }
  process.stderr.write(`\nhotswap: ${sig} received, stopping (press Ctrl-C again to force)\n`);
  controller.abort(new Error(sig));
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
process.on('SIGHUP', () => {
  killAllChildren();
  process.exit(129);
});
process.on('exit', killAllChildren);

process.exitCode = await main(process.argv.slice(2), processIo(controller.signal));
