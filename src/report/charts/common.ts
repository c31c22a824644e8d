/**
 * What every chart shares: the colour of each configuration (the same in every chart), the look,
 * and the chart definition type the registry lists.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ReportModel, Role } from '../../model/index.js';
import { configLabel } from '../format.js';

/**
 * Okabe & Ito's colour-blind-safe palette (Color Universal Design, 2008): blue for the baseline and
 * vermillion for the candidate stay distinct under protanopia, deuteranopia and tritanopia, and in
 * grey-scale print (different lightness).
 */
export const ROLE_COLORS: Record<Role, string> = { baseline: '#0072B2', candidate: '#D55E00' };
/** Neutral ink for marks that belong to no configuration (ratios, rules). */
export const INK = '#333333';
export const MUTED = '#888888';

/** The colour encoding every per-configuration chart uses: field `config` holds configLabel(). */
export const colorEncoding = (model: ReportModel) =>
  ({
    field: 'config',
    type: 'nominal',
    title: 'configuration',
    scale: {
      domain: [configLabel(model, 'baseline'), configLabel(model, 'candidate')],
      range: [ROLE_COLORS.baseline, ROLE_COLORS.candidate],
    },
    legend: {
      orient: 'top',
      title: null,
      labelFontSize: 12,
      labelLimit: 400,
      symbolStrokeWidth: 3,
      symbolOpacity: 1,
    },
  }) as const;

/** Shared look: system fonts (nothing fetched), left-aligned titles with a subtitle that says what to read. */
export const CONFIG = {
  font: 'system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif',
  view: { stroke: '#dddddd' },
  axis: {
    labelFontSize: 11,
    titleFontSize: 12,
    titleFontWeight: 'normal',
    gridColor: '#eeeeee',
    labelLimit: 320,
  },
  header: { labelFontSize: 12, titleFontSize: 12 },
  title: { anchor: 'start', fontSize: 15, subtitleFontSize: 12, subtitleColor: '#444444', offset: 12 },
  legend: { labelFontSize: 12, labelLimit: 400 },
} as const;

export interface ChartDef {
  /** Stable id, used as the HTML anchor and the embedded data's id. */
  id: string;
  /** The report section the chart belongs to. */
  section: 'tail' | 'significance' | 'capacity' | 'resources' | 'canary' | 'profile';
  /** Caption for the figure, also the alt text of the SVG. */
  caption: string;
  /** Pure: the spec, or null when the model has no data for this chart (the report says so). */
  build: (model: ReportModel) => TopLevelSpec | null;
}

/** A chart title: `text` says what the chart shows, `subtitle` what to look at. */
export const title = (text: string, subtitle: string | string[]) => ({ text, subtitle });

/** Vega label expression turning 1/(1−p) back into a percentile name: 100 → "p99", 1000 → "p99.9". */
export const INVERSE_TAIL_LABEL = "'p' + format(100 - 100 / datum.value, '.4~f')";
