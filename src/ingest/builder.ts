import { InputError, atLine, warning } from '../model/index.js';
import type {
  ControlCall,
  ImplServedAggregate,
  LineAnswers,
  SampleSet,
  ServerTimingAggregate,
  Warning,
} from '../model/index.js';

/** `impl` value of a row whose implementation is unknown (SampleSet contract). */
export const NO_IMPL = 0xff;

/** Kinds of custom-metric samples kept until the warm-up cut is known. */
const CUSTOM_SERVED = 0;
const CUSTOM_HOTSPOT = 1;

/**
 * How many requests of one file may wait for their custom metrics. The scenario emits `hotspot_ms` and
 * `impl_served` right after its request, so in practice the wait is a few VUs' worth of lines; the bound
 * keeps memory flat on a million-request run whatever the scenario does.
 */
const JOIN_WINDOW = 1 << 16;

/** A growable column of one typed-array type: doubles its capacity when full (amortised O(1) push). */
type Column = Float64Array | Uint8Array | Uint16Array;
const grow = <T extends Column>(arr: T, capacity: number): T => {
  const next = new (arr.constructor as new (n: number) => T)(capacity);
  next.set(arr);
  return next;
};

/** One request as a reader found it. */
export interface RequestRow {
  timestampMs: number;
  latencyMs: number;
  failed: boolean;
  status: number;
  endpoint: string;
  /** From an `impl` tag on the request itself, when a driver puts one there. */
  impl?: string;
  errorCode: number;
}

/** One `server_timing_ms` sample (tag `timing` = the Server-Timing entry's name). */
export interface TimingRow {
  timestampMs: number;
  endpoint: string;
  name: string;
  value: number;
}

/** One `impl_served` / `hotspot_ms` sample. */
export interface CustomRow {
  timestampMs: number;
  endpoint: string;
  impl: string;
  value: number;
  /** Join key (`rid` in the k6 sample metadata), when the scenario set one. */
  rid?: string;
}

/**
 * Bounds on what one line of driver output may say. A k6 line carries one dropped iteration; a count is
 * added, never looped over, and anything beyond the bound (or not a whole number) is refused as impossible.
 */
export const MAX_DROPPED_PER_LINE = 1e9;
/** A request longer than a day is not a latency a load test measures: the line is damaged. */
export const MAX_LATENCY_MS = 86_400_000;

/** Why a request row cannot be real (negative or non-finite latency, status outside 100–599), or undefined. */
export const requestProblem = (row: RequestRow): string | undefined => {
  if (!Number.isFinite(row.latencyMs) || row.latencyMs < 0 || row.latencyMs > MAX_LATENCY_MS)
    return `impossible duration ${String(row.latencyMs)} ms (expected 0 to ${MAX_LATENCY_MS})`;
  if (!Number.isFinite(row.timestampMs) || row.timestampMs < 0)
    return `impossible timestamp ${String(row.timestampMs)}`;
  // 0 is how k6 and autocannon record a transport error (no response at all).
  if (!Number.isInteger(row.status) || (row.status !== 0 && (row.status < 100 || row.status > 599)))
    return `impossible HTTP status ${String(row.status)} (expected 100–599, or 0 for no response)`;
  if (!Number.isInteger(row.errorCode) || row.errorCode < 0 || row.errorCode > 0xffff)
    return `impossible error code ${String(row.errorCode)} (expected 0–65535)`;
  return undefined;
};

/**
 * Accumulates the requests of one run (several files: execution segments, pods) column-wise, then
 * `finish` orders them by time, trims warm-up and returns a SampleSet. Readers call `beginFile` per file
 * so that join keys (k6 metadata `rid`, unique per VU within one k6 process) never match across files.
 */
export class SampleBuilder {
  n = 0;
  private cap = 1024;
  private latencyMs = new Float64Array(this.cap);
  private timestampMs = new Float64Array(this.cap);
  private failed = new Uint8Array(this.cap);
  private status = new Uint16Array(this.cap);
  private endpoint = new Uint16Array(this.cap);
  private impl = new Uint8Array(this.cap);
  private hotspotMs = new Float64Array(this.cap);
  private errorCode = new Uint16Array(this.cap);
  private sawErrorCode = false;
  private readonly endpoints: string[] = [];
  private readonly endpointIndex = new Map<string, number>();
  private readonly impls: string[] = [];
  private readonly implIndex = new Map<string, number>();

  private customN = 0;
  private customCap = 256;
  private customTs = new Float64Array(this.customCap);
  private customValue = new Float64Array(this.customCap);
  private customEndpoint = new Uint16Array(this.customCap);
  private customImpl = new Uint8Array(this.customCap);
  private customKind = new Uint8Array(this.customCap);
  private timings: TimingRow[] = [];
  private customWithoutKey = 0;
  private customJoined = 0;

  private latenessN = 0;
  private latenessTs = new Float64Array(256);
  private latenessMs = new Float64Array(256);
  private readonly droppedTs: number[] = [];
  private readonly droppedCount: number[] = [];
  private readonly controlCalls: ControlCall[] = [];
  private pending = new Map<string, number>();
  private ring: (string | undefined)[] = new Array<string | undefined>(JOIN_WINDOW);
  private readonly ringRow = new Int32Array(JOIN_WINDOW);
  private ringPos = 0;
  /** Corpus line → endpoint and count per "status digest" answer (k6 `response_digest`). */
  private readonly digests = new Map<number, { endpoint: string; answers: Map<string, number> }>();
  readonly warnings: Warning[] = [];
  private file = '';

  /** Starts a new input file: join keys from the previous file are forgotten. */
  beginFile(path: string): void {
    this.file = path;
    this.pending = new Map();
    this.ring = new Array<string | undefined>(JOIN_WINDOW);
    this.ringPos = 0;
  }

  /** Keeps a control call (see `isControlRequest`) apart from the run's requests. */
  addControlCall(row: RequestRow, lineNo?: number): void {
    this.check(requestProblem(row), lineNo);
    this.controlCalls.push({
      endpoint: row.endpoint,
      startMs: row.timestampMs - row.latencyMs,
      endMs: row.timestampMs,
      status: row.status,
    });
  }

  /** Adds one request; `rid` (when present) lets later custom samples of the same request join it. */
  addRequest(row: RequestRow, rid?: string, lineNo?: number): void {
    this.check(requestProblem(row), lineNo);
    if (this.n === this.cap) this.growRows();
    const i = this.n++;
    this.latencyMs[i] = row.latencyMs;
    this.timestampMs[i] = row.timestampMs;
    this.failed[i] = row.failed ? 1 : 0;
    this.status[i] = row.status;
    this.endpoint[i] = this.intern(this.endpoints, this.endpointIndex, row.endpoint, 0xffff, 'endpoints');
    this.impl[i] = row.impl ? this.internImpl(row.impl) : NO_IMPL;
    this.hotspotMs[i] = Number.NaN;
    this.errorCode[i] = row.errorCode;
    if (row.errorCode !== 0) this.sawErrorCode = true;
    if (rid !== undefined) {
      // Evict the id that entered JOIN_WINDOW requests ago, unless a later request reused it. A ring of
      // keys, not Map.keys().next(): V8 leaves holes at the front of a Map after deletes, so the
      // iterator's first step becomes O(window) and the whole read quadratic (measured: 3.6 s of 9.8 s).
      const slot = this.ringPos;
      const old = this.ring[slot];
      if (old !== undefined && this.pending.get(old) === this.ringRow[slot]) this.pending.delete(old);
      this.ring[slot] = rid;
      this.ringRow[slot] = i;
      this.ringPos = (slot + 1) % JOIN_WINDOW;
      this.pending.set(rid, i);
    }
  }

  /** `impl_served` (kind 'served') or `hotspot_ms` (kind 'hotspot'); joined to its request when it can be. */
  addCustom(kind: 'served' | 'hotspot', row: CustomRow): void {
    if (this.customN === this.customCap) this.growCustom();
    const k = this.customN++;
    const implIdx = this.internImpl(row.impl);
    this.customTs[k] = row.timestampMs;
    this.customValue[k] = row.value;
    this.customEndpoint[k] = this.intern(
      this.endpoints,
      this.endpointIndex,
      row.endpoint,
      0xffff,
      'endpoints',
    );
    this.customImpl[k] = implIdx;
    this.customKind[k] = kind === 'served' ? CUSTOM_SERVED : CUSTOM_HOTSPOT;
    const target = row.rid === undefined ? undefined : this.pending.get(row.rid);
    if (target === undefined) {
      this.customWithoutKey++;
      return;
    }
    this.customJoined++;
    this.impl[target] = implIdx;
    if (kind === 'hotspot') this.hotspotMs[target] = row.value;
  }

  /**
   * One `response_digest` sample: the answer (status, body digest) a request to corpus `line` got. Kept
   * per line and distinct answer, so memory grows with the corpus, not with the run.
   */
  addDigest(line: number, endpoint: string, status: number, digest: string): void {
    let entry = this.digests.get(line);
    if (!entry) this.digests.set(line, (entry = { endpoint, answers: new Map() }));
    const key = `${status} ${digest}`;
    entry.answers.set(key, (entry.answers.get(key) ?? 0) + 1);
  }

  /** One `server_timing_ms` sample: a Server-Timing entry other than `hotspot` (e.g. downstream, db). */
  addTiming(row: TimingRow): void {
    this.timings.push(row);
  }

  private aggregateTimings(cutMs: number): ServerTimingAggregate[] {
    const byKey = new Map<string, ServerTimingAggregate>();
    for (const t of this.timings) {
      if (t.timestampMs < cutMs) continue;
      const key = `${t.endpoint}\u0000${t.name}`;
      let agg = byKey.get(key);
      if (!agg) byKey.set(key, (agg = { endpoint: t.endpoint, name: t.name, samples: 0, msSum: 0 }));
      agg.samples++;
      agg.msSum += t.value;
    }
    return [...byKey.values()].sort(
      (a, b) => a.endpoint.localeCompare(b.endpoint) || a.name.localeCompare(b.name),
    );
  }

  /** `count` dropped iterations at one time: stored as one (time, count) pair, whatever the count. */
  addDroppedIteration(timestampMs: number, count: number, lineNo?: number): void {
    if (!Number.isInteger(count) || count < 0 || count > MAX_DROPPED_PER_LINE)
      this.check(
        `impossible dropped-iterations count ${String(count)} (expected a whole number 0 to ${MAX_DROPPED_PER_LINE})`,
        lineNo,
      );
    this.droppedTs.push(timestampMs);
    this.droppedCount.push(count);
  }

  /**
   * One `start_lateness_ms` sample: how late a paced arrival started (scheduled vs actual, ms). Negative,
   * non-finite or beyond a day is not a lateness k6 can measure: the line is refused.
   */
  addStartLateness(timestampMs: number, lateMs: number, lineNo?: number): void {
    if (!Number.isFinite(lateMs) || lateMs < 0 || lateMs > MAX_LATENCY_MS)
      this.check(`impossible start lateness ${String(lateMs)} ms (expected 0 to ${MAX_LATENCY_MS})`, lineNo);
    if (this.latenessN === this.latenessTs.length) {
      this.latenessTs = grow(this.latenessTs, this.latenessN * 2);
      this.latenessMs = grow(this.latenessMs, this.latenessN * 2);
    }
    this.latenessTs[this.latenessN] = timestampMs;
    this.latenessMs[this.latenessN++] = lateMs;
  }

  /** The lateness samples at or after the warm-up cut, sorted; undefined when the output had none. */
  private lateness(cutMs: number): Float64Array | undefined {
    if (this.latenessN === 0) return undefined;
    const out = new Float64Array(this.latenessN);
    let k = 0;
    for (let j = 0; j < this.latenessN; j++)
      if ((this.latenessTs[j] ?? 0) >= cutMs) out[k++] = this.latenessMs[j] ?? 0;
    return out.slice(0, k).sort();
  }

  /** A reader's impossible value → InputError naming the file and, when known, the line. */
  private check(problem: string | undefined, lineNo: number | undefined): void {
    if (problem === undefined) return;
    throw new InputError(
      lineNo === undefined ? `${this.file}: ${problem}` : atLine(this.file, lineNo, problem),
    );
  }

  warn(warning: Warning): void {
    this.warnings.push(warning);
  }

  /**
   * Orders rows by timestamp (a stable merge of the files' own orders), drops those before
   * `earliest + warmupSeconds`, and aggregates the custom metrics and dropped iterations after the cut.
   */
  finish(runId: string, warmupSeconds: number, sources: string): SampleSet {
    if (this.n === 0) throw new InputError(`${sources}: no requests in the run (empty run)`);
    const order = this.timeOrder();
    let t0 = Infinity;
    for (let i = 0; i < this.n; i++) t0 = Math.min(t0, this.timestampMs[i] ?? Infinity);
    const cutMs = t0 + warmupSeconds * 1000;
    let kept = 0;
    for (let j = 0; j < this.n; j++) if ((this.timestampMs[order[j] ?? 0] ?? 0) >= cutMs) kept++;
    if (kept === 0) {
      throw new InputError(
        `${sources}: no requests after the ${warmupSeconds} s warm-up (the run lasted ${this.spanSeconds()} s)`,
      );
    }
    const out = this.emptyColumns(kept);
    let o = 0;
    for (let j = 0; j < this.n; j++) {
      const i = order[j] ?? 0;
      if ((this.timestampMs[i] ?? 0) < cutMs) continue;
      out.latencyMs[o] = this.latencyMs[i] ?? 0;
      out.timestampMs[o] = this.timestampMs[i] ?? 0;
      out.failed[o] = this.failed[i] ?? 0;
      out.status[o] = this.status[i] ?? 0;
      out.endpoint[o] = this.endpoint[i] ?? 0;
      out.impl[o] = this.impl[i] ?? NO_IMPL;
      out.hotspotMs[o] = this.hotspotMs[i] ?? Number.NaN;
      out.errorCode[o] = this.errorCode[i] ?? 0;
      o++;
    }
    const set: SampleSet = {
      runId,
      n: kept,
      ...out,
      endpoints: [...this.endpoints],
      impls: [...this.impls],
      droppedIterations: this.droppedTs.reduce(
        (sum, t, k) => (t >= cutMs ? sum + (this.droppedCount[k] ?? 0) : sum),
        0,
      ),
      warnings: [...this.warnings],
    };
    if (!this.sawErrorCode) delete set.errorCode;
    if (this.customN > 0) set.implServed = this.aggregateCustom(cutMs);
    if (this.digests.size > 0) set.digests = this.lineAnswers();
    if (this.timings.length > 0) set.serverTimings = this.aggregateTimings(cutMs);
    // A lateness sample is stamped when its arrival started, before the request's own (response-end)
    // timestamp: without a warm-up every one is kept, even those before the first response ended.
    const lateness = this.lateness(warmupSeconds > 0 ? cutMs : -Infinity);
    if (lateness) set.startLatenessMs = lateness;
    if (this.controlCalls.length > 0)
      set.controlCalls = [...this.controlCalls].sort((a, b) => a.startMs - b.startMs);
    if (this.customWithoutKey > 0 && this.customJoined === 0) {
      set.warnings.push(warning('impl-not-joined', { samples: this.customWithoutKey }));
    }
    return set;
  }

  private lineAnswers(): LineAnswers[] {
    return [...this.digests.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([line, { endpoint, answers }]) => ({
        line,
        endpoint,
        answers: [...answers.entries()].map(([key, count]) => {
          const space = key.indexOf(' ');
          return { status: Number(key.slice(0, space)), digest: key.slice(space + 1), count };
        }),
      }));
  }

  private emptyColumns(n: number) {
    return {
      latencyMs: new Float64Array(n),
      timestampMs: new Float64Array(n),
      failed: new Uint8Array(n),
      status: new Uint16Array(n),
      endpoint: new Uint16Array(n),
      impl: new Uint8Array(n),
      hotspotMs: new Float64Array(n),
      errorCode: new Uint16Array(n),
    };
  }

  /** Row order by timestamp; identity when the rows already are in order (one k6 process usually is). */
  private timeOrder(): Uint32Array {
    const order = new Uint32Array(this.n);
    let sorted = true;
    for (let i = 0; i < this.n; i++) {
      order[i] = i;
      if (i > 0 && (this.timestampMs[i] ?? 0) < (this.timestampMs[i - 1] ?? 0)) sorted = false;
    }
    if (sorted) return order;
    const ts = this.timestampMs;
    // Array.prototype.sort is stable (ES2019), so equal timestamps keep file order.
    return order.sort((a, b) => (ts[a] ?? 0) - (ts[b] ?? 0) || a - b);
  }

  private aggregateCustom(cutMs: number): ImplServedAggregate[] {
    const byKey = new Map<string, ImplServedAggregate>();
    for (let k = 0; k < this.customN; k++) {
      if ((this.customTs[k] ?? 0) < cutMs) continue;
      const endpoint = this.endpoints[this.customEndpoint[k] ?? 0] ?? '';
      const impl = this.impls[this.customImpl[k] ?? 0] ?? '';
      const key = `${endpoint}\u0000${impl}`;
      let agg = byKey.get(key);
      if (!agg) {
        agg = { endpoint, impl, served: 0, hotspotSamples: 0, hotspotMsSum: 0 };
        byKey.set(key, agg);
      }
      const value = this.customValue[k] ?? 0;
      if (this.customKind[k] === CUSTOM_SERVED) agg.served += value;
      else {
        agg.hotspotSamples++;
        agg.hotspotMsSum += value;
      }
    }
    return [...byKey.values()].sort((a, b) =>
      a.endpoint === b.endpoint ? a.impl.localeCompare(b.impl) : a.endpoint.localeCompare(b.endpoint),
    );
  }

  private spanSeconds(): string {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < this.n; i++) {
      const t = this.timestampMs[i] ?? 0;
      lo = Math.min(lo, t);
      hi = Math.max(hi, t);
    }
    return ((hi - lo) / 1000).toFixed(1);
  }

  private internImpl(name: string): number {
    return this.intern(this.impls, this.implIndex, name, NO_IMPL - 1, 'implementations');
  }

  private intern(
    list: string[],
    index: Map<string, number>,
    name: string,
    max: number,
    what: string,
  ): number {
    const known = index.get(name);
    if (known !== undefined) return known;
    if (list.length > max) throw new InputError(`${this.file}: more than ${max + 1} distinct ${what}`);
    index.set(name, list.length);
    list.push(name);
    return list.length - 1;
  }

  private growRows(): void {
    this.cap *= 2;
    this.latencyMs = grow(this.latencyMs, this.cap);
    this.timestampMs = grow(this.timestampMs, this.cap);
    this.failed = grow(this.failed, this.cap);
    this.status = grow(this.status, this.cap);
    this.endpoint = grow(this.endpoint, this.cap);
    this.impl = grow(this.impl, this.cap);
    this.hotspotMs = grow(this.hotspotMs, this.cap);
    this.errorCode = grow(this.errorCode, this.cap);
  }

  private growCustom(): void {
    this.customCap *= 2;
    this.customTs = grow(this.customTs, this.customCap);
    this.customValue = grow(this.customValue, this.customCap);
    this.customEndpoint = grow(this.customEndpoint, this.customCap);
    this.customImpl = grow(this.customImpl, this.customCap);
    this.customKind = grow(this.customKind, this.customCap);
  }
}

/**
 * Requests a scenario tags `traffic=no` are control calls, not load (the rollback drill's POST
 * /admin/hotspot): they go to `SampleSet.controlCalls`, never among the run's requests.
 */
export const isControlRequest = (tags: Record<string, string | undefined>): boolean => tags.traffic === 'no';
