import { warning, type ResourceSource, type ResourceUse, type Warning } from '../model/index.js';

/**
 * Joins the OS sampler's figures of a run (raw/<run-id>/os.json, read by src/ingest/os.ts) with the
 * resource figures from the service's own Prometheus counters (resources.ts), so CPU per request and
 * memory exist for any service, with or without /metrics.
 *
 * - CPU: when the OS counted at a fine resolution (cgroup cpuacct in ns, cgroup v2 usage_usec in µs,
 *   /proc schedstat in ns), its figure is the run's `cpuSecondsPerRequest`, the one the run-level CPU
 *   comparison and the CPU pass lines use: process_cpu_seconds_total ticks at 10 ms, which quantises a
 *   short run by several per cent and ties runs in the rank test. A 10 ms OS counter (/proc/<pid>/stat)
 *   never displaces a Prometheus figure. Both figures are kept in `cpuSecondsPerRequestBySource`; when
 *   they differ by more than `disagreeAbove` (10 %), a warning says so with both values.
 * - Memory: where the service's counters give a figure it stays the run's figure (its own RSS gauge).
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

export type FigureSource = ResourceSource;

export type ResourceSources = NonNullable<ResourceUse['sources']>;

/** A ResourceUse with where its figures came from and both CPU figures when both exist. */
export type ResourceUseWithSources = ResourceUse & { sources: ResourceSources };

export const CPU_DISAGREE_ABOVE = 0.1;

/** OS counters finer than this (ns, µs) beat process_cpu_seconds_total's 10 ms ticks. */
export const FINE_CPU_RESOLUTION_SECONDS = 1e-3;

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
      if (os.resolutionSeconds < FINE_CPU_RESOLUTION_SECONDS) {
        out.cpuSecondsPerRequest = osCpu;
        sources.cpu = os.sources.cpu;
      }
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
  // "No resource figures" is no longer true once the OS gave them: say what is there and what is not.
  if (sources.cpu !== 'prometheus' && sources.memory !== 'prometheus' && (sources.cpu || sources.memory)) {
    const i = out.warnings.findIndex((w) => w.code === 'no-scrapes');
    if (i >= 0)
      out.warnings.splice(
        i,
        1,
        warning('os-figures-only', {
          ...(sources.cpu ? { cpu: sources.cpu } : {}),
          ...(sources.memory ? { memory: sources.memory } : {}),
        }),
      );
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
