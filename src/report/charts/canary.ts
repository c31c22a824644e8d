/**
 * The live rollout as it went (a canary's report only): the share of requests on each arm per step,
 * stacked, and below it one bar per window coloured by that window's judgement of the timeline's
 * latency figure (better / same / worse than the baseline, or left out). A rollout whose share moved
 * during the window, or whose worse windows bunch at one time of day, shows here.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { CanaryReport, ReportModel } from '../../model/index.js';
import { configLabel, fmtShare } from '../format.js';
import { CONFIG, MUTED, colorEncoding, title, type ChartDef } from './common.js';

/** Steps drawn at most: 14 days at a 5-minute step is 4032 points, averaged down to this many. */
export const MAX_SHARE_POINTS = 300;

type SharePoint = CanaryReport['shareOverTime'][number];

/** Averages consecutive steps (weighted by requests) so the series has at most `max` points. */
export const thinShare = (points: readonly SharePoint[], max = MAX_SHARE_POINTS): SharePoint[] => {
  const k = Math.max(1, Math.ceil(points.length / max));
  if (k === 1) return [...points];
  const out: SharePoint[] = [];
  for (let i = 0; i < points.length; i += k) {
    const group = points.slice(i, i + k);
    const requests = group.reduce((a, p) => a + p.requests, 0);
    const cand = group.reduce((a, p) => a + p.candidateShare * p.requests, 0);
    out.push({ t: group[0]!.t, candidateShare: requests > 0 ? cand / requests : 0, requests });
  }
  return out;
};

export const JUDGEMENT_COLORS = {
  better: '#009E73',
  'within the cut': '#999999',
  worse: '#CC79A7',
  'left out': '#eeeeee',
} as const;

const judgementOf = (w: CanaryReport['windows'][number]): keyof typeof JUDGEMENT_COLORS =>
  !w.used || !w.judgement ? 'left out' : w.judgement === 'same' ? 'within the cut' : w.judgement;

export const buildCanary = (model: ReportModel): TopLevelSpec | null => {
  const c = model.canary;
  if (!c || c.shareOverTime.length === 0) return null;
  const points = thinShare(c.shareOverTime.filter((p) => p.requests > 0));
  if (points.length === 0) return null;
  const base = configLabel(model, 'baseline');
  const cand = configLabel(model, 'candidate');
  const share = points.flatMap((p) => [
    { kind: 'share', t: p.t, config: base, order: 0, sharePct: (1 - p.candidateShare) * 100 },
    { kind: 'share', t: p.t, config: cand, order: 1, sharePct: p.candidateShare * 100 },
  ]);
  const windows = c.windows.map((w) => ({
    kind: 'window',
    start: w.start,
    end: w.end,
    judgement: judgementOf(w),
    ratio: w.judgedRatio,
  }));
  const used = c.windows.filter((w) => w.used);
  const meanShare = used.length
    ? used.reduce((a, w) => a + w.candidateShare, 0) / used.length
    : points.reduce((a, p) => a + p.candidateShare, 0) / points.length;
  const counts = (j: string) => windows.filter((w) => w.judgement === j).length;
  const judgedRule = c.stopRule[0]?.text;
  const x = {
    field: 't',
    type: 'temporal',
    title: 'time (UTC)',
    scale: { type: 'utc' },
  } as const;
  return {
    title: title(`Share of requests on ${cand}, and the judgement per window`, [
      `Top: the share of requests each arm served per step (${cand} ${fmtShare(meanShare)} on average over the windows used).`,
      `Bottom: one bar per window (${c.unitSeconds} s each), coloured by how ${cand} compared with ${base}${judgedRule ? ` on "${judgedRule}"` : ''}:`,
      `${counts('better')} better, ${counts('within the cut')} within the cut, ${counts('worse')} worse, ${counts('left out')} left out.`,
    ]),
    config: CONFIG,
    vconcat: [
      {
        width: 720,
        height: 150,
        data: { values: share },
        mark: { type: 'area', opacity: 0.85, interpolate: 'step-after' },
        encoding: {
          x: { ...x, title: null },
          y: {
            field: 'sharePct',
            type: 'quantitative',
            stack: 'zero',
            title: 'share of requests (%)',
            scale: { domain: [0, 100] },
          },
          order: { field: 'order', type: 'quantitative' },
          color: colorEncoding(model),
        },
      },
      {
        width: 720,
        height: 36,
        data: { values: windows },
        mark: { type: 'rect', stroke: 'white', strokeWidth: 0.5 },
        encoding: {
          x: { ...x, field: 'start' },
          x2: { field: 'end' },
          color: {
            field: 'judgement',
            type: 'nominal',
            title: 'window',
            scale: {
              domain: Object.keys(JUDGEMENT_COLORS),
              range: Object.values(JUDGEMENT_COLORS),
            },
            legend: { orient: 'bottom', title: null, labelColor: MUTED },
          },
          tooltip: [
            { field: 'start', type: 'temporal', title: 'window start', format: '%Y-%m-%d %H:%M:%S' },
            { field: 'judgement', type: 'nominal' },
            { field: 'ratio', type: 'quantitative', title: 'ratio candidate ÷ baseline', format: '.3f' },
          ],
        },
      },
    ],
    resolve: { scale: { color: 'independent' } },
  } as TopLevelSpec;
};

export const canaryChart: ChartDef = {
  id: 'canary',
  section: 'canary',
  caption: 'Share of requests on each arm over the rollout, and the judgement of every window',
  build: buildCanary,
};
