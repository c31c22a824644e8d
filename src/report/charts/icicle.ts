/**
 * Where the CPU goes, as an icicle (a flame graph upside down, Brendan Gregg's layout): one row per
 * stack depth from the root down, each function's width its share of the profile's samples, callees
 * under their callers. The layout is computed here (`icicleLayout`); vega-lite only draws the rects.
 * One panel per configuration, from the profile view.ts picks for it (pooled runs when several).
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ProfileNode, ReportModel } from '../../model/index.js';
import { ROLES } from '../../model/index.js';
import { configLabel } from '../format.js';
import { profileOfRole } from '../view.js';
import { CONFIG, colorEncoding, title, type ChartDef } from './common.js';

export interface IcicleRect {
  name: string;
  /** Short label: the function name without its package path. */
  label: string;
  depth: number;
  /** Left and right edge as shares of all samples, 0..1. */
  x0: number;
  x1: number;
  samples: number;
}

/** Rows deeper than this are left out (the chart stays readable; the tree is pruned already). */
export const ICICLE_MAX_DEPTH = 24;

const shortName = (name: string): string => {
  const slash = name.lastIndexOf('/');
  return slash === -1 ? name : name.slice(slash + 1);
};

/** The icicle layout of a call tree: children packed left to right inside their parent. Pure. */
export const icicleLayout = (root: ProfileNode, maxDepth = ICICLE_MAX_DEPTH): IcicleRect[] => {
  const total = root.samples;
  if (!(total > 0)) return [];
  const out: IcicleRect[] = [];
  const walk = (node: ProfileNode, depth: number, x0: number): void => {
    const w = node.samples / total;
    out.push({ name: node.name, label: shortName(node.name), depth, x0, x1: x0 + w, samples: node.samples });
    if (depth + 1 >= maxDepth) return;
    let x = x0;
    for (const c of node.children) {
      walk(c, depth + 1, x);
      x += c.samples / total;
    }
  };
  walk(root, 0, 0);
  return out;
};

const WIDTH = 720;
const ROW = 16;

export const buildIcicle = (model: ReportModel): TopLevelSpec | null => {
  const panels = ROLES.flatMap((role) => {
    const p = profileOfRole(model, role);
    if (!p) return [];
    const rects = icicleLayout(p.tree).map((r) => ({ ...r, config: configLabel(model, role) }));
    return rects.length ? [{ role, p, rects }] : [];
  });
  if (panels.length === 0) return null;
  return {
    title: title('Where the CPU goes: call stacks of the CPU profile', [
      'Width = share of CPU samples with the function on the stack (callers above, callees below); hover for the full name. Stacks under 0.5 % of the samples are left out.',
    ]),
    config: CONFIG,
    vconcat: panels.map(({ role, p, rects }) => {
      const depth = Math.max(...rects.map((r) => r.depth)) + 1;
      const y = {
        field: 'depth',
        type: 'quantitative',
        scale: { domain: [depth, 0], nice: false, zero: false },
        axis: null,
      } as const;
      return {
        title: { text: `${configLabel(model, role)}: ${p.samples} samples`, fontSize: 12 },
        width: WIDTH,
        height: depth * ROW,
        data: { values: rects.map((r) => ({ ...r, depth1: r.depth + 1, wide: r.x1 - r.x0 >= 0.12 })) },
        layer: [
          {
            mark: { type: 'rect', stroke: 'white', strokeWidth: 0.5, opacity: 0.8 },
            encoding: {
              x: {
                field: 'x0',
                type: 'quantitative',
                scale: { domain: [0, 1] },
                axis: { format: '.0%', title: 'share of CPU samples (% of samples)' },
              },
              x2: { field: 'x1' },
              y,
              y2: { field: 'depth1' },
              color: colorEncoding(model),
              tooltip: [
                { field: 'name', type: 'nominal', title: 'function' },
                { field: 'samples', type: 'quantitative', title: 'samples' },
              ],
            },
          },
          {
            transform: [
              { filter: 'datum.wide' },
              { calculate: '(datum.x0 + datum.x1) / 2', as: 'mid' },
              { calculate: 'datum.depth + 0.5', as: 'row' },
            ],
            mark: { type: 'text', fontSize: 10, color: 'white', limit: 160 },
            encoding: {
              x: { field: 'mid', type: 'quantitative' },
              y: { ...y, field: 'row' },
              text: { field: 'label', type: 'nominal' },
            },
          },
        ],
      };
    }),
  } as unknown as TopLevelSpec;
};

export const icicleChart: ChartDef = {
  id: 'icicle',
  section: 'profile',
  caption: 'Icicle chart of each configuration’s CPU profile: width is the share of CPU samples',
  build: buildIcicle,
};
