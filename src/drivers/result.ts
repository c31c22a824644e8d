import type { DriverResult } from './types.js';

export const INTERRUPTED_REASON = 'interrupted (Ctrl-C or SIGTERM) during the run';

/**
 * The result of a run whose signal was already aborted before the generator was spawned (e.g. Ctrl-C
 * during the before-scrape): nothing is started, because an abort listener added after the fact never
 * fires and the generator would run for the whole phase.
 */
export const notStarted = (driverVersion: string, loadSeconds: number): DriverResult => ({
  status: 'interrupted',
  failureReason: `${INTERRUPTED_REASON} (before the load generator started)`,
  thresholdsCrossed: false,
  driverVersion,
  outputs: [],
  logs: [],
  generator: { limited: false },
  warnings: [],
  loadSeconds,
});
