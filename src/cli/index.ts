#!/usr/bin/env node
import { processIo } from './io.js';
import { main } from './main.js';

// SIGINT/SIGTERM abort the signal; commands clean up their children and return an exit code.
// A second Ctrl-C exits at once.
const controller = new AbortController();
let interrupts = 0;
const onSignal = (sig: NodeJS.Signals): void => {
  interrupts += 1;
  if (interrupts > 1) process.exit(130);
  process.stderr.write(`\nhotswap: ${sig} received, stopping (press Ctrl-C again to force)\n`);
  controller.abort(new Error(sig));
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

process.exitCode = await main(process.argv.slice(2), processIo(controller.signal));
