import { join } from 'node:path';
import { warning } from '../model/index.js';
import { writeFileAtomic } from '../store/index.js';
import type { Gatherer } from './gatherer.js';

/**
 * Saves one Prometheus text scrape of the service to `file`. A failed scrape is not fatal (the run's
 * resource figures are then missing and the report says so): it returns false and the caller records it.
 */
export const scrapeTo = async (
  metricsUrl: string | undefined,
  file: string,
  timeoutMs = 3000,
): Promise<boolean> => {
  if (!metricsUrl) return false;
  try {
    const res = await fetch(metricsUrl, { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) return false;
    await writeFileAtomic(file, await res.text());
    return true;
  } catch {
    return false;
  }
};

/** Resolves when `signal` aborts (at once when it already has). */
const aborted = (signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });

/**
 * The service's /metrics around a run: one scrape before (a warning when it fails: the run's resource
 * figures will be missing), about six during (for RSS peaks; at most one a second) and one after. Paths
 * keep their historical manifest fields `raw.metricsBefore`, `raw.metricsDuring`, `raw.metricsAfter`.
 */
export const metricsGatherer: Gatherer = {
  name: 'metrics',
  before: async (ctx) => {
    const file = ctx.paths.metricsBefore;
    if (await scrapeTo(ctx.service.metricsUrl, join(ctx.trialDir, file)))
      return { raw: { metricsBefore: file } };
    return { warnings: [warning('no-metrics')] };
  },
  during: async (ctx, signal) => {
    const every = Math.max(1000, (ctx.plannedSeconds * 1000) / 6);
    const files: string[] = [];
    const scrapes: Promise<void>[] = [];
    let i = 0;
    const timer = setInterval(() => {
      const file = ctx.paths.metricsDuring(i);
      i += 1;
      scrapes.push(
        scrapeTo(ctx.service.metricsUrl, join(ctx.trialDir, file)).then((ok) => {
          if (ok) files.push(file);
        }),
      );
    }, every);
    await aborted(signal);
    clearInterval(timer);
    await Promise.all(scrapes);
    return { raw: { metricsDuring: files.sort() } };
  },
  after: async (ctx) => {
    const file = ctx.paths.metricsAfter;
    if (await scrapeTo(ctx.service.metricsUrl, join(ctx.trialDir, file)))
      return { raw: { metricsAfter: file } };
  },
};
