import { InputError, atLine } from '../model/index.js';
import type { IngestReader } from './readers.js';
import type { SampleBuilder } from './builder.js';
import { isFailed, truncatedWarning } from './k6-csv.js';
import { forEachLine } from './lines.js';

/**
 * Raw per-request latencies from autocannon, as hotswap's autocannon driver writes them: NDJSON, one
 * object per response (plain or gzip), in the order the `response` events fired.
 *
 *   {"t": 1795302174531.6, "latencyMs": 0.84, "status": 200, "endpoint": "scan"}
 *
 * - `t` (required, number): epoch milliseconds when the response completed (Date.now() or
 *   performance.timeOrigin + performance.now() in the `response` event handler). Warm-up is cut from it.
 * - `latencyMs` (required, number ≥ 0): the event's `responseTime` argument. autocannon's own histogram
 *   rounds to 1 ms and corrects coordinated omission wrongly when a rate is set (ARCHITECTURE.md), so
 *   the driver records this value per response instead.
 * - `status` (required, integer): HTTP status; 0 for a transport error (`reqError` event).
 * - `endpoint` (required, string): the endpoint name (scan|fields|orders|…) or the request path.
 * - `impl` (optional, string): the `X-Hotspot-Impl` value, when the driver can see headers.
 * - `hotspotMs` (optional, number): the Server-Timing `hotspot;dur=` value.
 * - `error` (optional, string): transport error text (then status is 0).
 * Other keys are ignored, so the driver may add fields. The first line decides the format (detect.ts):
 * a JSON object with a numeric `latencyMs`.
 */
export interface AutocannonRecord {
  t: number;
  latencyMs: number;
  status: number;
  endpoint: string;
  impl?: string;
  hotspotMs?: number;
  error?: string;
}

const numberField = (obj: Record<string, unknown>, key: string, file: string, lineNo: number): number => {
  const v = obj[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new InputError(
      atLine(
        file,
        lineNo,
        `autocannon record: "${key}" must be a number, got ${JSON.stringify(v) ?? 'nothing'}`,
      ),
    );
  }
  return v;
};

/** Checks one decoded line against the format above. */
export const toAutocannonRecord = (obj: unknown, file: string, lineNo: number): AutocannonRecord => {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
    throw new InputError(atLine(file, lineNo, 'autocannon record: not a JSON object'));
  }
  const o = obj as Record<string, unknown>;
  const record: AutocannonRecord = {
    t: numberField(o, 't', file, lineNo),
    latencyMs: numberField(o, 'latencyMs', file, lineNo),
    status: numberField(o, 'status', file, lineNo),
    endpoint: typeof o.endpoint === 'string' && o.endpoint !== '' ? o.endpoint : '(none)',
  };
  if (typeof o.impl === 'string') record.impl = o.impl;
  if (o.hotspotMs !== undefined) record.hotspotMs = numberField(o, 'hotspotMs', file, lineNo);
  return record;
};

export const readAutocannon = async (file: string, builder: SampleBuilder): Promise<void> => {
  builder.beginFile(file);
  let truncated = false;
  let sawAny = false;
  let rid = 0;
  const stats = await forEachLine(file, (buf, start, end, lineNo, unterminated) => {
    const text = buf.toString('utf8', start, end).trim();
    if (text === '') return;
    let obj: unknown;
    try {
      obj = JSON.parse(text);
    } catch {
      if (unterminated) {
        truncated = true;
        return;
      }
      throw new InputError(atLine(file, lineNo, 'malformed autocannon line (not JSON)'));
    }
    sawAny = true;
    const r = toAutocannonRecord(obj, file, lineNo);
    const key = String(rid++);
    builder.addRequest(
      {
        timestampMs: r.t,
        latencyMs: r.latencyMs,
        failed: isFailed(undefined, r.status),
        status: r.status,
        endpoint: r.endpoint,
        errorCode: 0,
      },
      r.hotspotMs === undefined && r.impl === undefined ? undefined : key,
      lineNo,
    );
    if (r.impl !== undefined || r.hotspotMs !== undefined) {
      const custom = { timestampMs: r.t, endpoint: r.endpoint, impl: r.impl ?? '(unknown)', rid: key };
      builder.addCustom('served', { ...custom, value: 1 });
      if (r.hotspotMs !== undefined) builder.addCustom('hotspot', { ...custom, value: r.hotspotMs });
    }
  });
  if (!sawAny) throw new InputError(`${file}: empty file`);
  if (truncated) builder.warn(truncatedWarning(file, stats.lines));
};

/** hotswap's autocannon NDJSON: an object with a numeric `latencyMs`. */
export const autocannonReader = {
  format: 'autocannon' as const,
  matches: (_text: string, o: Record<string, unknown> | undefined) =>
    o !== undefined && typeof o.latencyMs === 'number',
  read: readAutocannon,
} satisfies IngestReader;
