import { setTimeout as sleep } from 'node:timers/promises';
import { searchProfilePhase, type Plan } from '../model/index.js';
import type { Gatherer } from './gatherer.js';
import { hasCapacitySearch, isSearchPhase } from './capacity-search.js';
import { readProcTree } from './os/index.js';

/**
 * Before every capacity-search probe (and the search's profile run): wait until the service has drained what the previous probe (or
 * the warm-up) left behind, so no queue is carried into the probe. A failing probe ends with requests
 * still queued in the service (k6 stops waiting after its graceful stop; a CPU-bound handler goes on
 * after the client has gone), and they would be served during the next probe's first seconds. The
 * service has drained when its process tree used less than `idleShare` of a core over one
 * `intervalMs` interval (schedstat, ns), read from /proc; without a process to read (kind url), a
 * fixed pause. Listed before the /metrics gatherer so the probe's "before" scrape is taken drained.
 * Gives up after `maxMs` with a gatherer-failed warning on the probe (the probe still runs).
 */
export interface DrainOptions {
  intervalMs?: number;
  idleShare?: number;
  maxMs?: number;
  /** Pause when the service's process cannot be read. */
  pauseMs?: number;
  procRoot?: string;
}

const cpuNs = async (pid: number, procRoot?: string): Promise<number> => {
  const tree = await readProcTree(pid, procRoot ? { procRoot } : {});
  return tree.processes.reduce((s, p) => s + Object.values(p.threadNs).reduce((a, b) => a + b, 0), 0);
};

/** Waits until the process `pid` is idle; returns the ms it waited. Throws after `maxMs`. */
export const waitIdle = async (pid: number, opts: DrainOptions = {}): Promise<number> => {
  const intervalMs = opts.intervalMs ?? 100;
  const idleShare = opts.idleShare ?? 0.05;
  const maxMs = opts.maxMs ?? 15_000;
  const t0 = Date.now();
  let before = await cpuNs(pid, opts.procRoot);
  let tBefore = Date.now();
  for (;;) {
    await sleep(intervalMs);
    const now = await cpuNs(pid, opts.procRoot);
    const t = Date.now();
    const share = (now - before) / 1e6 / Math.max(1, t - tBefore);
    if (share < idleShare) return t - t0;
    if (t - t0 > maxMs)
      throw new Error(
        `the service was still busy (${(share * 100).toFixed(0)} % of a core) after ${maxMs / 1000} s`,
      );
    before = now;
    tBefore = t;
  }
};

export const drainGatherer = (opts: DrainOptions = {}): Gatherer => ({
  name: 'drain',
  before: async (ctx) => {
    const profileRun = ctx.plan.phases.some(
      (p) => isSearchPhase(p) && searchProfilePhase(p.name) === ctx.phase.name,
    );
    if (!isSearchPhase(ctx.phase) && !profileRun) return;
    const pid = ctx.service.child?.pid;
    if (pid === undefined || pid <= 1) {
      await sleep(opts.pauseMs ?? 1000);
      return;
    }
    await waitIdle(pid, opts);
  },
});

/** Whether a plan needs the drain (it has a capacity search). */
export const needsDrain = (plan: Plan): boolean => hasCapacitySearch(plan);
