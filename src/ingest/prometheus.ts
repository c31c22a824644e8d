import { readFile } from 'node:fs/promises';
import { InputError, atLine } from '../model/index.js';
import { cannotRead } from './lines.js';

/**
 * Prometheus text exposition format (version 0.0.4, what Go's client_golang serves on /metrics):
 * https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format
 *
 *   # HELP name text        # TYPE name counter|gauge|histogram|summary|untyped
 *   name{label="value",…} value [timestamp_ms]
 *
 * Why hand-written: the npm parser that fits the job by name, parse-prometheus-text-format 1.1.1 (last
 * release 2019), was tried on a Go-style scrape and dropped the labels and the _sum/_count of labelled
 * histogram series, and accepted `bar garbage` as a sample with value "garbage" without a word. The
 * format is small and fully specified; this parser checks every line and names file:line when one is
 * bad, as every other hotswap reader does. Samples stay flat (histogram buckets are `name_bucket`
 * samples with an `le` label), which is what sumMetric and histogramQuantile need.
 */
export interface PromSample {
  name: string;
  labels: Record<string, string>;
  value: number;
  /** Optional sample timestamp, milliseconds since the epoch (rare in scrapes). */
  timestampMs?: number;
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;

/** Go's strconv.ParseFloat as the format allows it: decimals, exponents, NaN, ±Inf. */
export const parsePromValue = (text: string): number => {
  switch (text) {
    case 'NaN':
      return Number.NaN;
    case '+Inf':
    case 'Inf':
      return Number.POSITIVE_INFINITY;
    case '-Inf':
      return Number.NEGATIVE_INFINITY;
    default:
      return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text) || /^[+-]?0[xX][0-9a-fA-F]+$/.test(text)
        ? Number(text)
        : Number.NaN;
  }
};

const isValue = (text: string): boolean => text === 'NaN' || !Number.isNaN(parsePromValue(text));

/** Parses `{a="x",b="y\"z"}` starting at `line[i] === '{'`; returns the labels and the index after `}`. */
const parseLabels = (
  line: string,
  i: number,
  fail: (m: string) => never,
): [Record<string, string>, number] => {
  const labels: Record<string, string> = {};
  i++;
  for (;;) {
    while (line[i] === ' ' || line[i] === '\t') i++;
    if (line[i] === '}') return [labels, i + 1];
    const m = LABEL_NAME.exec(line.slice(i));
    if (!m) fail(`bad label name at column ${i + 1}`);
    const name = m[0];
    i += name.length;
    while (line[i] === ' ') i++;
    if (line[i] !== '=' || line[i + 1] !== '"') fail(`expected ="…" after label ${name}`);
    i += 2;
    let value = '';
    for (;;) {
      const c = line[i];
      if (c === undefined) fail(`unterminated value of label ${name}`);
      if (c === '"') break;
      if (c === '\\') {
        const e = line[i + 1];
        if (e === 'n') value += '\n';
        else if (e === '\\' || e === '"') value += e;
        else fail(`bad escape \\${e ?? ''} in label ${name}`);
        i += 2;
      } else {
        value += c;
        i++;
      }
    }
    labels[name] = value;
    i++;
    while (line[i] === ' ') i++;
    if (line[i] === ',') i++;
    else if (line[i] !== '}') fail(`expected , or } after label ${name}`);
  }
};

/** Parses a whole scrape. `file` only names the source in error messages. */
export const readPrometheusText = (text: string, file = '<prometheus text>'): PromSample[] => {
  const samples: PromSample[] = [];
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = (lines[n] ?? '').replace(/\r$/, '');
    const fail = (message: string): never => {
      throw new InputError(atLine(file, n + 1, message));
    };
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const m = NAME.exec(trimmed);
    if (!m) fail('not a Prometheus sample line (no metric name)');
    let i = m![0].length;
    let labels: Record<string, string> = {};
    if (trimmed[i] === '{') [labels, i] = parseLabels(trimmed, i, fail);
    const rest = trimmed
      .slice(i)
      .trim()
      .split(/[ \t]+/);
    if (rest.length < 1 || rest.length > 2 || rest[0] === '')
      fail('expected a value (and optional timestamp)');
    const valueText = rest[0] ?? '';
    if (!isValue(valueText)) fail(`non-numeric value "${valueText}"`);
    const sample: PromSample = { name: m![0], labels, value: parsePromValue(valueText) };
    if (rest[1] !== undefined) {
      const ts = Number(rest[1]);
      if (!Number.isInteger(ts)) fail(`bad timestamp "${rest[1]}"`);
      sample.timestampMs = ts;
    }
    samples.push(sample);
  }
  return samples;
};

/** Reads and parses one scrape file (scrapes are small: read whole). */
export const parsePrometheusFile = async (path: string): Promise<PromSample[]> => {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw cannotRead(path, err);
  }
  return readPrometheusText(text, path);
};

const matches = (labels: Record<string, string>, filter?: Record<string, string>): boolean => {
  if (!filter) return true;
  for (const [k, v] of Object.entries(filter)) if ((labels[k] ?? '') !== v) return false;
  return true;
};

/**
 * Sum of the values of every series named `name` whose labels include `labelFilter` (exact values; a
 * filter value '' matches a missing label, as in PromQL). NaN when no series matches, so a missing
 * counter shows as missing instead of as zero.
 */
export const sumMetric = (
  samples: PromSample[],
  name: string,
  labelFilter?: Record<string, string>,
): number => {
  let sum = 0;
  let found = false;
  for (const s of samples) {
    if (s.name !== name || !matches(s.labels, labelFilter)) continue;
    sum += s.value;
    found = true;
  }
  return found ? sum : Number.NaN;
};

/**
 * The q-quantile of a Prometheus histogram, as PromQL's
 * `histogram_quantile(q, sum by (le) (baseName_bucket{labelFilter}))` computes it (bucketQuantile in
 * prometheus/promql/quantile.go): buckets of matching series are summed per `le`, made monotonic, and
 * the quantile is interpolated linearly inside the bucket holding rank q·count; the +Inf bucket returns
 * the highest finite bound; the lowest bucket starts at 0 (when its bound is positive).
 * NaN without buckets, without a +Inf bucket or without observations; −Inf/+Inf for q < 0 / q > 1.
 */
export const histogramQuantile = (
  samples: PromSample[],
  baseName: string,
  q: number,
  labelFilter?: Record<string, string>,
): number => {
  if (q < 0) return Number.NEGATIVE_INFINITY;
  if (q > 1) return Number.POSITIVE_INFINITY;
  const byLe = new Map<number, number>();
  for (const s of samples) {
    if (s.name !== `${baseName}_bucket` || !matches(s.labels, labelFilter)) continue;
    const le = parsePromValue(s.labels.le ?? 'NaN');
    if (Number.isNaN(le)) continue;
    byLe.set(le, (byLe.get(le) ?? 0) + s.value);
  }
  const buckets = [...byLe.entries()]
    .map(([upper, count]) => ({ upper, count }))
    .sort((a, b) => a.upper - b.upper);
  if (buckets.length < 2 || buckets[buckets.length - 1]?.upper !== Number.POSITIVE_INFINITY)
    return Number.NaN;
  for (let i = 1; i < buckets.length; i++) {
    const prev = buckets[i - 1]!;
    const cur = buckets[i]!;
    if (cur.count < prev.count) cur.count = prev.count;
  }
  const total = buckets[buckets.length - 1]!.count;
  if (total === 0) return Number.NaN;
  let rank = q * total;
  let b = buckets.findIndex((x) => x.count >= rank);
  if (b === -1) b = buckets.length - 1;
  if (b === buckets.length - 1) return buckets[buckets.length - 2]!.upper;
  const bucket = buckets[b]!;
  if (b === 0 && bucket.upper <= 0) return bucket.upper;
  let start = 0;
  let count = bucket.count;
  if (b > 0) {
    const prev = buckets[b - 1]!;
    start = prev.upper;
    count -= prev.count;
    rank -= prev.count;
  }
  return start + (bucket.upper - start) * (rank / count);
};
