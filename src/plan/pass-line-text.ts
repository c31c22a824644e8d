import type { MetricName, PassLine } from '../model/index.js';

/**
 * Reads a pass line written the way people say it in a release review into the structured form the
 * analysis judges, keeping the words as `text`:
 *
 *   "CPU −30%"                 → change of cpuSecondsPerRequest, maxChange −0.30
 *   "scan p99 −20%"            → change of the p99 latency of endpoint scan, maxChange −0.20
 *   "p99 no worse"             → change of p99 latency, maxChange 0
 *   "memory flat (±5%)"        → flat rssBytesPeak, tolerance 0.05
 *   "no new error classes"     → no-new-error-classes
 *   "meets the SLO"            → slo
 *   "same output"              → same-output (also "no mismatches")
 *
 * Returns undefined for anything else; the plan then says which line it could not read.
 */

const METRIC_WORDS: [RegExp, MetricName][] = [
  [/\bcpu\b/i, 'cpuSecondsPerRequest'],
  [/\b(memory|rss)\b/i, 'rssBytesPeak'],
  [/\balloc(ations?|ated)?\b/i, 'allocBytesPerRequest'],
  [/\bgc\b/i, 'gcPauseP99Ms'],
  [/\berrors?( rate)?\b/i, 'errorRate'],
  [/\b(throughput|rps)\b/i, 'throughputRps'],
];

const percent = (s: string): number => Number(s.replace('−', '-').replace(',', '.')) / 100;

const slug = (text: string): string =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40) || 'line';

export const parsePassLineText = (text: string): PassLine | undefined => {
  const t = text.trim();
  const id = slug(t);
  if (/^no new error class(es)?$/i.test(t)) return { id, text: t, check: 'no-new-error-classes' };
  if (/^(meets? (the )?)?slo$/i.test(t)) return { id, text: t, check: 'slo' };
  if (/^(same output|no mismatch(es)?)$/i.test(t)) return { id, text: t, check: 'same-output' };
  const endpoint = /^([a-z][a-z0-9-]*)\s+p\d/i.exec(t)?.[1];
  const q = /\bp(\d+(?:\.\d+)?)\b/i.exec(t)?.[1];
  const metric: MetricName | undefined = q ? 'latencyMs' : METRIC_WORDS.find(([re]) => re.test(t))?.[1];
  if (!metric) return undefined;
  const base = {
    id,
    text: t,
    metric,
    ...(q ? { quantile: Number(`0.${q.replace('.', '')}`) } : {}),
    ...(endpoint ? { endpoint } : {}),
  };
  const flat = /\bflat\b(?:.*?±\s*(\d+(?:[.,]\d+)?)\s*%)?/i.exec(t);
  if (flat) return { ...base, check: 'flat', tolerance: flat[1] ? percent(flat[1]) : 0.05 };
  const change = /([+−-]\s*\d+(?:[.,]\d+)?)\s*%/.exec(t);
  if (change?.[1]) return { ...base, check: 'change', maxChange: percent(change[1].replace(/\s+/g, '')) };
  if (/\bno worse\b/i.test(t)) return { ...base, check: 'change', maxChange: 0 };
  return undefined;
};
