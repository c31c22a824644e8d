/**
 * Throughput vs p99 from the ramp: where each configuration's p99 crosses the SLO is its knee, the
 * highest load one instance carries within the SLO (the capacity figure the fleet is sized from).
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ReportModel } from '../../model/index.js';
import { ROLES } from '../../model/index.js';
import { configLabel, fmtMs, pLabel, sig } from '../format.js';
import { CONFIG, INK, colorEncoding, title, type ChartDef } from './common.js';

export const buildThroughput = (model: ReportModel): TopLevelSpec | null => {
  const steps = ROLES.flatMap((role) =>
    model.capacity[role].steps
      .filter((s) => s.p99Ms > 0)
      .map((s) => ({
        kind: 'step',
        config: configLabel(model, role),
        achievedRps: s.achievedRps,
        offeredRps: s.offeredRps,
        p99Ms: s.p99Ms,
        withinSlo: s.ok ? 'yes' : 'no',
      })),
  );
  const probes = probePoints(model);
  if (steps.length === 0 && probes.length === 0) return null;
  if (steps.length === 0) return buildProbeChart(model, probes);
  const knees = ROLES.flatMap((role) => {
    const k = model.capacity[role].kneeRps;
    return k === undefined
      ? []
      : [{ kind: 'knee', config: configLabel(model, role), kneeRps: k, label: `knee ${sig(k)} rps` }];
  });
  const slo = model.plan.slo;
  const sloLabel = `SLO: ${pLabel(slo.quantile)} ≤ ${fmtMs(slo.latencyMs)}`;
  const kneeText = ROLES.map((r) => {
    const k = model.capacity[r].kneeRps;
    return `${model.plan.configurations[r].name} ${k === undefined ? 'has no step within the SLO' : `knees at ${sig(k)} rps`}`;
  }).join(', ');
  const yMax = Math.max(...steps.map((s) => s.p99Ms), slo.latencyMs) * 1.15;
  const yMin = Math.min(...steps.map((s) => s.p99Ms), slo.latencyMs) * 0.8;
  const y = {
    field: 'p99Ms',
    type: 'quantitative',
    title: 'p99 latency (ms, log)',
    scale: { type: 'log', domain: [yMin, yMax], nice: false },
  } as const;
  return {
    title: title('Throughput vs p99 on the ramp', [
      `The knee is the highest step whose p99 stays under the SLO line: ${kneeText}.`,
      'Further right before crossing the line = more load per instance; open circles are steps outside the SLO.',
    ]),
    config: CONFIG,
    width: 620,
    height: 280,
    data: { values: [...steps, ...knees] },
    layer: [
      {
        transform: [{ filter: "datum.kind === 'step'" }],
        mark: { type: 'line', strokeWidth: 2 },
        encoding: {
          x: { field: 'achievedRps', type: 'quantitative', title: 'achieved throughput (requests/s)' },
          y,
          color: colorEncoding(model),
        },
      },
      {
        transform: [{ filter: "datum.kind === 'step' && datum.withinSlo === 'yes'" }],
        mark: { type: 'point', size: 60, filled: true, opacity: 1 },
        encoding: { x: { field: 'achievedRps', type: 'quantitative' }, y, color: colorEncoding(model) },
      },
      {
        transform: [{ filter: "datum.kind === 'step' && datum.withinSlo === 'no'" }],
        mark: { type: 'point', size: 60, filled: false, strokeWidth: 2, fill: 'white', opacity: 1 },
        encoding: { x: { field: 'achievedRps', type: 'quantitative' }, y, color: colorEncoding(model) },
      },
      {
        transform: [{ filter: "datum.kind === 'knee'" }],
        mark: { type: 'rule', strokeDash: [4, 3], strokeWidth: 1.5 },
        encoding: { x: { field: 'kneeRps', type: 'quantitative' }, color: colorEncoding(model) },
      },
      {
        transform: [{ filter: "datum.kind === 'knee'" }],
        mark: { type: 'text', align: 'right', angle: 0, dx: -4, dy: 4, baseline: 'top', fontSize: 11, y: 0 },
        encoding: {
          x: { field: 'kneeRps', type: 'quantitative' },
          text: { field: 'label' },
          color: colorEncoding(model),
        },
      },
      {
        data: { values: [{ sloMs: slo.latencyMs, label: sloLabel }] },
        mark: { type: 'rule', color: INK, strokeWidth: 1.5 },
        encoding: { y: { field: 'sloMs', type: 'quantitative' } },
      },
      {
        data: { values: [{ sloMs: slo.latencyMs, label: sloLabel }] },
        mark: { type: 'text', color: INK, align: 'left', dx: 4, dy: -7, fontSize: 11, x: 0 },
        encoding: { y: { field: 'sloMs', type: 'quantitative' }, text: { field: 'label' } },
      },
    ],
  } as TopLevelSpec;
};

export const throughputChart: ChartDef = {
  id: 'throughput',
  section: 'capacity',
  caption: 'Achieved throughput against p99 latency on the ramp, with the SLO line and each knee',
  build: buildThroughput,
};

/** Every search probe with a measured quantile, numbered in the order it ran within its search. */
const probePoints = (model: ReportModel) =>
  ROLES.flatMap((role) =>
    (model.capacity[role].searches ?? []).flatMap((search) =>
      search.probes
        .map((p, i) => ({ p, seq: i + 1 }))
        .filter(({ p }) => Number.isFinite(p.quantileMs) && p.quantileMs > 0)
        .map(({ p, seq }) => ({
          kind: 'probe',
          config: configLabel(model, role),
          series: `${role}-${search.repetition}`,
          seq,
          label: String(seq),
          offeredRps: p.rateRps,
          achievedRps: p.achievedRps,
          quantileMs: p.quantileMs,
          withinSlo: p.pass ? 'yes' : 'no',
        })),
    ),
  );

/**
 * The capacity search's probes on the throughput-vs-latency plane, joined in the order they ran and
 * numbered (1 = first probe), so the reader sees the search grow, overshoot and bisect onto the knee.
 */
const buildProbeChart = (model: ReportModel, probes: ReturnType<typeof probePoints>): TopLevelSpec => {
  const slo = model.plan.slo;
  const q = pLabel(slo.quantile);
  const sloLabel = `SLO: ${q} ≤ ${fmtMs(slo.latencyMs)}`;
  const kneeText = ROLES.filter((r) => model.capacity[r].search)
    .map((r) => {
      const s = model.capacity[r].search!;
      const name = model.plan.configurations[r].name;
      return s.stoppedBy === 'converged'
        ? `${name} knees at ${sig(s.passRps!)} rps`
        : s.passRps !== undefined
          ? `${name} passes at least ${sig(s.passRps)} rps (${s.stoppedBy})`
          : `${name} never passed`;
    })
    .join(', ');
  const knees = ROLES.flatMap((role) => {
    const k = model.capacity[role].kneeRps;
    return k === undefined
      ? []
      : [{ kind: 'knee', config: configLabel(model, role), kneeRps: k, label: `knee ${sig(k)} rps` }];
  });
  const ys = probes.map((p) => p.quantileMs);
  const y = {
    field: 'quantileMs',
    type: 'quantitative',
    title: `${q} latency (ms, log)`,
    scale: {
      type: 'log',
      domain: [Math.min(...ys, slo.latencyMs) * 0.8, Math.max(...ys, slo.latencyMs) * 1.15],
      nice: false,
    },
  } as const;
  const x = {
    field: 'achievedRps',
    type: 'quantitative',
    title: 'achieved throughput (requests/s)',
  } as const;
  const probe = "datum.kind === 'probe'";
  return {
    title: title(`Capacity search: throughput vs ${q}, probes in the order they ran`, [
      `Each probe is one constant-rate run; the numbers give the order. ${kneeText}.`,
      'Filled = within the SLO, open = outside it; the search brackets the knee between the two.',
    ]),
    config: CONFIG,
    width: 620,
    height: 280,
    data: { values: [...probes, ...knees] },
    layer: [
      {
        transform: [{ filter: probe }],
        mark: { type: 'line', strokeWidth: 1, opacity: 0.5 },
        encoding: { x, y, color: colorEncoding(model), detail: { field: 'series' }, order: { field: 'seq' } },
      },
      {
        transform: [{ filter: `${probe} && datum.withinSlo === 'yes'` }],
        mark: { type: 'point', size: 60, filled: true, opacity: 1 },
        encoding: { x, y, color: colorEncoding(model) },
      },
      {
        transform: [{ filter: `${probe} && datum.withinSlo === 'no'` }],
        mark: { type: 'point', size: 60, filled: false, strokeWidth: 2, fill: 'white', opacity: 1 },
        encoding: { x, y, color: colorEncoding(model) },
      },
      {
        transform: [{ filter: probe }],
        mark: { type: 'text', dx: 7, dy: -7, fontSize: 9 },
        encoding: { x, y, text: { field: 'label' }, color: colorEncoding(model) },
      },
      {
        transform: [{ filter: "datum.kind === 'knee'" }],
        mark: { type: 'rule', strokeDash: [4, 3], strokeWidth: 1.5 },
        encoding: { x: { field: 'kneeRps', type: 'quantitative' }, color: colorEncoding(model) },
      },
      {
        data: { values: [{ sloMs: slo.latencyMs, label: sloLabel }] },
        mark: { type: 'rule', color: INK, strokeWidth: 1.5 },
        encoding: { y: { field: 'sloMs', type: 'quantitative' } },
      },
      {
        data: { values: [{ sloMs: slo.latencyMs, label: sloLabel }] },
        mark: { type: 'text', color: INK, align: 'left', dx: 4, dy: -7, fontSize: 11, x: 0 },
        encoding: { y: { field: 'sloMs', type: 'quantitative' }, text: { field: 'label' } },
      },
    ],
  } as TopLevelSpec;
};
