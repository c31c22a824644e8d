/**
 * Significance forest plot: each comparison's ratio candidate ÷ baseline with its 95 % CI (the one
 * the checks judge on when the analysis gives it) on a log axis, against the 1.0 line (no change). A CI that crosses 1.0 is not a detectable change;
 * hollow marks are not significant after the Holm adjustment (benchstat's "~").
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ReportModel } from '../../model/index.js';
import { fmtChange } from '../format.js';
import { displayCI, significanceRows } from '../view.js';
import { INK, MUTED, CONFIG, title, type ChartDef } from './common.js';

export const buildForest = (model: ReportModel): TopLevelSpec | null => {
  const rows = significanceRows(model)
    .map((r) => ({ r, ci: displayCI(r.comparison) }))
    .filter(({ r, ci }) => Number.isFinite(r.comparison.ratio) && r.comparison.ratio > 0 && (ci[0] ?? 1) > 0);
  if (rows.length === 0) return null;
  // The axis spans the estimates and every bounded CI end; an unbounded side runs to the edge.
  const ends = rows.flatMap(({ r, ci }) => [
    r.comparison.ratio,
    ...ci.filter((x): x is number => x !== null),
  ]);
  const lo = Math.min(...ends, 1) * 0.95;
  const hi = Math.max(...ends, 1) * 1.05;
  const values = rows.map(({ r, ci }) => ({
    label: r.label,
    ratio: r.comparison.ratio,
    lo: ci[0] ?? lo,
    hi: ci[1] ?? hi,
    change: fmtChange(r.comparison.ratio) + (ci[0] === null || ci[1] === null ? ' (CI unbounded)' : ''),
    significance: r.mark === '~' ? 'not significant (~)' : 'significant',
  }));
  const order = values.map((v) => v.label);
  const y = { field: 'label', type: 'nominal', sort: order, title: null, axis: { labelLimit: 600 } } as const;
  return {
    title: title('Candidate ÷ baseline, with 95 % CI', [
      'Left of the 1.0 line the candidate is lower (better for latency and cost); a bar crossing 1.0 is no detectable change.',
      'Hollow marks are not significant after the Holm adjustment (shown as ~ in the tables); a bar to the edge is an unbounded CI.',
    ]),
    config: CONFIG,
    width: 520,
    height: { step: 22 },
    data: { values },
    layer: [
      {
        mark: { type: 'rule', strokeWidth: 2 },
        encoding: {
          y,
          x: {
            field: 'lo',
            type: 'quantitative',
            title: 'ratio candidate ÷ baseline (log scale; 1.0 = no change)',
            scale: { type: 'log', domain: [lo, hi], nice: false },
          },
          x2: { field: 'hi' },
          color: {
            field: 'significance',
            type: 'nominal',
            scale: { domain: ['significant', 'not significant (~)'], range: [INK, MUTED] },
            legend: { orient: 'top', title: null },
          },
        },
      },
      {
        transform: [{ filter: "datum.significance === 'significant'" }],
        mark: { type: 'point', filled: true, size: 55, color: INK, opacity: 1 },
        encoding: { y, x: { field: 'ratio', type: 'quantitative' } },
      },
      {
        transform: [{ filter: "datum.significance !== 'significant'" }],
        mark: {
          type: 'point',
          filled: false,
          size: 55,
          strokeWidth: 2,
          color: MUTED,
          fill: 'white',
          opacity: 1,
        },
        encoding: { y, x: { field: 'ratio', type: 'quantitative' } },
      },
      {
        mark: { type: 'text', align: 'left', dx: 8, fontSize: 11, color: '#222222' },
        encoding: { y, x: { field: 'hi', type: 'quantitative' }, text: { field: 'change' } },
      },
      {
        data: { values: [{ one: 1 }] },
        mark: { type: 'rule', color: INK, strokeDash: [4, 3] },
        encoding: { x: { field: 'one', type: 'quantitative' } },
      },
    ],
  } as TopLevelSpec;
};

export const forestChart: ChartDef = {
  id: 'forest',
  section: 'significance',
  caption: 'Ratio candidate ÷ baseline for every comparison with its 95 % confidence interval',
  build: buildForest,
};
