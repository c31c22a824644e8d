import type { Role, SampleSet, TimeseriesSeries } from '../model/index.js';
import { isResponse } from '../model/index.js';
import { quantile, sortedCopy } from './stats/index.js';
import { NO_IMPL } from './summarize.js';

/**
 * Latency over time per run (for the report's time chart): requests, p50, p99 and errors per bucket,
 * the share of requests Rust served when the rows carry the implementation, and the moments the
 * serving implementation flipped (the rollback drill): a flip is a change of the bucket's majority
 * implementation. Buckets are 1 s, widened so a run has at most MAX_POINTS of them.
 */
export const MAX_POINTS = 120;

export const buildTimeseries = (
  run: { id: string; role: Role; phase: string },
  samples: SampleSet,
): TimeseriesSeries => {
  let t0 = Infinity;
  let t1 = -Infinity;
  for (let i = 0; i < samples.n; i++) {
    t0 = Math.min(t0, samples.timestampMs[i]!);
    t1 = Math.max(t1, samples.timestampMs[i]!);
  }
  const span = samples.n > 0 ? (t1 - t0) / 1000 : 0;
  const bucketSeconds = Math.max(1, Math.ceil(span / MAX_POINTS));
  const count = samples.n > 0 ? Math.floor(span / bucketSeconds) + 1 : 0;
  const buckets = Array.from({ length: count }, () => ({
    lat: [] as number[],
    n: 0,
    errors: 0,
    impl: new Map<string, number>(),
  }));
  for (let i = 0; i < samples.n; i++) {
    const b = buckets[Math.floor((samples.timestampMs[i]! - t0) / 1000 / bucketSeconds)]!;
    b.n++;
    if (samples.failed[i]) b.errors++;
    if (isResponse(samples, i)) b.lat.push(samples.latencyMs[i]!);
    const k = samples.impl[i]!;
    if (k !== NO_IMPL) {
      const name = samples.impls[k] ?? '?';
      b.impl.set(name, (b.impl.get(name) ?? 0) + 1);
    }
  }
  const flips: TimeseriesSeries['flips'] = [];
  let lastMajority: string | undefined;
  const points = buckets.map((b, idx) => {
    const sorted = sortedCopy(b.lat);
    const tSeconds = idx * bucketSeconds;
    const point: TimeseriesSeries['points'][number] = {
      tSeconds,
      requests: b.n,
      p50Ms: quantile(sorted, 0.5),
      p99Ms: quantile(sorted, 0.99),
      errors: b.errors,
    };
    const tagged = [...b.impl.values()].reduce((s, x) => s + x, 0);
    if (tagged > 0) {
      point.rustShare = (b.impl.get('rust') ?? 0) / tagged;
      const majority = [...b.impl.entries()].sort((x, y) => y[1] - x[1])[0]![0];
      if (lastMajority !== undefined && majority !== lastMajority)
        flips.push({ tSeconds, from: lastMajority, to: majority });
      lastMajority = majority;
    }
    return point;
  });
  return { runId: run.id, role: run.role, phase: run.phase, bucketSeconds, points, flips };
};
