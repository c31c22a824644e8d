import type { SampleSet } from './samples.js';

/**
 * "Responses only": a transport error (status 0: connection refused, reset, timeout) has no response,
 * and its recorded duration is how long the driver waited before giving up (often 0 ms), not a latency
 * of the service. Every latency statistic (run summaries, ladders, time series, the knee, and the
 * `stats summarize` / `stats compare` commands on driver output) takes responses only; such requests
 * still count as requests and as errors. One predicate, so the CLI and the analysis cannot disagree.
 */
export const isResponse = (samples: SampleSet, i: number): boolean => samples.status[i] !== 0;

/** Latencies of the responses among rows [0, n), in row order (transport errors left out). */
export const responseLatencies = (samples: SampleSet): Float64Array => {
  const out = new Float64Array(samples.n);
  let k = 0;
  for (let i = 0; i < samples.n; i++) if (isResponse(samples, i)) out[k++] = samples.latencyMs[i]!;
  return out.slice(0, k);
};
