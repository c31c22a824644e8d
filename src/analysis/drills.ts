import type { ControlCall, DrillResult, RunRecord, SampleSet, TimeseriesEvent } from '../model/index.js';
import { NO_IMPL } from './summarize.js';

/**
 * The drills' measured times, from the responses alone (each says which path served it in
 * `X-Hotspot-Impl`) and the drill's own control calls (POST /admin/hotspot, tagged `traffic=no`, kept in
 * `SampleSet.controlCalls` in time order). A k6 response row's timestamp is the moment the response
 * ended, so a request spans [timestamp − latency, timestamp].
 *
 * Fault drill (first control call = injection, second = clearing):
 * - trip: injection call start → end of the first `go-breaker` response after it (the breaker was open
 *   by then: an upper bound on the true trip time, by at most one request's latency);
 * - recovery: clearing call start → end of the first `rust` response that started after the clearing
 *   began and after the last `go-breaker` response ended (Rust serving again for good, not a half-open
 *   probe followed by another open spell);
 * - Go share meanwhile: share of hotspot responses served by Go (go-breaker, go-fallback, go) between
 *   injection and recovery.
 *
 * Rollback drill (first control call = flip to Go, second = flip back):
 * - rollbackMs: flip call start → the later of the flip call's answer and the end of the last `rust`
 *   response before the flip back (Rust is off once the service acknowledged the flip and no Rust answer
 *   is still in flight; null when Rust served nothing before the flip: nothing to roll back);
 * - allGoMs: flip call start → start of the first Go-served response that began after the last Rust one
 *   began (from then on every hotspot request went to Go).
 *
 * Failed requests count every failed row of the run (non-2xx or transport error). A drill whose control
 * calls are missing or were refused has null times. Pure.
 */

/** The drill kind of a phase's scenario, if it is one. */
export const drillKindOf = (scenario: string): DrillResult['kind'] | undefined =>
  scenario === 'fault-drill' ? 'fault' : scenario === 'rollback' ? 'rollback' : undefined;

interface Row {
  startMs: number;
  endMs: number;
  impl: string | undefined;
}

const rowsOf = (s: SampleSet): Row[] => {
  const out: Row[] = [];
  for (let i = 0; i < s.n; i++) {
    const k = s.impl[i]!;
    out.push({
      startMs: s.timestampMs[i]! - s.latencyMs[i]!,
      endMs: s.timestampMs[i]!,
      impl: k === NO_IMPL ? undefined : s.impls[k],
    });
  }
  return out.sort((a, b) => a.endMs - b.endMs);
};

const isGo = (impl: string | undefined): boolean => impl !== undefined && impl.startsWith('go');
const failedOf = (s: SampleSet): number => {
  let n = 0;
  for (let i = 0; i < s.n; i++) n += s.failed[i]!;
  return n;
};
/** The successful control calls, in time order (a refused one did not change the service). */
const callsOf = (s: SampleSet): ControlCall[] =>
  (s.controlCalls ?? []).filter((c) => c.status >= 200 && c.status < 300);
const round = (x: number, digits: number): number => Number(x.toFixed(digits));

export interface DrillAnalysis {
  drill: DrillResult;
  /** Moments to mark on the run's timeline, seconds after its first response ended. */
  events: TimeseriesEvent[];
}

export const analyseFaultDrill = (runId: string, s: SampleSet): DrillAnalysis => {
  const rows = rowsOf(s);
  const t0 = rows[0]?.endMs ?? 0;
  const [inject, clear] = callsOf(s);
  const drill: DrillResult = {
    kind: 'fault',
    runId,
    failedRequests: failedOf(s),
    tripSeconds: null,
    recoverySeconds: null,
    rollbackMs: null,
    goShare: null,
  };
  const events: TimeseriesEvent[] = [];
  const mark = (atMs: number, label: string): void => {
    events.push({ tSeconds: round((atMs - t0) / 1000, 3), label });
  };
  if (!inject) return { drill, events };
  mark(inject.startMs, 'faults injected');
  const trip = rows.find((r) => r.impl === 'go-breaker' && r.endMs >= inject.startMs);
  if (trip) {
    drill.tripSeconds = round((trip.endMs - inject.startMs) / 1000, 3);
    mark(trip.endMs, 'breaker open');
  }
  if (!clear) return { drill, events };
  mark(clear.startMs, 'faults cleared');
  const lastOpen = rows.reduce((t, r) => (r.impl === 'go-breaker' ? Math.max(t, r.endMs) : t), -Infinity);
  const from = Math.max(clear.startMs, lastOpen);
  const back = trip ? rows.find((r) => r.impl === 'rust' && r.startMs >= from) : undefined;
  if (back) {
    drill.recoverySeconds = round((back.endMs - clear.startMs) / 1000, 3);
    mark(back.endMs, 'Rust again');
  }
  const until = back?.endMs ?? Infinity;
  const meanwhile = rows.filter((r) => r.impl !== undefined && r.endMs >= inject.startMs && r.endMs <= until);
  if (meanwhile.length > 0)
    drill.goShare = round(meanwhile.filter((r) => isGo(r.impl)).length / meanwhile.length, 4);
  return { drill, events };
};

export const analyseRollbackDrill = (runId: string, s: SampleSet): DrillAnalysis => {
  const rows = rowsOf(s);
  const [flip, flipBack] = callsOf(s);
  const drill: DrillResult = {
    kind: 'rollback',
    runId,
    failedRequests: failedOf(s),
    tripSeconds: null,
    recoverySeconds: null,
    rollbackMs: null,
    allGoMs: null,
  };
  // No timeline marks: the chart marks the flips already, and the rollback takes milliseconds.
  const events: TimeseriesEvent[] = [];
  if (!flip) return { drill, events };
  const until = flipBack?.startMs ?? Infinity;
  const rust = rows.filter((r) => r.impl === 'rust' && r.startMs < until);
  if (!rust.some((r) => r.startMs < flip.startMs)) return { drill, events };
  const lastEnd = Math.max(...rust.map((r) => r.endMs));
  drill.rollbackMs = round(Math.max(lastEnd, flip.endMs) - flip.startMs, 1);
  const lastStart = Math.max(...rust.map((r) => r.startMs));
  const firstAllGo = rows
    .filter((r) => isGo(r.impl) && r.startMs > lastStart && r.startMs >= flip.startMs && r.startMs < until)
    .sort((a, b) => a.startMs - b.startMs)[0];
  if (firstAllGo) drill.allGoMs = round(Math.max(0, firstAllGo.startMs - flip.startMs), 1);
  return { drill, events };
};

/** The drills of the candidate's ok runs, in run order, with their timeline marks by run id. */
export const buildDrills = (
  runs: readonly { run: RunRecord; samples: SampleSet }[],
): { drills: DrillResult[]; events: Map<string, TimeseriesEvent[]> } => {
  const drills: DrillResult[] = [];
  const events = new Map<string, TimeseriesEvent[]>();
  for (const { run, samples } of runs) {
    // The baseline has no Rust path to trip or roll back: its drill runs only show the same load on Go.
    if (run.role !== 'candidate') continue;
    const kind = drillKindOf(run.scenario);
    if (!kind) continue;
    const a = kind === 'fault' ? analyseFaultDrill(run.id, samples) : analyseRollbackDrill(run.id, samples);
    drills.push(a.drill);
    if (a.events.length > 0) events.set(run.id, a.events);
  }
  return { drills, events };
};
