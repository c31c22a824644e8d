// The k6 side of scenarios/lib/arrivals.ts: turns a phase's stages into a k6 scenario and paces the
// default function by the schedule when ARRIVALS is `poisson` or `replay` (`uniform` leaves both to k6's
// arrival-rate executors, as before).
//   ARRIVALS       uniform (default) | poisson | replay
//   ARRIVALS_SEED  seed of the Poisson schedule (hotswap passes the plan's seed: both arms get the same)
//   MAX_LATE_MS    an arrival that cannot start within this many ms of its time is dropped (default 100)
import { sleep } from 'k6';
import { SharedArray } from 'k6/data';
import exec from 'k6/execution';
import { Counter, Trend } from 'k6/metrics';
import type { Scenario } from 'k6/options';
import { ARRIVALS, scheduleOffsetsMs, type Arrivals, type Stage } from './arrivals.ts';
import { gracefulStop } from './config.ts';
import { corpus } from './corpus.ts';

export const arrivals = (): Arrivals => {
  const v = __ENV.ARRIVALS ?? 'uniform';
  if (!(ARRIVALS as readonly string[]).includes(v))
    throw new Error(`scenario: ARRIVALS must be one of ${ARRIVALS.join(', ')}, got "${v}"`);
  return v as Arrivals;
};

const number = (name: string, fallback: number): number => {
  const n = Number(__ENV[name] ?? fallback);
  if (!Number.isFinite(n) || n < 0) throw new Error(`scenario: ${name} must be a non-negative number`);
  return n;
};

// Same name as k6's built-in counter: k6 adds these to its own `dropped_iterations` (summary and output).
const dropped = new Counter('dropped_iterations');
const lateness = new Trend('start_lateness_ms');

let schedule: number[] | undefined;

const MAX_LATE_MS = number('MAX_LATE_MS', 100);
// Fetched on a VU's first iteration and kept: k6's `exec.scenario` builds a new object on every access
// (its getters read the live state).
let scenario: typeof exec.scenario | undefined;

/**
 * The k6 scenario for `stages`: `uniform` as given, else `shared-iterations` over the schedule, one
 * iteration per arrival, with MAX_VUS VUs (default: a quarter second of the peak rate, at least 20, as
 * PRE_VUS for the arrival-rate executors). shared-iterations starts every VU before the first arrival,
 * and each runs the script's init code on the generator's core: keep that code light.
 */
export const timedScenario = (name: string, stages: Stage[], uniform: Scenario): Scenario => {
  const kind = arrivals();
  if (kind === 'uniform') return uniform;
  // Drawn inside the SharedArray's callback, which k6 runs once per process: every other VU's init reads
  // the shared copy. Drawn outside it, every VU computed the whole schedule again: at 700 rps, 175 VUs
  // × 21 000 draws took ~20 s of k6's core before a 30 s run could start.
  schedule = new SharedArray(
    `arrivals-${name}`,
    () =>
      scheduleOffsetsMs(kind, stages, number('ARRIVALS_SEED', 1), () =>
        corpus.map((r) => {
          if (typeof r.atMs !== 'number')
            throw new Error('scenario: ARRIVALS=replay needs "atMs" on every corpus line');
          return r.atMs;
        }),
      ) ?? [],
  );
  const seconds = stages.reduce((s, x) => s + x.seconds, 0);
  const peak = Math.max(...stages.map((s) => s.rateRps));
  const vus = Math.max(1, Math.min(schedule.length, number('MAX_VUS', Math.max(20, Math.ceil(peak / 4)))));
  return {
    executor: 'shared-iterations',
    vus,
    iterations: Math.max(1, schedule.length),
    // The last arrival is scheduled before `seconds`; the extra second lets it start on time.
    maxDuration: `${Math.ceil(seconds) + 1}s`,
    gracefulStop: gracefulStop(),
  };
};

/** Paces `send` by the schedule (when there is one): sleep until the arrival's time, then send. */
export const paced =
  (send: (i: number) => void): (() => void) =>
  () => {
    scenario ??= exec.scenario;
    const i = scenario.iterationInTest;
    const offset = schedule?.[i];
    if (offset === undefined) {
      if (!schedule) send(i);
      return;
    }
    const at = scenario.startTime + offset;
    const wait = at - Date.now();
    if (wait > 0) sleep(wait / 1000);
    const late = Math.max(0, Date.now() - at);
    lateness.add(late);
    if (late > MAX_LATE_MS) {
      dropped.add(1);
      return;
    }
    send(i);
  };
