import type { CanaryQueryName, CanarySpec } from '../model/index.js';

/**
 * Default PromQL templates: the reference service's own metrics, which are also client_golang's
 * conventional names (`http_request_duration_seconds` histogram by endpoint and the split label).
 * Each query returns one series per (split value, endpoint[, le]) and one point per step: the increase
 * over that step, so the windows can be summed exactly (a latency quantile per window is read from
 * the summed bucket counts, not averaged from per-step quantiles).
 */
export const DEFAULT_QUERIES: Record<CanaryQueryName, string> = {
  latencyBuckets:
    'sum by ({{split}}, {{endpoint}}, le) (increase(http_request_duration_seconds_bucket[{{step}}]))',
  latencySum: 'sum by ({{split}}, {{endpoint}}) (increase(http_request_duration_seconds_sum[{{step}}]))',
  requests: 'sum by ({{split}}, {{endpoint}}) (increase(hotswap_requests_total[{{step}}]))',
  // A healthy service never creates the server_error series (client_golang makes a labelled series on
  // its first increment), so the 5xx count is filled with zeros from every other outcome's series: the
  // query returns data whenever there is traffic, and a window without 5xx counts 0 errors, not "no data".
  errors:
    'sum by ({{split}}, {{endpoint}}) (increase(hotswap_requests_total{outcome="server_error"}[{{step}}]) or 0 * increase(hotswap_requests_total[{{step}}]))',
  fallbacks: 'sum by ({{endpoint}}) (increase(hotswap_fallbacks_total[{{step}}]))',
  breakerOpens: 'sum (increase(hotswap_breaker_transitions_total{to="open"}[{{step}}]))',
  cpuSeconds: 'sum by ({{split}}) (increase(process_cpu_seconds_total[{{step}}]))',
};

/** Queries without which there is nothing to judge: no data for them is bad input (exit 2). */
export const REQUIRED_QUERIES: readonly CanaryQueryName[] = ['latencyBuckets', 'requests'];

/**
 * CPU per request needs the arms in separate processes: with the `impl` split one process serves
 * both, so its process_cpu_seconds_total cannot be divided between them.
 */
export const cpuSeparable = (spec: CanarySpec): boolean => spec.split.label !== 'impl';

/** The queries this canary runs, rendered for its split label, endpoint label and step. */
export const renderQueries = (
  spec: CanarySpec,
  promStep: string,
): Partial<Record<CanaryQueryName, string>> => {
  const out: Partial<Record<CanaryQueryName, string>> = {};
  for (const name of Object.keys(DEFAULT_QUERIES) as CanaryQueryName[]) {
    if (name === 'cpuSeconds' && !cpuSeparable(spec)) continue;
    const template = spec.queries[name] ?? DEFAULT_QUERIES[name];
    out[name] = template
      .replaceAll('{{split}}', spec.split.label)
      .replaceAll('{{endpoint}}', spec.endpointLabel)
      .replaceAll('{{step}}', promStep);
  }
  return out;
};
