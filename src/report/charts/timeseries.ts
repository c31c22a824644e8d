/**
 * Latency over time, one line per run, with the hotspot flag flips marked: a rollback drill should
 * show p99 stepping to the baseline's level and back, and a drifting run (thermal, noisy neighbour)
 * stands out from its siblings.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ReportModel, TimeseriesSeries } from '../../model/index.js';
import { configLabel } from '../format.js';
import { CONFIG, INK, colorEncoding, title, type ChartDef } from './common.js';

/** Points per run drawn at most: a 10-run soak at 1 s buckets would otherwise bloat the page. */
export const MAX_POINTS_PER_RUN = 150;

/**
 * Merges consecutive buckets so a run has at most `max` points, keeping the WORST p99 of each group
 * (a tail spike must survive the thinning). Returns the points and the merged width in buckets.
 */
export const thin = (points: TimeseriesSeries['points'], max = MAX_POINTS_PER_RUN) => {
  const k = Math.max(1, Math.ceil(points.length / max));
  if (k === 1) return { points, factor: 1 };
  const out: TimeseriesSeries['points'] = [];
  for (let i = 0; i < points.length; i += k) {
    const group = points.slice(i, i + k);
    out.push({
      ...group[0]!,
      requests: group.reduce((a, p) => a + p.requests, 0),
      errors: group.reduce((a, p) => a + p.errors, 0),
      p99Ms: Math.max(...group.map((p) => p.p99Ms)),
    });
  }
  return { points: out, factor: k };
};

export const buildTimeseries = (model: ReportModel): TopLevelSpec | null => {
  const series = model.timeseries.filter((s) => s.points.length > 0);
  if (series.length === 0) return null;
  const phases = [...new Set(series.map((s) => s.phase))];
  let factor = 1;
  const points = series.flatMap((s) => {
    const thinned = thin(s.points);
    factor = Math.max(factor, thinned.factor);
    return thinned.points.map((pt) => ({
      kind: 'point',
      phase: s.phase,
      runId: s.runId,
      config: configLabel(model, s.role),
      tSeconds: pt.tSeconds,
      p99Ms: pt.p99Ms,
      drill: s.flips.length > 0 || (s.events?.length ?? 0) > 0,
    }));
  });
  const bucket = Math.max(...series.map((s) => s.bucketSeconds)) * factor;
  const per = bucket === 1 ? 'per second' : `worst of each ${bucket} s`;
  const flips = series.flatMap((s) =>
    s.flips.map((f) => ({
      kind: 'flip',
      phase: s.phase,
      runId: s.runId,
      tSeconds: f.tSeconds,
      label: `${f.from} → ${f.to} (${s.runId})`,
    })),
  );
  // Fault-drill moments: injected, breaker open, cleared, Rust again (a rollback's flips are marked above).
  const events = series.flatMap((s) =>
    (s.events ?? []).map((e) => ({
      kind: 'event',
      phase: s.phase,
      runId: s.runId,
      tSeconds: e.tSeconds,
      label: e.label,
    })),
  );
  const eventNote = events.length
    ? [
        `Dotted lines mark drill moments in the bold run (${[...new Set(events.map((e) => e.runId))].join(', ')}): injection, breaker open, clearing and Rust again.`,
      ]
    : [];
  const flipNote = flips.length
    ? `Dashed lines mark flag flips in the bold run (${[...new Set(flips.map((f) => f.runId))].join(', ')}): its p99 should step with them.`
    : 'No flag flips in this trial.';
  return {
    title: title('p99 latency over time, per run', [
      `One line per run, ${per} after warm-up; lower is better. Look for a run that drifts away from its siblings.`,
      flipNote,
      ...eventNote,
    ]),
    config: CONFIG,
    data: { values: [...points, ...flips, ...events] },
    facet: {
      row: {
        field: 'phase',
        type: 'nominal',
        sort: phases,
        title: null,
        header: { labelAngle: 0, labelFontWeight: 'bold' },
      },
    },
    spec: {
      width: 720,
      height: 170,
      layer: [
        {
          transform: [{ filter: "datum.kind === 'point'" }],
          mark: { type: 'line', strokeWidth: 1.2, opacity: 0.75 },
          encoding: {
            x: { field: 'tSeconds', type: 'quantitative', title: 'time into the measured phase (s)' },
            y: { field: 'p99Ms', type: 'quantitative', title: 'p99 (ms, log)', scale: { type: 'log' } },
            detail: { field: 'runId', type: 'nominal' },
            color: colorEncoding(model),
          },
        },
        {
          transform: [{ filter: "datum.kind === 'point' && datum.drill" }],
          mark: { type: 'line', strokeWidth: 2.6, opacity: 1 },
          encoding: {
            x: { field: 'tSeconds', type: 'quantitative' },
            y: { field: 'p99Ms', type: 'quantitative' },
            detail: { field: 'runId', type: 'nominal' },
            color: colorEncoding(model),
          },
        },
        {
          transform: [{ filter: "datum.kind === 'flip'" }],
          mark: { type: 'rule', color: INK, strokeDash: [5, 3], strokeWidth: 1.5 },
          encoding: { x: { field: 'tSeconds', type: 'quantitative' } },
        },
        {
          transform: [{ filter: "datum.kind === 'flip'" }],
          mark: {
            type: 'text',
            color: INK,
            align: 'left',
            baseline: 'top',
            dx: 3,
            dy: 2,
            fontSize: 11,
            y: 0,
          },
          encoding: { x: { field: 'tSeconds', type: 'quantitative' }, text: { field: 'label' } },
        },
        ...(events.length
          ? [
              {
                transform: [{ filter: "datum.kind === 'event'" }],
                mark: { type: 'rule', color: INK, strokeDash: [1, 3], strokeWidth: 1.5 },
                encoding: { x: { field: 'tSeconds', type: 'quantitative' } },
              },
              {
                transform: [{ filter: "datum.kind === 'event'" }],
                mark: {
                  type: 'text',
                  color: INK,
                  align: 'left',
                  baseline: 'bottom',
                  angle: 270,
                  dx: 4,
                  dy: -3,
                  fontSize: 10,
                  y: 170,
                },
                encoding: { x: { field: 'tSeconds', type: 'quantitative' }, text: { field: 'label' } },
              },
            ]
          : []),
      ],
    },
    resolve: { scale: { x: 'independent', y: 'independent' } },
  } as TopLevelSpec;
};

export const timeseriesChart: ChartDef = {
  id: 'timeseries',
  section: 'tail',
  caption: 'p99 latency per second for every run, with hotspot flag flips and drill moments marked',
  build: buildTimeseries,
};
