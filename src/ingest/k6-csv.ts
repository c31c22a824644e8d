import { InputError, atLine, excerpt, warning, type Warning } from '../model/index.js';
import type { IngestReader } from './readers.js';
import { isControlRequest, type SampleBuilder } from './builder.js';
import { forEachLine } from './lines.js';
import { parseK6Time } from './time.js';
import { endpointOf } from '../corpus/format.js';

/**
 * The endpoint of one k6 request: hotswap's own `endpoint` tag, else k6's `name` tag when a script set
 * one (k6's URL-grouping convention; k6 defaults `name` to the URL itself), else the URL's path with ids
 * collapsed (`endpointOf`, the corpus's rule), else `(none)`.
 */
export const requestEndpointOf = (endpoint?: string, name?: string, url?: string): string => {
  if (endpoint) return endpoint;
  if (name && name !== url) return name;
  if (url) return endpointOf(pathOfUrl(url));
  return name || '(none)';
};

const pathOfUrl = (url: string): string => {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
};

/**
 * Streaming reader of k6's CSV output (`k6 run --out csv=FILE[.gz]`).
 *
 * What k6 v2.2.0 (.tools/bin/k6) actually writes, observed on the fixtures (scripts/make-fixtures.sh):
 *
 *   metric_name,timestamp,metric_value,check,error,error_code,expected_response,group,method,name,proto,
 *   scenario,service,status,subproto,tls_version,url,extra_tags,metadata
 *
 * - 13 lines per HTTP request and iteration: http_reqs, http_req_duration, http_req_blocked,
 *   http_req_connecting, http_req_tls_handshaking, http_req_sending, http_req_waiting,
 *   http_req_receiving, http_req_failed (these 9 share one timestamp: the time the response ended, not
 *   when the request started: a 24 ms request's custom samples come 0.2 ms after it), then per iteration
 *   data_sent, data_received, iteration_duration, iterations (no request tags), plus the scenario's own
 *   metrics (`hotspot_ms`, `impl_served`) in between.
 * - `timestamp` follows K6_CSV_TIME_FORMAT (unix_micro: 16 digits of µs); see time.ts.
 * - `metric_value` is printed with 6 decimals ("24.234075"); http_req_failed is 0.000000 / 1.000000.
 * - `expected_response` is "true"/"false" on every http_req_* line (the response callback's verdict,
 *   the very thing http_req_failed counts); it is empty when the script disabled the callback, and then
 *   the status decides (failed when 0 or outside 200–399, k6's default expected statuses).
 * - `status` is "0" and `error_code` is set (e.g. 1211 timeout, 1000 generic) for transport errors.
 * - Custom tags land in `extra_tags` as `k=v&k=v` in map order (so "impl=go&endpoint=scan" and
 *   "endpoint=scan&impl=go" both occur); VU metadata lands in `metadata` the same way ("rid=1-0").
 * - `dropped_iterations` lines carry only `scenario` and value 1 each.
 * - Paced arrivals (scenarios/lib/paced.ts, Poisson and replay) add one `start_lateness_ms` line per
 *   arrival, stamped at its start, tags `scenario` only: "start_lateness_ms,1796127601382712,0.120361,,…".
 * - Fields with a comma or quote are quoted by Go's encoding/csv; such lines take the slow path below.
 *
 * Only http_req_duration lines (one of 13; with start_lateness_ms two of 14) are decoded into strings; the others are recognised from
 * their first bytes and checked only for a comma after the metric name. That is what makes the CSV path
 * close to the speed of gunzip itself (bench/ingest.ts).
 */

export const K6_CSV_REQUIRED = ['metric_name', 'timestamp', 'metric_value'] as const;

const ascii = (s: string): Buffer => Buffer.from(s, 'latin1');
const DURATION = ascii('http_req_duration,');
const HOTSPOT = ascii('hotspot_ms,');
const SERVED = ascii('impl_served,');
const DROPPED = ascii('dropped_iterations,');
const DIGEST = ascii('response_digest,');
const TIMING = ascii('server_timing_ms,');
const LATENESS = ascii('start_lateness_ms,');

/** Byte-wise prefix test in plain JS: Buffer.compare with offsets costs more in argument checks than it saves. */
export const startsWith = (buf: Buffer, start: number, end: number, prefix: Buffer): boolean => {
  if (end - start < prefix.length) return false;
  for (let k = prefix.length - 1; k >= 0; k--) if (buf[start + k] !== prefix[k]) return false;
  return true;
};

const H = 0x68; // h: http_req_*, hotspot_ms
const I = 0x69; // i: impl_served, iteration*
const D = 0x64; // d: dropped_iterations, data_*
const R = 0x72; // r: response_digest
const S = 0x73; // s: server_timing_ms, start_lateness_ms

/** Which of the wanted metrics a line starts with, from its first bytes; most lines are rejected at once. */
const WANT_NONE = 0;
const WANT_DURATION = 1;
const WANT_SERVED = 2;
const WANT_HOTSPOT = 3;
const WANT_DROPPED = 4;
const WANT_DIGEST = 5;
const WANT_TIMING = 6;
const WANT_LATENESS = 7;
const classify = (buf: Buffer, start: number, end: number): number => {
  const b0 = buf[start];
  if (b0 === H) {
    // http_req_duration is the only http_req_* with "du" at offset 9; hotspot_ms has "o" at 1.
    if (buf[start + 9] === 0x64 && buf[start + 10] === 0x75) {
      return startsWith(buf, start, end, DURATION) ? WANT_DURATION : WANT_NONE;
    }
    return buf[start + 1] === 0x6f && startsWith(buf, start, end, HOTSPOT) ? WANT_HOTSPOT : WANT_NONE;
  }
  if (b0 === I)
    return buf[start + 1] === 0x6d && startsWith(buf, start, end, SERVED) ? WANT_SERVED : WANT_NONE;
  if (b0 === D)
    return buf[start + 1] === 0x72 && startsWith(buf, start, end, DROPPED) ? WANT_DROPPED : WANT_NONE;
  if (b0 === R) return startsWith(buf, start, end, DIGEST) ? WANT_DIGEST : WANT_NONE;
  if (b0 === S) {
    if (buf[start + 1] === 0x74) return startsWith(buf, start, end, LATENESS) ? WANT_LATENESS : WANT_NONE;
    return startsWith(buf, start, end, TIMING) ? WANT_TIMING : WANT_NONE;
  }
  return WANT_NONE;
};

interface Columns {
  count: number;
  timestamp: number;
  value: number;
  status: number;
  expected: number;
  errorCode: number;
  name: number;
  url: number;
  extraTags: number;
  metadata: number;
}

const mapHeader = (fields: string[], file: string): Columns => {
  const at = (name: string): number => fields.indexOf(name);
  for (const name of K6_CSV_REQUIRED) {
    if (at(name) === -1) throw new InputError(atLine(file, 1, `not a k6 CSV header: no "${name}" column`));
  }
  return {
    count: fields.length,
    timestamp: at('timestamp'),
    value: at('metric_value'),
    status: at('status'),
    expected: at('expected_response'),
    errorCode: at('error_code'),
    name: at('name'),
    url: at('url'),
    extraTags: at('extra_tags'),
    metadata: at('metadata'),
  };
};

/** One CSV record (RFC 4180 quoting, as Go's encoding/csv writes it). Fast path when nothing is quoted. */
export const splitCsvLine = (line: string): string[] | null => {
  if (!line.includes('"')) return line.split(',');
  const out: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q === -1) return null;
        value += line.slice(i, q);
        if (line[q + 1] === '"') {
          value += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      out.push(value);
      if (i < line.length && line[i] !== ',') return null;
      i++;
    } else {
      const c = line.indexOf(',', i);
      const end = c === -1 ? line.length : c;
      out.push(line.slice(i, end));
      i = end + 1;
    }
  }
  return out;
};

/** Parsed `k=v&k=v` strings, cached: a run has few distinct tag sets. */
const tagCache = new Map<string, Record<string, string>>();
export const parseKv = (text: string): Record<string, string> => {
  if (text === '') return {};
  const cached = tagCache.get(text);
  if (cached) return cached;
  const out: Record<string, string> = {};
  for (const pair of text.split('&')) {
    const eq = pair.indexOf('=');
    if (eq > 0) out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  if (tagCache.size > 10_000) tagCache.clear();
  tagCache.set(text, out);
  return out;
};

/** The `key` entry of a metadata field (`rid=1-0&digest=…`): unique per request, so not worth caching. */
export const metadataEntry = (text: string, key: string): string | undefined => {
  if (text === '') return undefined;
  const head = `${key}=`;
  const at = text.startsWith(head) ? 0 : text.indexOf(`&${head}`) + 1;
  if (at === 0 && !text.startsWith(head)) return undefined;
  const end = text.indexOf('&', at);
  return text.slice(at + head.length, end === -1 ? text.length : end);
};

/** The `rid` entry of a metadata field (`rid=1-0&trace=…`). */
export const ridFromMetadata = (text: string): string | undefined => metadataEntry(text, 'rid');

/** `200:0123abcd…` (the scenario's `digest` metadata) → status and digest; undefined when malformed. */
export const parseDigest = (text: string | undefined): { status: number; digest: string } | undefined => {
  if (!text) return undefined;
  const colon = text.indexOf(':');
  const status = Number(text.slice(0, colon));
  if (colon <= 0 || !Number.isInteger(status) || colon === text.length - 1) return undefined;
  return { status, digest: text.slice(colon + 1) };
};

/** Decimal or scientific notation only: `Number()` would also read hex (`0x1F`), binary and `Infinity`. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const strictNumber = (text: string | undefined): number =>
  text === undefined || !DECIMAL.test(text) ? NaN : Number(text);
/** A whole-number column (status, error_code): empty is 0, digits only, at most 9 of them. */
const wholeNumber = (text: string | undefined): number =>
  text === undefined || text === '' ? 0 : /^\d{1,9}$/.test(text) ? Number(text) : NaN;

/** Failed as k6 counts it: the response callback's verdict, else the status (k6 default 200–399). */
export const isFailed = (expected: string | undefined, status: number): boolean => {
  if (expected === 'false') return true;
  if (expected === 'true') return false;
  return status === 0 || status < 200 || status >= 400;
};

/**
 * Reads one k6 CSV file into `builder`. An unterminated last line is taken as cut off by an interrupted
 * run: it is dropped with a `truncated-line` warning. Any other bad line is an InputError `file:line`.
 */
export const readK6Csv = async (file: string, builder: SampleBuilder): Promise<void> => {
  builder.beginFile(file);
  let cols: Columns | null = null;

  const decodeFields = (buf: Buffer, start: number, end: number, lineNo: number): string[] => {
    const line = buf.toString('utf8', start, end);
    const fields = splitCsvLine(line);
    if (fields === null || fields.length !== cols!.count) {
      throw new InputError(
        atLine(
          file,
          lineNo,
          `malformed k6 CSV line: expected ${cols!.count} fields, got ${fields?.length ?? 'unbalanced quotes'}`,
        ),
      );
    }
    return fields;
  };

  const numberAt = (fields: string[], col: number, what: string, lineNo: number): number => {
    const v = strictNumber(fields[col]);
    if (v === Infinity || v === -Infinity)
      throw new InputError(
        atLine(file, lineNo, `${what} ${excerpt(fields[col] ?? '')} is out of range (not finite)`),
      );
    if (!Number.isFinite(v))
      throw new InputError(atLine(file, lineNo, `non-numeric ${what} ${excerpt(fields[col] ?? '')}`));
    return v;
  };

  const timeAt = (fields: string[], lineNo: number): number => {
    const t = parseK6Time(fields[cols!.timestamp] ?? '');
    if (!Number.isFinite(t)) {
      throw new InputError(
        atLine(file, lineNo, `unreadable timestamp ${excerpt(fields[cols!.timestamp] ?? '')}`),
      );
    }
    return t;
  };

  /**
   * The name, timestamp and value of a line whose header starts `metric_name,timestamp,metric_value` and
   * whose first three fields are unquoted, without decoding the rest (a start_lateness_ms line needs only
   * those); null otherwise, and the caller decodes the whole line.
   */
  const leadingFields = (buf: Buffer, start: number, end: number): string[] | null => {
    if (cols!.timestamp !== 1 || cols!.value !== 2) return null;
    let c1 = -1;
    let c2 = -1;
    let k = start;
    for (; k < end; k++) {
      const b = buf[k];
      if (b === 0x22) return null;
      if (b !== 0x2c) continue;
      if (c1 === -1) c1 = k;
      else if (c2 === -1) c2 = k;
      else break;
    }
    if (c2 === -1) return null;
    return ['', buf.toString('latin1', c1 + 1, c2), buf.toString('latin1', c2 + 1, k)];
  };

  const tagsOf = (fields: string[]): Record<string, string> =>
    cols!.extraTags === -1 ? {} : parseKv(fields[cols!.extraTags] ?? '');
  const ridOf = (fields: string[]): string | undefined =>
    cols!.metadata === -1 ? undefined : ridFromMetadata(fields[cols!.metadata] ?? '');

  const onLine = (buf: Buffer, start: number, end: number, lineNo: number): void => {
    if (cols === null) {
      cols = mapHeader(splitCsvLine(buf.toString('utf8', start, end)) ?? [], file);
      if (cols.status === -1 && cols.expected === -1)
        builder.warn(
          warning('missing-column', {
            file,
            column: 'status',
            effect: 'no request can be told failed: error rates and error classes read 0',
          }),
        );
      return;
    }
    if (start === end) return;
    const want = classify(buf, start, end);
    if (want === WANT_DURATION) {
      const f = decodeFields(buf, start, end, lineNo);
      const status = cols.status === -1 ? 0 : wholeNumber(f[cols.status]);
      if (Number.isNaN(status))
        throw new InputError(atLine(file, lineNo, `non-decimal status ${excerpt(f[cols.status])}`));
      const tags = tagsOf(f);
      const errorCode = cols.errorCode === -1 ? 0 : wholeNumber(f[cols.errorCode]);
      if (Number.isNaN(errorCode))
        throw new InputError(atLine(file, lineNo, `non-decimal error_code ${excerpt(f[cols.errorCode])}`));
      const expected = cols.expected === -1 ? undefined : f[cols.expected];
      const row = {
        timestampMs: timeAt(f, lineNo),
        latencyMs: numberAt(f, cols.value, 'metric_value', lineNo),
        // Neither column: no way to tell a failure, so none is counted (the missing-column warning says so).
        failed: cols.status === -1 && cols.expected === -1 ? false : isFailed(expected, status),
        status,
        endpoint: requestEndpointOf(tags.endpoint, f[cols.name], f[cols.url]),
        impl: tags.impl,
        errorCode,
      };
      if (isControlRequest(tags)) builder.addControlCall(row, lineNo);
      else builder.addRequest(row, ridOf(f), lineNo);
      return;
    }
    if (want === WANT_SERVED || want === WANT_HOTSPOT) {
      const served = want === WANT_SERVED;
      const f = decodeFields(buf, start, end, lineNo);
      const tags = tagsOf(f);
      builder.addCustom(served ? 'served' : 'hotspot', {
        timestampMs: timeAt(f, lineNo),
        value: numberAt(f, cols.value, 'metric_value', lineNo),
        endpoint: tags.endpoint || '(none)',
        impl: tags.impl || '(unknown)',
        rid: ridOf(f),
      });
      return;
    }
    if (want === WANT_DIGEST) {
      const f = decodeFields(buf, start, end, lineNo);
      const line = numberAt(f, cols.value, 'metric_value', lineNo);
      const answer = parseDigest(
        cols.metadata === -1 ? undefined : metadataEntry(f[cols.metadata] ?? '', 'digest'),
      );
      if (!answer || !Number.isInteger(line) || line < 0)
        throw new InputError(
          atLine(file, lineNo, 'response_digest without a corpus line and "digest=<status>:<hex>" metadata'),
        );
      builder.addDigest(line, tagsOf(f).endpoint || '(none)', answer.status, answer.digest);
      return;
    }
    if (want === WANT_TIMING) {
      const f = decodeFields(buf, start, end, lineNo);
      const tags = tagsOf(f);
      builder.addTiming({
        timestampMs: timeAt(f, lineNo),
        value: numberAt(f, cols.value, 'metric_value', lineNo),
        endpoint: tags.endpoint || '(none)',
        name: tags.timing || '(unnamed)',
      });
      return;
    }
    if (want === WANT_LATENESS) {
      const f = leadingFields(buf, start, end) ?? decodeFields(buf, start, end, lineNo);
      builder.addStartLateness(timeAt(f, lineNo), numberAt(f, cols.value, 'metric_value', lineNo), lineNo);
      return;
    }
    if (want === WANT_DROPPED) {
      const f = decodeFields(buf, start, end, lineNo);
      builder.addDroppedIteration(timeAt(f, lineNo), numberAt(f, cols.value, 'metric_value', lineNo), lineNo);
      return;
    }
    // Lines the analysis does not need: only check that a metric name and a comma start them. A metric
    // name starts with a letter or `_`: a JSON object or a number here is another format's line.
    const b0 = buf[start] ?? 0;
    if (!((b0 >= 0x61 && b0 <= 0x7a) || (b0 >= 0x41 && b0 <= 0x5a) || b0 === 0x5f)) {
      throw new InputError(
        atLine(
          file,
          lineNo,
          `not a k6 CSV line (starts with ${excerpt(String.fromCharCode(b0))}): another format in the middle of the file?`,
        ),
      );
    }
    const comma = buf.indexOf(44, start);
    if (comma <= start || comma >= end) {
      throw new InputError(atLine(file, lineNo, 'malformed k6 CSV line: no metric name and comma'));
    }
  };

  let truncated = false;
  const stats = await forEachLine(file, (buf, start, end, lineNo, unterminated) => {
    // k6 ends every line with a newline: one without it was cut off mid-write, whatever it parses to.
    if (unterminated && cols !== null) truncated = true;
    else onLine(buf, start, end, lineNo);
  });
  if (cols === null) throw new InputError(`${file}: empty file`);
  if (truncated) builder.warn(truncatedWarning(file, stats.lines));
};

/** The warning for a last line cut off by an interrupted run (shared by the line-oriented readers). */
export const truncatedWarning = (file: string, lineNo: number): Warning =>
  warning('truncated-line', { file, line: lineNo });

/** k6 `--out csv` (plain or gzip): a header line naming `metric_name` first. */
export const k6CsvReader = {
  format: 'k6-csv' as const,
  matches: (text: string) => text.startsWith('metric_name,'),
  read: readK6Csv,
} satisfies IngestReader;
