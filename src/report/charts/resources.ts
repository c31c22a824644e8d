/**
 * Resource cost per request: CPU seconds, allocated bytes, resident memory and GC pauses, per
 * configuration (bar = median across runs, dots = runs). A Rust hotspot should cut CPU and Go
 * allocations; RSS may rise with Rust's own allocator.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ReportModel, ResourceUse } from '../../model/index.js';
import { configLabel, fmtChange } from '../format.js';
import { mainPhase, median } from '../view.js';
import { CONFIG, colorEncoding, title, type ChartDef } from './common.js';

interface Panel {
  key: keyof ResourceUse;
  label: string;
  axis: string;
  scale: number;
}

const PANELS: Panel[] = [
  { key: 'cpuSecondsPerRequest', label: 'CPU', axis: 'CPU per request (ms)', scale: 1000 },
  { key: 'allocBytesPerRequest', label: 'allocations', axis: 'allocated per request (KiB)', scale: 1 / 1024 },
  { key: 'rssBytesSteady', label: 'RSS', axis: 'RSS at steady load (MiB)', scale: 1 / 1024 / 1024 },
  { key: 'gcPauseP99Ms', label: 'GC pause p99', axis: 'GC pause p99 (ms)', scale: 1 },
];

export const buildResources = (model: ReportModel): TopLevelSpec | null => {
  const phase = mainPhase(model);
  const runs = model.resources.filter((r) => r.phase === phase);
  const panels = PANELS.filter((p) => runs.some((r) => typeof r[p.key] === 'number'));
  if (panels.length === 0) return null;
  const configs = colorEncoding(model).scale.domain;
  const changes = panels.flatMap((p) => {
    const m = (role: 'baseline' | 'candidate') =>
      median(
        runs
          .filter((r) => r.role === role)
          .flatMap((r) => (typeof r[p.key] === 'number' ? [r[p.key] as number] : [])),
      );
    const a = m('baseline');
    const b = m('candidate');
    return a && b !== undefined ? [`${p.label} ${fmtChange(b / a)}`] : [];
  });
  return {
    title: title(`Resource cost, ${phase} phase: ${changes.join(', ')}`, [
      'Bar = median across runs, dots = single runs; lower is better. Allocations include the Rust side where the service counts them.',
    ]),
    config: CONFIG,
    hconcat: panels.map((p) => ({
      width: 130,
      height: 200,
      data: {
        values: runs
          .filter((r) => typeof r[p.key] === 'number')
          .map((r) => ({
            config: configLabel(model, r.role),
            runId: r.runId,
            value: (r[p.key] as number) * p.scale,
          })),
      },
      layer: [
        {
          mark: { type: 'bar', opacity: 0.55, width: 34 },
          encoding: {
            x: {
              field: 'config',
              type: 'nominal',
              sort: configs,
              title: null,
              axis: { labels: false, ticks: false },
            },
            y: { aggregate: 'median', field: 'value', type: 'quantitative', title: p.axis },
            color: colorEncoding(model),
          },
        },
        {
          mark: { type: 'point', filled: true, size: 28, opacity: 1 },
          encoding: {
            x: { field: 'config', type: 'nominal', sort: configs },
            y: { field: 'value', type: 'quantitative' },
            color: colorEncoding(model),
          },
        },
      ],
    })),
  } as TopLevelSpec;
};

export const resourcesChart: ChartDef = {
  id: 'resources',
  section: 'resources',
  caption: 'CPU time, allocations, RSS and GC pause per configuration: medians and single runs',
  build: buildResources,
};
