import { warning, type ResourceUse, type Warning } from '../model/index.js';

/**
 * Joins the OS sampler's figures of a run (raw/<run-id>/os.json, read by src/ingest/os.ts) with the
 * resource figures from the service's own Prometheus counters (resources.ts), so CPU per request and
 * memory exist for any service, with or without /metrics.
 *
 * - Where the service's counters give a figure it stays the run's figure (existing reports keep their
 *   numbers), and the OS figure is kept beside it; when both CPU figures exist and differ by more than
 *   `disagreeAbove` (10 %), a warning says so with both values.
 * - Where they give none (no metricsUrl, or a service without process_* metrics), the OS figure fills it.
 * - `sources` says where each figure came from.
 */

/** The fields of one os.json this needs (structurally ingest's OsRaw; analysis may not import ingest). */
export interface OsRunFigures {
  sources: { cpu: 'cgroup' | 'proc'; memory: 'cgroup' | 'proc' };
  cpuMethod: string;
  resolutionSeconds: number;
  cpuSeconds: number;
  rssBytesSteady?: number;
  rssBytesPeak?: number;
}

export type FigureSource = 'cgroup' | 'proc' | 'prometheus';

export interface ResourceSources {
  cpu?: FigureSource;
  memory?: FigureSource;
}

/** A ResourceUse with where its figures came from and both CPU figures when both exist. */
export type ResourceUseWithSources = ResourceUse & {
  sources: ResourceSources;
  /** CPU per request by source, when more than one measured it (e.g. { prometheus, cgroup }). */
  cpuSecondsPerRequestBySource?: Partial<Record<FigureSource, number>>;
};

export const CPU_DISAGREE_ABOVE = 0.1;

const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;

export const withOsFigures = (
  use: ResourceUse,
  os: OsRunFigures | undefined,
  opts: { disagreeAbove?: number } = {},
): ResourceUseWithSources => {
  const sources: ResourceSources = {};
  if (use.cpuSecondsPerRequest !== undefined) sources.cpu = 'prometheus';
  if (use.rssBytesSteady !== undefined || use.rssBytesPeak !== undefined) sources.memory = 'prometheus';
  if (!os) return { ...use, sources };
  const out: ResourceUseWithSources = { ...use, warnings: [...use.warnings], sources };
  const osCpu = use.requests > 0 ? os.cpuSeconds / use.requests : undefined;
  if (osCpu !== undefined) {
    if (use.cpuSecondsPerRequest === undefined) {
      out.cpuSecondsPerRequest = osCpu;
      sources.cpu = os.sources.cpu;
    } else {
      out.cpuSecondsPerRequestBySource = {
        prometheus: use.cpuSecondsPerRequest,
        [os.sources.cpu]: osCpu,
      };
      const diff = Math.abs(osCpu - use.cpuSecondsPerRequest) / use.cpuSecondsPerRequest;
      if (diff > (opts.disagreeAbove ?? CPU_DISAGREE_ABOVE))
        out.warnings.push(disagree(use.cpuSecondsPerRequest, osCpu, os, diff));
    }
  }
  if (sources.memory === undefined && (os.rssBytesSteady !== undefined || os.rssBytesPeak !== undefined)) {
    if (os.rssBytesSteady !== undefined) out.rssBytesSteady = os.rssBytesSteady;
    if (os.rssBytesPeak !== undefined) out.rssBytesPeak = os.rssBytesPeak;
    sources.memory = os.sources.memory;
  }
  return out;
};

const disagree = (prom: number, osCpu: number, os: OsRunFigures, diff: number): Warning =>
  warning('cpu-sources-disagree', {
    prometheusUs: prom * 1e6,
    osUs: osCpu * 1e6,
    source: os.sources.cpu,
    method: os.cpuMethod,
    apart: pct(diff),
  });
