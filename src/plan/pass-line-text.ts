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
 *   "breaker trips within 5 s" → breaker-trips-within, seconds 5
 *   "rollback within 1 s"      → rollback-within, seconds 1 (also "within 800 ms")
 *   "no failed requests during the drill" → no-failed-requests
 *   "pays back within 6 months" → payback, months 6
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

const NUMBER = String.raw`(\d+(?:[.,]\d+)?)`;
const SECONDS = new RegExp(String.raw`\bwithin\s+${NUMBER}\s*(ms|milliseconds?|s|secs?|seconds?)$`, 'i');

/** "within 5 s" / "within 800 ms" at the end of `t`, in seconds. */
const withinSeconds = (t: string): number | undefined => {
  const m = SECONDS.exec(t);
  if (!m?.[1] || !m[2]) return undefined;
  const x = Number(m[1].replace(',', '.'));
  return /^m/i.test(m[2]) ? x / 1000 : x;
};

/** The drill and bet sentences (issue 12), or undefined. */
const drillOrBetLine = (t: string, id: string): PassLine | undefined => {
  if (/^no failed requests( (during|in) the drills?)?$/i.test(t))
    return { id, text: t, check: 'no-failed-requests' };
  const seconds = withinSeconds(t);
  if (seconds !== undefined && seconds > 0) {
    if (/^(the )?breaker (trips|opens) within\b/i.test(t))
      return { id, text: t, check: 'breaker-trips-within', seconds };
    if (/^(the )?rollback (takes effect )?within\b/i.test(t))
      return { id, text: t, check: 'rollback-within', seconds };
  }
  const months = new RegExp(String.raw`^(?:it )?pays? back (?:within|in) ${NUMBER} months?$`, 'i').exec(
    t,
  )?.[1];
  if (months && Number(months.replace(',', '.')) > 0)
    return { id, text: t, check: 'payback', months: Number(months.replace(',', '.')) };
  return undefined;
};

export const parsePassLineText = (text: string): PassLine | undefined => {
  const t = text.trim();
  const id = slug(t);
  if (/^no new error class(es)?$/i.test(t)) return { id, text: t, check: 'no-new-error-classes' };
  if (/^(meets? (the )?)?slo$/i.test(t)) return { id, text: t, check: 'slo' };
  if (/^(same output|no mismatch(es)?)$/i.test(t)) return { id, text: t, check: 'same-output' };
  const drill = drillOrBetLine(t, id);
  if (drill) return drill;
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
