import type { OsRaw } from '../../ingest/os.js';
import { startOsRun, writeOsRaw, type OsRun, type OsRunOptions, type OsTarget } from './sampler.js';

/**
 * The OS sampler in a gatherer's before/after lifecycle (sampling "during" runs between the two). It
 * fails locally: any error becomes a warning string for the run, never a failed run, and an `after`
 * without a successful `before` is a warning too. The trial's own Gatherer interface adapts this.
 */
export interface OsGatherer {
  readonly name: 'os';
  /** Just before the load starts: the before reading, then sampling every intervalMs. */
  before: (target: OsTarget) => Promise<string | undefined>;
  /** Just after the load ends: the after reading, written to `rawFile` (raw/<run-id>/os.json). */
  after: (rawFile: string) => Promise<{ raw?: OsRaw; warning?: string }>;
}

export const osGatherer = (opts: OsRunOptions = {}): OsGatherer => {
  let run: OsRun | undefined;
  return {
    name: 'os',
    before: async (target) => {
      try {
        run = await startOsRun(target, opts);
        return undefined;
      } catch (err) {
        run = undefined;
        return `OS sampler could not start: ${(err as Error).message}`;
      }
    },
    after: async (rawFile) => {
      const current = run;
      run = undefined;
      if (!current) return { warning: 'OS sampler: no before reading, so no OS figures for this run' };
      try {
        const raw = await current.stop();
        await writeOsRaw(rawFile, raw);
        return { raw };
      } catch (err) {
        return { warning: `OS sampler failed: ${(err as Error).message}` };
      }
    },
  };
};
