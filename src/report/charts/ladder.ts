/**
 * Percentile ladder: p50 … p99.9 per configuration and endpoint with the 95 % CI across runs. The
 * tail is where a hotspot swap shows (or hides) its effect; overlapping CIs mean the runs cannot
 * tell the configurations apart.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ReportModel } from '../../model/index.js';
import { configLabel, endpointLabel, fmtChange, pLabel } from '../format.js';
import { mainPhase } from '../view.js';
import { CONFIG, colorEncoding, title, type ChartDef } from './common.js';

export const buildLadder = (model: ReportModel): TopLevelSpec | null => {
  const phase = mainPhase(model);
  const rows = model.ladders.filter((r) => r.phase === phase);
  if (rows.length === 0) return null;
  const endpoints = [...new Set(rows.map((r) => endpointLabel(r.endpoint)))];
  const quantiles = [...new Set(rows.map((r) => r.quantile))].sort((a, b) => a - b).map(pLabel);
  const values = rows.map((r) => ({
    config: configLabel(model, r.role),
    endpoint: endpointLabel(r.endpoint),
    percentile: pLabel(r.quantile),
    latencyMs: r.valueMs,
    // An unbounded CI side is drawn up to the estimate and flagged in the tooltip data.
    ciLowMs: r.ci95Ms[0] ?? r.valueMs,
    ciHighMs: r.ci95Ms[1] ?? r.valueMs,
    ciUnbounded: r.ci95Ms[0] === null || r.ci95Ms[1] === null,
  }));
  const x = {
    field: 'percentile',
    type: 'ordinal',
    sort: quantiles,
    title: 'percentile',
    axis: { labelAngle: 0 },
  } as const;
  const p99 = (role: 'baseline' | 'candidate', endpoint: string) =>
    rows.find((r) => r.role === role && r.endpoint === endpoint && r.quantile === 0.99)?.valueMs;
  const changes = [...new Set(rows.map((r) => r.endpoint))].flatMap((ep) => {
    const a = p99('baseline', ep);
    const b = p99('candidate', ep);
    return a && b !== undefined ? [`${endpointLabel(ep)} ${fmtChange(b / a)}`] : [];
  });
  return {
    title: title(`Percentile ladder, ${phase} phase${changes.length ? `: p99 ${changes.join(', ')}` : ''}`, [
      'Median across runs (dot) with its 95 % CI (bar); lower is better.',
      'Look at p99 and p99.9: where the bars of the two colours stop overlapping, the difference is real.',
      ...(values.some((v) => v.ciUnbounded)
        ? ['Hollow dots: too few runs to bound the CI on one side (the bar stops at the estimate).']
        : []),
    ]),
    config: CONFIG,
    data: { values },
    facet: { column: { field: 'endpoint', type: 'nominal', sort: endpoints, title: null } },
    spec: {
      width: 155,
      height: 220,
      encoding: {
        x,
        xOffset: { field: 'config', type: 'nominal', sort: colorEncoding(model).scale.domain },
        color: colorEncoding(model),
      },
      layer: [
        {
          mark: { type: 'rule', strokeWidth: 2 },
          encoding: {
            y: { field: 'ciLowMs', type: 'quantitative', title: 'latency (ms)', scale: { type: 'log' } },
            y2: { field: 'ciHighMs' },
          },
        },
        {
          transform: [{ filter: '!datum.ciUnbounded' }],
          mark: { type: 'point', filled: true, size: 45, opacity: 1 },
          encoding: { y: { field: 'latencyMs', type: 'quantitative', title: 'latency (ms)' } },
        },
        {
          transform: [{ filter: 'datum.ciUnbounded' }],
          mark: { type: 'point', filled: false, fill: 'white', strokeWidth: 2, size: 45, opacity: 1 },
          encoding: { y: { field: 'latencyMs', type: 'quantitative', title: 'latency (ms)' } },
        },
      ],
    },
    resolve: { scale: { y: 'independent' } },
  } as TopLevelSpec;
};

export const ladderChart: ChartDef = {
  id: 'ladder',
  section: 'tail',
  caption: 'Percentile ladder with 95 % confidence intervals, per configuration and endpoint',
  build: buildLadder,
};
