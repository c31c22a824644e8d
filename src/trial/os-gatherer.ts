import { join } from 'node:path';
import { warning } from '../model/index.js';
import type { Gatherer } from './gatherer.js';
import { startOsRun, writeOsRaw, type OsRun } from './os/index.js';

/**
 * The OS sampler around every run of a service hotswap started (reference and kind command): CPU of the
 * whole process tree and its memory, from the service's cgroup when it has one, else from /proc
 * (src/trial/os). Writes `raw/<run-id>/os.json`, listed in `raw.gathered`. A service hotswap did not
 * start (kind url) has no process here to measure: the run says so in a warning instead.
 */
export const OS_RAW_FILE = 'os.json';

/** Runs in flight, by run id (one gatherer object serves every run of a trial). */
const inFlight = new Map<string, OsRun>();

export const osTrialGatherer: Gatherer = {
  name: 'os',
  before: async (ctx) => {
    // A run whose driver threw never reached `after`: stop its sampling now (one run at a time per trial).
    for (const [id, stale] of inFlight) {
      inFlight.delete(id);
      await stale.stop().catch(() => {});
    }
    const pid = ctx.service.child?.proc.pid;
    if (pid === undefined)
      return { warnings: [warning('no-os-figures', { kind: ctx.plan.configurations[ctx.role].kind })] };
    const cg = ctx.service.cgroup;
    inFlight.set(ctx.runId, await startOsRun({ pid, ...(cg && !('reason' in cg) ? { cgroup: cg } : {}) }));
  },
  after: async (ctx) => {
    const run = inFlight.get(ctx.runId);
    if (!run) return;
    inFlight.delete(ctx.runId);
    const path = join(ctx.paths.dir, OS_RAW_FILE);
    const raw = await run.stop();
    await writeOsRaw(join(ctx.trialDir, path), raw);
    const cg = ctx.service.cgroup;
    return {
      files: [
        {
          path,
          meta: {
            cpu: raw.sources.cpu,
            cpuMethod: raw.cpuMethod,
            ...(cg && 'reason' in cg ? { noCgroup: cg.reason } : {}),
          },
        },
      ],
    };
  },
};
