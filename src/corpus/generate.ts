import { mersenne } from 'pure-rand/generator/mersenne';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import {
  DEFAULT_MESSY_SHARE,
  DEFAULT_MIX,
  MESSY_KINDS,
  type CorpusRequest,
  type MessyKind,
} from './format.js';

/**
 * A frozen, seeded request corpus for the reference service (pure: same options → same requests).
 *
 * Body sizes are log-normal, the usual model for message and file sizes (Downey 2005, "Lognormal and Pareto
 * distributions in the Internet", Computer Communications 28(7)). With σ = ln(10)/z₀.₉₉ = ln 10 / 2.326
 * ≈ 0.99 the 99th percentile is 10× the median, the heavy tail a release review should see.
 * Random numbers: Mersenne Twister (pure-rand), seeded by `seed`.
 */
export interface CorpusOptions {
  seed: number;
  count: number;
  /** Endpoint weights; the reference service knows scan, fields and orders. */
  mix?: Record<string, number>;
  /** Share of messy requests, 0–1. */
  messyShare?: number;
  /** Median body size of /v1/scan, bytes (default 8 KiB: batches are 4–64 KB typically). */
  scanMedianBytes?: number;
  /** The service's body limit; `oversized` bodies exceed it. */
  maxBodyBytes?: number;
}

/** p99/median of a log-normal is exp(σ·z₀.₉₉); σ such that it is 10. */
export const LOGNORMAL_SIGMA = Math.log(10) / 2.3263478740408408;

type Uniform = () => number;

const makeUniform = (seed: number): Uniform => {
  const g = mersenne(seed >>> 0);
  return () => uniformFloat64(g);
};

/** Standard normal by Box–Muller (Box & Muller 1958); 1 − u keeps log away from 0. */
const normal = (u: Uniform): number => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
const logNormal = (u: Uniform, median: number): number => median * Math.exp(LOGNORMAL_SIGMA * normal(u));
const pick = <T>(u: Uniform, xs: readonly T[]): T => xs[Math.floor(u() * xs.length)] as T;
const int = (u: Uniform, lo: number, hi: number): number => lo + Math.floor(u() * (hi - lo + 1));

const WORDS = [
  'login',
  'checkout',
  'search',
  'payment',
  'refund',
  'timeout',
  'retry',
  'cache',
  'user',
  'order',
];
const LEVELS = ['debug', 'info', 'info', 'info', 'warn', 'error'];

/** One log event with the kinds of secrets the scan rules look for, sometimes. */
const event = (u: Uniform, i: number): string => {
  const parts = [pick(u, WORDS), pick(u, WORDS), `took ${int(u, 1, 900)}ms`];
  const r = u();
  if (r < 0.15) parts.push(`user ${pick(u, WORDS)}${int(u, 1, 999)}@example.com`);
  else if (r < 0.25) parts.push(`from 10.${int(u, 0, 255)}.${int(u, 0, 255)}.${int(u, 1, 254)}`);
  else if (r < 0.3) parts.push(`card 4111 1111 1111 ${String(int(u, 0, 9999)).padStart(4, '0')}`);
  else if (r < 0.35) parts.push(`token=sk_live_${Math.floor(u() * 2 ** 48).toString(36)}`);
  return JSON.stringify({ ts: 1_700_000_000_000 + i * 37, level: pick(u, LEVELS), msg: parts.join(' ') });
};

/** NDJSON events until the batch reaches `bytes`. */
const scanBody = (u: Uniform, bytes: number): string => {
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i += 1) {
    const line = event(u, i);
    lines.push(line);
    size += line.length + 1;
  }
  return `${lines.join('\n')}\n`;
};

/** About twenty short string fields, lengths log-normal around 10 characters. */
const fieldsObject = (u: Uniform): Record<string, string> => {
  const n = int(u, 16, 24);
  const out: Record<string, string> = {};
  for (let i = 0; i < n; i += 1) {
    const len = Math.max(1, Math.min(400, Math.round(logNormal(u, 10))));
    let s = '';
    while (s.length < len) s += `${pick(u, WORDS)} `;
    out[`f${String(i).padStart(2, '0')}`] = s.slice(0, len);
  }
  return out;
};

const JSON_HEADERS = { 'content-type': 'application/json' };
const NDJSON_HEADERS = { 'content-type': 'application/x-ndjson' };

const normalRequest = (u: Uniform, endpoint: string, scanMedian: number): CorpusRequest => {
  switch (endpoint) {
    case 'scan': {
      const bytes = Math.max(256, Math.min(900_000, Math.round(logNormal(u, scanMedian))));
      return {
        method: 'POST',
        path: '/v1/scan',
        headers: NDJSON_HEADERS,
        body: scanBody(u, bytes),
        endpoint,
      };
    }
    case 'fields':
      return {
        method: 'POST',
        path: '/v1/fields',
        headers: JSON_HEADERS,
        body: JSON.stringify(fieldsObject(u)),
        endpoint,
      };
    case 'orders':
      return { method: 'GET', path: `/v1/orders/${int(u, 1, 999_999)}`, endpoint };
    default:
      // A user-named endpoint without a generator: a GET to /v1/<name>, so the mix stays honest.
      return { method: 'GET', path: `/v1/${endpoint}`, endpoint };
  }
};

const UNICODE = [
  'Grüße',
  '日本語のテキスト',
  'עברית',
  'emoji 🚀🔥👍🏽',
  'e\u0301\u0301\u0301',
  'ZWJ 👩‍👩‍👧‍👦',
  '\u202Eevil',
];

const messyRequest = (u: Uniform, kind: MessyKind, scanMedian: number, maxBody: number): CorpusRequest => {
  switch (kind) {
    case 'truncated-json': {
      const body = JSON.stringify(fieldsObject(u));
      return {
        method: 'POST',
        path: '/v1/fields',
        headers: JSON_HEADERS,
        body: body.slice(0, int(u, 1, body.length - 2)),
        endpoint: 'fields',
        messy: kind,
      };
    }
    case 'invalid-utf8': {
      const text = Buffer.from(scanBody(u, Math.round(scanMedian / 4)));
      const bad = Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1]);
      const at = int(u, 0, text.length);
      const bytes = Buffer.concat([text.subarray(0, at), bad, text.subarray(at)]);
      return {
        method: 'POST',
        path: '/v1/scan',
        headers: NDJSON_HEADERS,
        bodyBase64: bytes.toString('base64'),
        endpoint: 'scan',
        messy: kind,
      };
    }
    case 'oversized': {
      const line = `${event(u, 0)}\n`;
      const body = line.repeat(Math.ceil((maxBody + 1024) / line.length));
      return {
        method: 'POST',
        path: '/v1/scan',
        headers: NDJSON_HEADERS,
        body,
        endpoint: 'scan',
        messy: kind,
      };
    }
    case 'long-string': {
      const fields = fieldsObject(u);
      fields.f00 = 'x'.repeat(int(u, 16_384, 65_536));
      return {
        method: 'POST',
        path: '/v1/fields',
        headers: JSON_HEADERS,
        body: JSON.stringify(fields),
        endpoint: 'fields',
        messy: kind,
      };
    }
    case 'unicode': {
      const fields = fieldsObject(u);
      for (const key of Object.keys(fields).slice(0, 5)) fields[key] = pick(u, UNICODE);
      return {
        method: 'POST',
        path: '/v1/fields',
        headers: JSON_HEADERS,
        body: JSON.stringify(fields),
        endpoint: 'fields',
        messy: kind,
      };
    }
  }
};

/** Cumulative weights for picking an endpoint; throws on an empty or all-zero mix. */
const cumulative = (mix: Record<string, number>): [string, number][] => {
  const entries = Object.entries(mix).filter(([, w]) => w > 0);
  const total = entries.reduce((s, [, w]) => s + w, 0);
  if (!(total > 0)) throw new RangeError('corpus mix: at least one endpoint needs a weight > 0');
  let acc = 0;
  return entries.map(([name, w]) => [name, (acc += w / total)]);
};

/** The requests of the corpus, lazily (a large corpus never sits in memory whole). */
export function* generateCorpus(opts: CorpusOptions): Generator<CorpusRequest> {
  const u = makeUniform(opts.seed);
  const table = cumulative(opts.mix ?? DEFAULT_MIX);
  const messyShare = opts.messyShare ?? DEFAULT_MESSY_SHARE;
  const scanMedian = opts.scanMedianBytes ?? 8192;
  const maxBody = opts.maxBodyBytes ?? 1_048_576;
  for (let i = 0; i < opts.count; i += 1) {
    if (u() < messyShare) {
      yield messyRequest(u, pick(u, MESSY_KINDS), scanMedian, maxBody);
      continue;
    }
    const r = u();
    const endpoint = (table.find(([, c]) => r < c) ?? table[table.length - 1])?.[0] ?? 'scan';
    yield normalRequest(u, endpoint, scanMedian);
  }
}

/** One NDJSON line per request (the corpus file format). */
export const toNdjsonLine = (req: CorpusRequest): string => JSON.stringify(req);
