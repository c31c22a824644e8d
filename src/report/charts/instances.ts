/**
 * Instances at peak: the fleet each configuration needs for the plan's peak load, split into the
 * instances that carry the peak and the redundancy on top (N+1, N+2), labelled with the monthly cost.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ReportModel } from '../../model/index.js';
import { ROLES } from '../../model/index.js';
import { configLabel, fmtInt, fmtMoney } from '../format.js';
import { CONFIG, colorEncoding, title, type ChartDef } from './common.js';

export const buildInstances = (model: ReportModel): TopLevelSpec | null => {
  const cap = model.plan.capacity;
  const rows = ROLES.flatMap((role) => {
    const c = model.capacity[role];
    if (c.instances === undefined || c.instancesForPeak === undefined) return [];
    const config = configLabel(model, role);
    const cost = c.costPerMonth === undefined ? '' : ` · ${fmtMoney(c.costPerMonth, cap.currency)}/month`;
    return [
      { config, part: 'carry the peak', order: 0, instances: c.instancesForPeak, total: c.instances },
      {
        config,
        part: `redundancy (N+${cap.redundancy})`,
        order: 1,
        instances: c.instances - c.instancesForPeak,
        total: c.instances,
      },
    ].map((r) => ({ ...r, label: `${c.instances} instances${cost}` }));
  });
  if (rows.length === 0) return null;
  const s = model.capacity.savings;
  const saving = s
    ? `${model.capacity.baseline.instances} → ${model.capacity.candidate.instances} instances, ${s.moneyPerMonth >= 0 ? 'saving' : 'costing'} ${fmtMoney(Math.abs(s.moneyPerMonth), s.currency)} per month`
    : 'savings not computed';
  const configs = colorEncoding(model).scale.domain;
  return {
    title: title(`Instances needed at ${fmtInt(cap.peakRps)} requests/s peak`, [
      `${saving}. Pale part = redundancy kept for failures.`,
      `${cap.coresPerInstance} cores per instance at ${Math.round(cap.targetUtilisation * 100)} % target CPU, ${fmtMoney(cap.costPerInstanceHour * 730, cap.currency)} per instance-month (730 h).`,
    ]),
    config: CONFIG,
    width: 520,
    height: 45 * configs.length + 30,
    data: { values: rows },
    layer: [
      {
        mark: { type: 'bar', height: 28, stroke: 'white', strokeWidth: 1 },
        encoding: {
          y: { field: 'config', type: 'nominal', sort: configs, title: null, axis: { labelLimit: 260 } },
          x: {
            field: 'instances',
            type: 'quantitative',
            stack: 'zero',
            title: 'instances',
            axis: { tickMinStep: 1, format: 'd' },
          },
          color: colorEncoding(model),
          opacity: {
            field: 'part',
            type: 'ordinal',
            sort: { field: 'order' },
            scale: { range: [1, 0.4] },
            legend: null,
          },
          order: { field: 'order', type: 'quantitative' },
        },
      },
      {
        transform: [{ filter: 'datum.order === 1' }],
        mark: { type: 'text', align: 'left', dx: 6, fontSize: 12, color: '#222222' },
        encoding: {
          y: { field: 'config', type: 'nominal', sort: configs },
          x: { field: 'total', type: 'quantitative' },
          text: { field: 'label' },
        },
      },
    ],
  } as TopLevelSpec;
};

export const instancesChart: ChartDef = {
  id: 'instances',
  section: 'capacity',
  caption: 'Instances needed at peak per configuration, with redundancy and monthly cost',
  build: buildInstances,
};
