/**
 * The chart registry: one spec builder per file, listed once here in the order the report shows
 * them. Each builder is pure (ReportModel → vega-lite spec | null).
 */
import { canaryChart } from './canary.js';
import type { ChartDef } from './common.js';
import { forestChart } from './forest.js';
import { icicleChart } from './icicle.js';
import { instancesChart } from './instances.js';
import { ladderChart } from './ladder.js';
import { resourcesChart } from './resources.js';
import { spectrumChart } from './spectrum.js';
import { throughputChart } from './throughput.js';
import { timeseriesChart } from './timeseries.js';

export const CHARTS: readonly ChartDef[] = [
  icicleChart,
  ladderChart,
  spectrumChart,
  timeseriesChart,
  forestChart,
  throughputChart,
  instancesChart,
  resourcesChart,
  canaryChart,
];

export type { ChartDef } from './common.js';
export { ROLE_COLORS } from './common.js';
