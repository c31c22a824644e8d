// One corpus request against the target, with the tags and custom metrics every scenario records:
//   - tag `endpoint` (scan|fields|orders|…, never the raw URL) and `traffic=yes` on every request;
//   - Counter `impl_served` (value 1, tags endpoint, impl) from the X-Hotspot-Impl response header;
//   - Trend `hotspot_ms` (tags endpoint, impl) from `Server-Timing: hotspot;dur=<ms>`, and Trend
//     `server_timing_ms` (tags endpoint, impl, timing=<name>) for every other Server-Timing entry with a
//     dur (`downstream`, `db`, `cache`…), so the plan can name which of them are waiting.
// k6 cannot tag a request with a response header after the fact; the VU metadata `rid` (one id per
// iteration) lets the ingest join the custom metrics back to their request row (see src/ingest/k6-csv.ts).
// Messy corpus lines expect 400/413 answers: those do not count in http_req_failed, other errors do.
// With DIGESTS=1 (hotswap sets it when the plan's `correctness.digests` is on, never for capacity-search
// probes) each request also keeps its body (`responseType: 'binary'` for that request only; the scenario's
// `discardResponseBodies` stays on) and records Counter `response_digest` (value: the corpus line,
// tag endpoint, metadata `digest=<status>:<first 16 hex of sha256(body)>`), which src/analysis/correctness.ts
// compares per corpus line between the arms. 64 bits of sha256 make an accidental match of two different
// bodies among a corpus's lines vanishingly unlikely (birthday bound ~ N²/2⁶⁵).
import { sha256 } from 'k6/crypto';
import { b64decode } from 'k6/encoding';
import exec from 'k6/execution';
import http from 'k6/http';
import { Counter, Trend } from 'k6/metrics';
import { baseUrl } from './config.ts';
import { corpus } from './corpus.ts';

const implServed = new Counter('impl_served');
const hotspotMs = new Trend('hotspot_ms', true);
const responseDigest = new Counter('response_digest');

/** DIGESTS=1 turns response digests on (default off: they cost generator CPU, see bench/digests.ts). */
const DIGESTS = (__ENV.DIGESTS ?? '0') === '1';
/**
 * HEADER_METRICS=0 leaves out the metrics read from response headers (impl_served, hotspot_ms,
 * server_timing_ms, and the `rid` that joins them to their request): hotswap sets it for capacity-search
 * probes, which are judged on latency, errors and delivery alone. k6 CPU at 800 rps Poisson, 30 s,
 * measured side by side: 26.5 s with them, 23.2 s without (−12.5 %).
 */
const HEADER_METRICS = (__ENV.HEADER_METRICS ?? '1') !== '0';
const serverTimingMs = new Trend('server_timing_ms', true);

const NORMAL = http.expectedStatuses({ min: 200, max: 299 });
const MESSY = http.expectedStatuses({ min: 200, max: 299 }, 400, 413, 422);

const BASE = baseUrl();

/** `hotspot;dur=1.25, downstream;dur=20` → value of `name`'s dur, or undefined. */
export const serverTiming = (header: string | undefined, name: string): number | undefined => {
  if (!header) return undefined;
  for (const part of header.split(',')) {
    const [metric, ...params] = part.trim().split(';');
    if (metric?.trim() !== name) continue;
    for (const p of params) {
      const [k, v] = p.trim().split('=');
      if (k === 'dur' && v !== undefined && Number.isFinite(Number(v))) return Number(v);
    }
  }
  return undefined;
};

/** Every `name;dur=<ms>` entry of a Server-Timing header, in order (entries without a dur are skipped). */
export const serverTimings = (header: string | undefined): [string, number][] => {
  if (!header) return [];
  const out: [string, number][] = [];
  for (const part of header.split(',')) {
    const [metric, ...params] = part.trim().split(';');
    const name = metric?.trim();
    if (!name) continue;
    for (const p of params) {
      const [k, v] = p.trim().split('=');
      if (k === 'dur' && v !== undefined && Number.isFinite(Number(v))) out.push([name, Number(v)]);
    }
  }
  return out;
};

/** impl_served, hotspot_ms and server_timing_ms of one answer, from its headers. */
const recordHeaders = (headers: Record<string, string>, endpoint: string): void => {
  const impl = headers['X-Hotspot-Impl'];
  if (impl) {
    implServed.add(1, { endpoint, impl });
    const hot = serverTiming(headers['Server-Timing'], 'hotspot');
    if (hot !== undefined) hotspotMs.add(hot, { endpoint, impl });
  }
  // Any service's Server-Timing entries (not only the reference service's): the plan says which wait.
  for (const [name, dur] of serverTimings(headers['Server-Timing'])) {
    if (name !== 'hotspot')
      serverTimingMs.add(dur, impl ? { endpoint, impl, timing: name } : { endpoint, timing: name });
  }
};

// Fetched on a VU's first request and kept: k6's `exec.vu` and its `metrics.metadata` build new objects on
// every access (their getters read the VU's live state), ~10 % of k6's CPU at 700 rps when read per request.
let vu: typeof exec.vu | undefined;
let metadata: typeof exec.vu.metrics.metadata | undefined;

/** Sends corpus line `i mod N` and records which implementation served it. */
export const sendCorpusRequest = (i: number): void => {
  const line = i % corpus.length;
  const req = corpus[line];
  if (!req) return;
  const endpoint = req.endpoint ?? 'other';
  vu ??= exec.vu;
  const meta = (metadata ??= vu.metrics.metadata);
  if (HEADER_METRICS) meta.rid = `${vu.idInTest}-${vu.iterationInScenario}`;
  const body = req.bodyBase64 !== undefined ? b64decode(req.bodyBase64, 'std') : (req.body ?? null);
  const res = http.request(req.method, `${BASE}${req.path}`, body, {
    headers: req.headers ?? {},
    // `name` groups URLs (k6's own convention): /v1/orders/4711 would otherwise be a series per id.
    tags: { endpoint, traffic: 'yes', name: endpoint },
    responseCallback: req.messy ? MESSY : NORMAL,
    ...(DIGESTS ? { responseType: 'binary' as const } : {}),
  });
  if (HEADER_METRICS) recordHeaders(res.headers, endpoint);
  if (DIGESTS) {
    const digest = res.body ? sha256(res.body, 'hex').slice(0, 16) : '-';
    meta.digest = `${res.status}:${digest}`;
    responseDigest.add(line, { endpoint });
    delete meta.digest;
  }
  if (HEADER_METRICS) delete meta.rid;
};
