// When each request starts. k6's arrival-rate executors space arrivals evenly (`uniform`), which hides
// queueing: production arrivals are bursty, Poisson at best. `poisson` draws exponential gaps from a
// seeded generator (the same schedule for both arms of a trial, from the plan's seed); `replay` uses the
// capture's own `atMs` timestamps (corpus field), their gaps scaled so each stage keeps its rate.
//
// The open model holds for the scheduled kinds too: the schedule is fixed before the run, every VU takes
// the next scheduled arrival (k6 `shared-iterations` hands out iteration numbers in order), sleeps until
// its time and sends; a slow answer never moves a later start. When every VU is busy an arrival starts
// late; one later than MAX_LATE_MS is not sent and counts in k6's own `dropped_iterations`, as the
// arrival-rate executors count an arrival they had no VU for. Every start's lateness (actual − scheduled,
// ms) goes to the Trend `start_lateness_ms`.
//
// This file is pure apart from the k6 part at the bottom, so the generator can be tested outside k6.

/** How arrivals are timed within a phase. */
export const ARRIVALS = ['uniform', 'poisson', 'replay'] as const;
export type Arrivals = (typeof ARRIVALS)[number];

/** A stretch of constant offered rate. */
export interface Stage {
  rateRps: number;
  seconds: number;
}

/**
 * mulberry32 (Tommy Ettinger's 32-bit generator, public domain): small, fast and seeded, enough for
 * arrival gaps. Returns uniforms in [0, 1).
 */
export const mulberry32 = (seed: number): (() => number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

/**
 * Start offsets (ms from the phase start, increasing) of a Poisson process whose rate is constant within
 * each stage: gaps are exponential with mean 1000 / rate (inverse transform, −ln(1 − u) / λ). The process
 * is memoryless, so a stage simply starts its own draws at its first millisecond.
 */
export const poissonOffsetsMs = (stages: Stage[], seed: number): number[] => {
  const u = mulberry32(seed);
  const out: number[] = [];
  let stageStart = 0;
  for (const { rateRps, seconds } of stages) {
    const end = stageStart + seconds * 1000;
    if (rateRps > 0) {
      let t = stageStart;
      for (;;) {
        t += (-Math.log(1 - u()) * 1000) / rateRps;
        if (t >= end) break;
        out.push(t);
      }
    }
    stageStart = end;
  }
  return out;
};

/**
 * Start offsets that replay a capture's timing: the gaps between successive `atMs` of the corpus (in
 * corpus order, cycling; the wrap-around gap is the capture's mean gap), each stage's gaps scaled so the
 * stage's mean rate is its `rateRps`. Request i of the run is corpus line i mod N, so each line keeps the
 * gap that preceded it in the capture.
 */
export const replayOffsetsMs = (stages: Stage[], atMs: number[]): number[] => {
  if (atMs.length < 2) throw new Error('arrivals replay: the corpus needs at least two "atMs" timestamps');
  const gaps = atMs.slice(1).map((t, i) => t - atMs[i]!);
  if (gaps.some((g) => !(g >= 0))) throw new Error('arrivals replay: corpus "atMs" must not decrease');
  const meanGap = (atMs[atMs.length - 1]! - atMs[0]!) / gaps.length;
  if (!(meanGap > 0)) throw new Error('arrivals replay: corpus "atMs" span no time');
  gaps.push(meanGap); // from the last line back to the first
  const out: number[] = [];
  let stageStart = 0;
  let k = 0;
  for (const { rateRps, seconds } of stages) {
    const end = stageStart + seconds * 1000;
    if (rateRps > 0) {
      const scale = 1000 / rateRps / meanGap;
      let t = stageStart;
      for (;;) {
        t += gaps[k % gaps.length]! * scale;
        if (t >= end) break;
        out.push(t);
        k++;
      }
    }
    stageStart = end;
  }
  return out;
};

/** The schedule for a phase, or undefined for `uniform` (k6's own executors time it). */
export const scheduleOffsetsMs = (
  kind: Arrivals,
  stages: Stage[],
  seed: number,
  atMs: () => number[],
): number[] | undefined => {
  if (kind === 'uniform') return undefined;
  return kind === 'poisson' ? poissonOffsetsMs(stages, seed) : replayOffsetsMs(stages, atMs());
};
