import {
  warning,
  type ResourceUse,
  type RunRecord,
  type ShadowFigures,
  type Warning,
} from '../model/index.js';
import { median } from './stats/index.js';

/**
 * Resource cost of one run from the service's own Prometheus counters, scraped just before and just
 * after the run (and a few times during it, for RSS). Counters are differenced, then divided by the
 * requests the service counted over the same window (hotswap_requests_total), so the warm-up the
 * driver output leaves out does not skew the per-request figures: both sides cover the same requests.
 *
 * Metric names: the reference service's, listed in service/README.md. A service without one
 * of them gets `undefined` for the figure and one warning naming what it must expose.
 *
 * The hotspot share (hotspot seconds / process CPU seconds) is what lets a report say "CPU −28 % but
 * end-to-end −6 %": the hotspot is only part of what a request costs.
 */

/** One Prometheus sample, structurally the same as src/ingest's PromSample (analysis may not import ingest). */
export interface ScrapeSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface RunScrapes {
  before?: ScrapeSample[];
  after?: ScrapeSample[];
  /** Scrapes taken during the run, in time order. */
  during?: ScrapeSample[][];
}

export const METRIC = {
  cpu: 'process_cpu_seconds_total',
  rss: 'process_resident_memory_bytes',
  goAlloc: 'go_memstats_alloc_bytes_total',
  rustAlloc: 'hotswap_rust_alloc_bytes_total',
  gcPauses: 'go_gc_pauses_seconds',
  requests: 'hotswap_requests_total',
  hotspot: 'hotswap_hotspot_duration_seconds',
  fallbacks: 'hotswap_fallbacks_total',
  cgoCalls: 'hotswap_cgo_calls_total',
  shadow: 'hotswap_shadow_total',
  shadowSeconds: 'hotswap_shadow_seconds',
} as const;

/** Sum of every series of `name` (all label sets); undefined when the scrape has none. */
export const sumSeries = (
  samples: ScrapeSample[] | undefined,
  name: string,
  filter: (labels: Record<string, string>) => boolean = () => true,
): number | undefined => {
  if (!samples) return undefined;
  let found = false;
  let sum = 0;
  for (const s of samples) {
    if (s.name === name && filter(s.labels)) {
      found = true;
      sum += s.value;
    }
  }
  return found ? sum : undefined;
};

/**
 * after − before of a counter. A labelled counter has no series until its first increment, so a
 * counter absent before but present after started at 0. Undefined when the after scrape lacks it or it
 * went backwards (the service restarted between the scrapes).
 */
export const counterDelta = (scrapes: RunScrapes, name: string): number | undefined => {
  const b = sumSeries(scrapes.after, name);
  if (b === undefined || !scrapes.before) return undefined;
  const a = sumSeries(scrapes.before, name) ?? 0;
  return b < a ? undefined : b - a;
};

/**
 * q-quantile of the observations a Prometheus histogram gained between two scrapes, interpolating
 * linearly inside the bucket as PromQL's histogram_quantile does (Prometheus docs, "Histograms and
 * summaries"); the lower edge of the first bucket is 0. Returns 0 when the histogram gained nothing
 * (no GC cycle ran), undefined when the histogram is missing.
 */
export const histogramDeltaQuantile = (
  scrapes: RunScrapes,
  baseName: string,
  q: number,
): number | undefined => {
  const buckets = (samples: ScrapeSample[] | undefined): Map<number, number> | undefined => {
    if (!samples) return undefined;
    const m = new Map<number, number>();
    for (const s of samples) {
      if (s.name !== `${baseName}_bucket` || s.labels.le === undefined) continue;
      const le = s.labels.le === '+Inf' ? Infinity : Number(s.labels.le);
      m.set(le, (m.get(le) ?? 0) + s.value);
    }
    return m.size > 0 ? m : undefined;
  };
  const before = buckets(scrapes.before);
  const after = buckets(scrapes.after);
  if (!before || !after) return undefined;
  const edges = [...after.keys()].sort((x, y) => x - y);
  const cumulative = edges.map((le) => Math.max(0, after.get(le)! - (before.get(le) ?? 0)));
  const total = cumulative[cumulative.length - 1] ?? 0;
  if (total === 0) return 0;
  const rank = q * total;
  for (let i = 0; i < edges.length; i++) {
    if (cumulative[i]! < rank) continue;
    const upper = edges[i]!;
    const lower = i === 0 ? 0 : edges[i - 1]!;
    // Like PromQL: a quantile in the +Inf bucket is reported as the highest finite bucket bound.
    if (upper === Infinity) return lower;
    const below = i === 0 ? 0 : cumulative[i - 1]!;
    const inBucket = cumulative[i]! - below;
    return inBucket === 0 ? upper : lower + ((upper - lower) * (rank - below)) / inBucket;
  }
  return edges.length > 1 ? edges[edges.length - 2] : undefined;
};

/** Above this, hotspot seconds / CPU seconds cannot be a share of CPU: no share above 100 % reaches a report. */
export const HOTSPOT_SHARE_MAX = 1;

export interface ResourceOptions {
  /** Requests the driver recorded (after warm-up); used only when the service does not count requests. */
  driverRequests?: number;
  /** Share of the run's requests the service tagged `X-Hotspot-Impl: rust` (from the run's summary). */
  rustShare?: number;
}

/** ResourceUse of one run; every missing metric leaves its figure undefined and is named in one warning. */
export const computeResources = (
  run: RunRecord,
  scrapes: RunScrapes | undefined,
  opts: ResourceOptions = {},
): ResourceUse => {
  const s: RunScrapes = scrapes ?? {};
  const warnings: Warning[] = [];
  const missing: string[] = [];
  const delta = (name: string): number | undefined => {
    const d = counterDelta(s, name);
    if (d === undefined) missing.push(name);
    return d;
  };
  if (!s.before || !s.after) {
    return {
      runId: run.id,
      role: run.role,
      phase: run.phase,
      requests: opts.driverRequests ?? 0,
      warnings: [warning('no-scrapes', { missing: s.before ? 'after' : 'before' })],
    };
  }
  let requests = delta(METRIC.requests);
  if (requests === undefined && opts.driverRequests !== undefined) {
    requests = opts.driverRequests;
    warnings.push(warning('requests-from-driver', { requests, metric: METRIC.requests }));
  }
  const cpu = delta(METRIC.cpu);
  const goAlloc = delta(METRIC.goAlloc);
  const rustAlloc = delta(METRIC.rustAlloc);
  const hotspotSeconds = delta(`${METRIC.hotspot}_sum`);
  const fallbacks = delta(METRIC.fallbacks);
  const cgo = delta(METRIC.cgoCalls);
  const perReq = (x: number | undefined): number | undefined =>
    x === undefined || !requests ? undefined : x / requests;

  const use: ResourceUse = {
    runId: run.id,
    role: run.role,
    phase: run.phase,
    requests: requests ?? 0,
    warnings,
  };
  assign(use, 'cpuSecondsPerRequest', perReq(cpu));
  assign(use, 'goAllocBytesPerRequest', perReq(goAlloc));
  assign(use, 'rustAllocBytesPerRequest', perReq(rustAlloc));
  assign(
    use,
    'allocBytesPerRequest',
    totalAlloc(goAlloc, rustAlloc, rustServed(cgo, opts.rustShare), warnings, perReq),
  );
  Object.assign(use, rss(s, missing));
  const gc = histogramDeltaQuantile(s, METRIC.gcPauses, 0.99);
  if (gc === undefined) missing.push(METRIC.gcPauses);
  assign(use, 'gcPauseP99Ms', gc === undefined ? undefined : gc * 1000);
  assign(use, 'fallbacks', fallbacks);
  assign(use, 'cgoCallsPerRequest', perReq(cgo));
  const share = hotspotSeconds !== undefined && cpu ? hotspotSeconds / cpu : undefined;
  if (share !== undefined && share > HOTSPOT_SHARE_MAX) {
    // Hotspot timings are wall time: on an overloaded core they include waiting for the CPU, and
    // concurrent requests overlap, so their sum can exceed the CPU the process used.
    warnings.push(warning('hotspot-share-invalid', { share }));
  } else {
    assign(use, 'hotspotShare', share);
  }
  const shadow = shadowOf(s);
  if (shadow) use.shadow = shadow;
  if (missing.length > 0) {
    warnings.push(warning('missing-metrics', { metrics: [...new Set(missing)] }));
  }
  return use;
};

const rustServed = (cgoCalls: number | undefined, rustShare: number | undefined): boolean =>
  (cgoCalls ?? 0) > 0 || (rustShare ?? 0) > 0;

/**
 * Go + Rust allocations per request. A pure-Go build has no Rust counter and allocates nothing in
 * Rust, so its total is the Go figure; but when Rust served requests in this run and its counter is
 * missing, counting its allocations as 0 would flatter the candidate, so the total is left out.
 */
const totalAlloc = (
  goAlloc: number | undefined,
  rustAlloc: number | undefined,
  rustDidServe: boolean,
  warnings: Warning[],
  perReq: (x: number | undefined) => number | undefined,
): number | undefined => {
  if (goAlloc === undefined) return undefined;
  if (rustAlloc === undefined && rustDidServe) {
    warnings.push(warning('rust-alloc-missing', { metric: METRIC.rustAlloc }));
    return undefined;
  }
  return perReq(goAlloc + (rustAlloc ?? 0));
};

/** Sets an optional field only when defined (keeps report.json free of explicit nulls). */
const assign = <K extends keyof ResourceUse>(
  use: ResourceUse,
  key: K,
  value: ResourceUse[K] | undefined,
): void => {
  if (value !== undefined && Number.isFinite(value as number)) use[key] = value;
};

/** Steady RSS = median of the scrapes during the run (after, if none); peak = max of every scrape. */
const rss = (s: RunScrapes, missing: string[]): Pick<ResourceUse, 'rssBytesSteady' | 'rssBytesPeak'> => {
  const during = (s.during ?? [])
    .map((x) => sumSeries(x, METRIC.rss))
    .filter((v): v is number => v !== undefined);
  const after = sumSeries(s.after, METRIC.rss);
  const before = sumSeries(s.before, METRIC.rss);
  const all = [before, ...during, after].filter((v): v is number => v !== undefined);
  if (all.length === 0) {
    missing.push(METRIC.rss);
    return {};
  }
  const steady = during.length > 0 ? median(during) : (after ?? before!);
  return { rssBytesSteady: steady, rssBytesPeak: Math.max(...all) };
};

/** after − before of the series of `name` whose labels pass `filter` (absent before = 0). */
const filteredDelta = (
  s: RunScrapes,
  name: string,
  filter: (labels: Record<string, string>) => boolean,
): number | undefined => {
  const b = sumSeries(s.after, name, filter);
  if (b === undefined || !s.before) return undefined;
  const a = sumSeries(s.before, name, filter) ?? 0;
  return b < a ? undefined : b - a;
};

/**
 * The service's shadow comparisons over the run (GitHub Scientist's published counts and timings):
 * `hotswap_shadow_total{outcome}` and `hotswap_shadow_seconds{impl}` differenced. Undefined when the
 * service shadowed nothing in the run (shadow mode off, or no request routed to Go); not a missing
 * metric, since a service without shadow mode has nothing to expose.
 */
export const shadowOf = (s: RunScrapes): ShadowFigures | undefined => {
  const outcome = (o: string): number => filteredDelta(s, METRIC.shadow, (l) => l.outcome === o) ?? 0;
  const compared = filteredDelta(s, METRIC.shadow, () => true);
  if (!compared) return undefined;
  const mean = (impl: string): number | undefined => {
    const sum = filteredDelta(s, `${METRIC.shadowSeconds}_sum`, (l) => l.impl === impl);
    const count = filteredDelta(s, `${METRIC.shadowSeconds}_count`, (l) => l.impl === impl);
    return sum === undefined || !count ? undefined : (sum / count) * 1000;
  };
  const out: ShadowFigures = {
    compared,
    mismatches: outcome('mismatch'),
    rustErrors: outcome('rust_error'),
  };
  const go = mean('go');
  const rust = mean('rust');
  if (go !== undefined) out.goMsMean = go;
  if (rust !== undefined) out.rustMsMean = rust;
  return out;
};
