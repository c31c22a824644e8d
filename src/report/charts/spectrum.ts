/**
 * Percentile spectrum: latency against 1/(1−p) on a log axis, so p90, p99, p99.9 and p99.99 are
 * evenly spaced and the tail gets as much room as the median (HdrHistogram's percentile plot,
 * Gil Tene, "How NOT to measure latency", 2015).
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ReportModel } from '../../model/index.js';
import { configLabel, endpointLabel } from '../format.js';
import { mainPhase } from '../view.js';
import { CONFIG, INVERSE_TAIL_LABEL, colorEncoding, title, type ChartDef } from './common.js';

export const buildSpectrum = (model: ReportModel): TopLevelSpec | null => {
  const phase = mainPhase(model);
  const series = model.spectra.filter((s) => s.phase === phase && s.points.length > 0);
  if (series.length === 0) return null;
  const endpoints = [...new Set(series.map((s) => endpointLabel(s.endpoint)))];
  const values = series.flatMap((s) =>
    s.points
      .filter((pt) => pt.p < 1 && pt.latencyMs > 0)
      .map((pt) => ({
        config: configLabel(model, s.role),
        endpoint: endpointLabel(s.endpoint),
        inverseTail: 1 / (1 - pt.p),
        latencyMs: pt.latencyMs,
      })),
  );
  if (values.length === 0) return null;
  const maxInv = Math.max(...values.map((v) => v.inverseTail));
  const ticks = [2, 10, 100, 1000, 10000, 100000].filter((t) => t <= maxInv * 1.01);
  return {
    title: title(`Latency spectrum, ${phase} phase`, [
      'Each step right is ten times rarer (p90, p99, p99.9 …); lower is better.',
      'Look at where the lines bend upward: that is where the tail starts.',
    ]),
    config: CONFIG,
    data: { values },
    facet: { column: { field: 'endpoint', type: 'nominal', sort: endpoints, title: null } },
    spec: {
      width: 155,
      height: 220,
      mark: { type: 'line', strokeWidth: 2, point: { size: 12, filled: true } },
      encoding: {
        x: {
          field: 'inverseTail',
          type: 'quantitative',
          title: 'percentile (log of 1/(1−p))',
          scale: { type: 'log', domain: [1, Math.max(2, ticks[ticks.length - 1]!)] },
          axis: { values: ticks, labelExpr: INVERSE_TAIL_LABEL, grid: true },
        },
        y: { field: 'latencyMs', type: 'quantitative', title: 'latency (ms, log)', scale: { type: 'log' } },
        color: colorEncoding(model),
      },
    },
    resolve: { scale: { y: 'independent' } },
  } as TopLevelSpec;
};

export const spectrumChart: ChartDef = {
  id: 'spectrum',
  section: 'tail',
  caption: 'Latency by percentile on a log scale of 1/(1−p), per configuration and endpoint',
  build: buildSpectrum,
};
