import { join } from 'node:path';

/** Where each part of a trial folder lives; every other module asks here instead of joining paths. */
export interface TrialPaths {
  root: string;
  plan: string;
  manifest: string;
  raw: string;
  reportJson: string;
  reportHtml: string;
  reportMd: string;
  /** The folder of one run, `raw/<run-id>`. */
  runDir: (runId: string) => string;
}

export const trialPaths = (dir: string): TrialPaths => ({
  root: dir,
  plan: join(dir, 'plan.json'),
  manifest: join(dir, 'manifest.json'),
  raw: join(dir, 'raw'),
  reportJson: join(dir, 'report.json'),
  reportHtml: join(dir, 'report.html'),
  reportMd: join(dir, 'report.md'),
  runDir: (runId) => join(dir, 'raw', runId),
});

/**
 * File names inside `raw/<run-id>/`, relative to the trial folder (the manifest stores relative paths so a
 * trial folder can be moved or copied to another machine and analysed there).
 */
export interface RunPaths {
  dir: string;
  // The driver's own raw files (output, log, summary) are named by the driver: Driver.raw(dir, i).
  serviceLog: string;
  metricsBefore: string;
  metricsAfter: string;
  metricsDuring: (index: number) => string;
}

export const runPaths = (runId: string): RunPaths => {
  const dir = join('raw', runId);
  return {
    dir,
    serviceLog: join(dir, 'service.log'),
    metricsBefore: join(dir, 'metrics-before.prom'),
    metricsAfter: join(dir, 'metrics-after.prom'),
    metricsDuring: (i) => join(dir, `metrics-during-${String(i).padStart(3, '0')}.prom`),
  };
};

/**
 * A trial id that sorts by time and says what ran: `20261121-230512-quick-reference`. The clock is the
 * caller's (passed in), so the same inputs give the same id in tests.
 */
export const newTrialId = (at: Date, planName: string): string => {
  const stamp = at
    .toISOString()
    .replace(/\.\d+Z$/, '')
    .replace(/[-:]/g, '')
    .replace('T', '-');
  const slug = planName
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return slug ? `${stamp}-${slug}` : stamp;
};
