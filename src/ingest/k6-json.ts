import { InputError, atLine, excerpt } from '../model/index.js';
import type { IngestReader } from './readers.js';
import { isControlRequest, type SampleBuilder } from './builder.js';
import { isFailed, parseDigest, requestEndpointOf, startsWith, truncatedWarning } from './k6-csv.js';
import { forEachLine } from './lines.js';
import { parseRfc3339 } from './time.js';

/**
 * Streaming reader of k6's JSON output (`k6 run --out json=FILE[.gz]`): one JSON object per line.
 *
 * Observed with k6 v2.2.0:
 *   {"type":"Metric","data":{"name":"http_req_duration","type":"trend",…},"metric":"http_req_duration"}
 *   {"metric":"http_req_duration","type":"Point","data":{"time":"2026-11-21T23:02:54.531591593Z",
 *    "value":24.234075,"tags":{"endpoint":"scan","expected_response":"true","group":"","method":"GET",
 *    "name":"http://…","proto":"HTTP/1.1","scenario":"a","status":"200","url":"http://…"},
 *    "metadata":{"rid":"1-0"}}}
 * A `Metric` line declares each metric once; `Point` lines are samples, with the same 13 lines per
 * request as the CSV output (k6-csv.ts). Tags are strings (status "200"); `metadata` appears only when
 * the VU set some. Points always start with `{"metric":"NAME"`, so only the lines the analysis needs are
 * handed to JSON.parse; a line in any other key order is parsed whole (slow path, still correct).
 */

const POINT_PREFIX = Buffer.from('{"metric":"', 'latin1');
const WANTED = new Set([
  'http_req_duration',
  'hotspot_ms',
  'impl_served',
  'dropped_iterations',
  'response_digest',
  'server_timing_ms',
  'start_lateness_ms',
]);

interface PointData {
  time?: unknown;
  value?: unknown;
  tags?: Record<string, string> | null;
  metadata?: Record<string, string> | null;
}

export const readK6Json = async (file: string, builder: SampleBuilder): Promise<void> => {
  builder.beginFile(file);
  let sawAny = false;
  let truncated = false;

  /** k6 writes tags and metadata as string → string maps; anything else is not k6's output. */
  const stringMap = (x: unknown, what: string, lineNo: number): Record<string, string> => {
    if (x === undefined || x === null) return {};
    if (typeof x !== 'object' || Array.isArray(x))
      throw new InputError(atLine(file, lineNo, `k6 JSON "${what}" is not an object`));
    for (const [k, v] of Object.entries(x))
      if (typeof v !== 'string')
        throw new InputError(
          atLine(file, lineNo, `k6 JSON ${what}.${excerpt(k, 30)} is not a string: ${excerpt(v)}`),
        );
    return x as Record<string, string>;
  };

  /** A numeric tag (status, error_code): absent or empty is 0; anything but decimal digits is refused. */
  const decimalTag = (text: unknown, what: string, lineNo: number): number => {
    if (text === undefined || text === null || text === '') return 0;
    if (typeof text !== 'string' || !/^\d{1,9}$/.test(text))
      throw new InputError(atLine(file, lineNo, `non-decimal ${what} tag ${excerpt(text)}`));
    return Number(text);
  };

  const handlePoint = (metric: string, data: PointData, lineNo: number): void => {
    const time = typeof data.time === 'string' ? parseRfc3339(data.time) : Number.NaN;
    if (!Number.isFinite(time))
      throw new InputError(atLine(file, lineNo, `unreadable time ${excerpt(data.time)}`));
    if (typeof data.value !== 'number' || !Number.isFinite(data.value)) {
      throw new InputError(atLine(file, lineNo, `non-numeric value ${excerpt(data.value)}`));
    }
    const tags = stringMap(data.tags, 'tags', lineNo);
    const rid = stringMap(data.metadata, 'metadata', lineNo).rid;
    if (metric === 'http_req_duration') {
      const status = decimalTag(tags.status, 'status', lineNo);
      const row = {
        timestampMs: time,
        latencyMs: data.value,
        failed: isFailed(tags.expected_response, status),
        status,
        endpoint: requestEndpointOf(tags.endpoint, tags.name, tags.url),
        impl: tags.impl,
        errorCode: decimalTag(tags.error_code, 'error_code', lineNo),
      };
      if (isControlRequest(tags)) builder.addControlCall(row, lineNo);
      else builder.addRequest(row, rid, lineNo);
    } else if (metric === 'server_timing_ms') {
      builder.addTiming({
        timestampMs: time,
        value: data.value,
        endpoint: tags.endpoint || '(none)',
        name: tags.timing || '(unnamed)',
      });
    } else if (metric === 'start_lateness_ms') {
      builder.addStartLateness(time, data.value, lineNo);
    } else if (metric === 'dropped_iterations') {
      builder.addDroppedIteration(time, data.value, lineNo);
    } else if (metric === 'response_digest') {
      const answer = parseDigest(data.metadata?.digest);
      if (!answer || !Number.isInteger(data.value) || data.value < 0)
        throw new InputError(
          atLine(file, lineNo, 'response_digest without a corpus line and "digest=<status>:<hex>" metadata'),
        );
      builder.addDigest(data.value, tags.endpoint || '(none)', answer.status, answer.digest);
    } else {
      builder.addCustom(metric === 'impl_served' ? 'served' : 'hotspot', {
        timestampMs: time,
        value: data.value,
        endpoint: tags.endpoint || '(none)',
        impl: tags.impl || '(unknown)',
        rid,
      });
    }
  };

  const parse = (buf: Buffer, start: number, end: number, lineNo: number): unknown => {
    try {
      return JSON.parse(buf.toString('utf8', start, end));
    } catch {
      throw new InputError(atLine(file, lineNo, 'malformed k6 JSON line (not a JSON object)'));
    }
  };

  const onLine = (buf: Buffer, start: number, end: number, lineNo: number): void => {
    if (start === end) return;
    sawAny = true;
    if (buf[start] !== 0x7b /* { */ || buf[end - 1] !== 0x7d /* } */) {
      throw new InputError(atLine(file, lineNo, 'malformed k6 JSON line (not a JSON object)'));
    }
    if (startsWith(buf, start, end, POINT_PREFIX)) {
      const q = buf.indexOf(34, start + POINT_PREFIX.length);
      const metric = q === -1 || q >= end ? '' : buf.toString('latin1', start + POINT_PREFIX.length, q);
      if (!WANTED.has(metric)) return;
    }
    const obj = parse(buf, start, end, lineNo) as { type?: unknown; metric?: unknown; data?: PointData };
    if (typeof obj !== 'object' || obj === null || (obj.type !== 'Point' && obj.type !== 'Metric')) {
      throw new InputError(
        atLine(file, lineNo, 'not a k6 JSON sample: "type" is neither "Point" nor "Metric"'),
      );
    }
    if (obj.type !== 'Point' || typeof obj.metric !== 'string' || !WANTED.has(obj.metric)) return;
    if (typeof obj.data !== 'object' || obj.data === null) {
      throw new InputError(atLine(file, lineNo, 'k6 JSON Point without "data"'));
    }
    handlePoint(obj.metric, obj.data, lineNo);
  };

  const stats = await forEachLine(file, (buf, start, end, lineNo, unterminated) => {
    if (!unterminated) return onLine(buf, start, end, lineNo);
    // Without its newline a line may still be whole (a JSON object cannot be cut and stay valid).
    try {
      JSON.parse(buf.toString('utf8', start, end));
    } catch {
      truncated = true;
      return;
    }
    onLine(buf, start, end, lineNo);
  });
  if (!sawAny) throw new InputError(`${file}: empty file`);
  if (truncated) builder.warn(truncatedWarning(file, stats.lines));
};

/** k6 `--out json` (plain or gzip): Metric and Point objects naming their metric. */
export const k6JsonReader = {
  format: 'k6-json' as const,
  matches: (_text: string, o: Record<string, unknown> | undefined) =>
    o !== undefined && (o.type === 'Metric' || o.type === 'Point') && typeof o.metric === 'string',
  read: readK6Json,
} satisfies IngestReader;
