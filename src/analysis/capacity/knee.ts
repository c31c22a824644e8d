import type { CapacityEstimate, SampleSet, Slo, Warning } from '../../model/index.js';
import { isResponse, warning } from '../../model/index.js';
import { median, quantile, sortedCopy } from '../stats/index.js';

/**
 * The capacity knee of one configuration from its ramp runs: the offered rate of the highest plateau
 * that still meets the SLO, below the first plateau that does not. A plateau is ok when its SLO
 * quantile ≤ the SLO latency, its error rate ≤ the SLO's bound and the achieved rate ≥ 97 % of the
 * offered rate (an open-model generator falling behind means the service is saturating or the
 * generator is; either way the plateau is not sustainable). Stopping at the first failing plateau is
 * the conservative reading: a lucky pass above a failure is noise, not capacity.
 *
 * With several ramp runs per configuration each plateau's figures are the median across runs.
 * Plateau boundaries come from the driver's stages when ingest knows them, else from the plan's steps
 * laid end to end from the first measured request (the ramp scenario runs its warm-up at the first
 * step's rate before the steps, and ingest trims it).
 */

export const ACHIEVED_SHARE_MIN = 0.97;

export interface RampStep {
  rateRps: number;
  durationSeconds: number;
}

export type StepFigures = CapacityEstimate['steps'][number];

/** Plateau windows of one run, absolute milliseconds. */
export const stepWindows = (
  samples: SampleSet,
  steps: RampStep[],
): { startMs: number; endMs: number; rateRps: number }[] => {
  if (samples.stages && samples.stages.length > 0) return samples.stages;
  let t = Infinity;
  for (let i = 0; i < samples.n; i++) t = Math.min(t, samples.timestampMs[i]!);
  return steps.map((s) => {
    const w = { startMs: t, endMs: t + s.durationSeconds * 1000, rateRps: s.rateRps };
    t = w.endMs;
    return w;
  });
};

/** Figures of each plateau of one run. */
export const stepFigures = (samples: SampleSet, steps: RampStep[], slo: Slo): StepFigures[] =>
  stepWindows(samples, steps).map((w) => {
    const latencies: number[] = [];
    let n = 0;
    let errors = 0;
    for (let i = 0; i < samples.n; i++) {
      const t = samples.timestampMs[i]!;
      if (t < w.startMs || t >= w.endMs) continue;
      n++;
      if (samples.failed[i]) errors++;
      if (isResponse(samples, i)) latencies.push(samples.latencyMs[i]!);
    }
    const achievedRps = n / ((w.endMs - w.startMs) / 1000);
    const p99Ms = quantile(sortedCopy(latencies), slo.quantile);
    const errorRate = n > 0 ? errors / n : 1;
    return {
      offeredRps: w.rateRps,
      achievedRps,
      p99Ms,
      errorRate,
      ok: isOk(w.rateRps, achievedRps, p99Ms, errorRate, slo),
    };
  });

const isOk = (offered: number, achieved: number, pMs: number, errorRate: number, slo: Slo): boolean =>
  Number.isFinite(pMs) &&
  pMs <= slo.latencyMs &&
  errorRate <= slo.maxErrorRate &&
  achieved >= ACHIEVED_SHARE_MIN * offered;

/** Median across runs, plateau by plateau (runs must share the plan's steps). */
export const mergeRuns = (runs: StepFigures[][], slo: Slo): StepFigures[] => {
  const count = Math.min(...runs.map((r) => r.length));
  if (runs.length === 0 || !Number.isFinite(count)) return [];
  const out: StepFigures[] = [];
  for (let k = 0; k < count; k++) {
    const at = runs.map((r) => r[k]!);
    const offeredRps = at[0]!.offeredRps;
    const achievedRps = median(at.map((x) => x.achievedRps));
    const p99Ms = median(at.map((x) => x.p99Ms));
    const errorRate = median(at.map((x) => x.errorRate));
    out.push({
      offeredRps,
      achievedRps,
      p99Ms,
      errorRate,
      ok: isOk(offeredRps, achievedRps, p99Ms, errorRate, slo),
    });
  }
  return out;
};

export interface Knee {
  kneeRps?: number;
  /** When even the lowest plateau misses the SLO: capacity is below this rate (an upper bound, not a knee). */
  kneeBelowRps?: number;
  /** True when every plateau met the SLO: kneeRps is the top step, a lower bound on the knee. */
  kneeIsLowerBound?: boolean;
  /** What kneeBelowRps was measured at, for the warning ("probe" for a search; default "ramp step"). */
  lowest?: string;
  /** Size by this knee alone (a capacity search measured it), the CPU-based estimate shown beside it. */
  sizeByKnee?: boolean;
  steps: StepFigures[];
  warnings: Warning[];
}

/** The knee from the merged plateaus of one configuration. */
export const findKnee = (steps: StepFigures[], slo: Slo): Knee => {
  const warnings: Warning[] = [];
  if (steps.length === 0) {
    return {
      steps,
      warnings: [warning('no-ramp')],
    };
  }
  const firstBad = steps.findIndex((s) => !s.ok);
  const pLabel = `p${+(slo.quantile * 100).toFixed(3)}`;
  if (firstBad === 0) {
    warnings.push(
      warning('knee-below-ramp', {
        lowestRps: steps[0]!.offeredRps,
        quantile: pLabel,
        latencyMs: slo.latencyMs,
        maxErrorRate: slo.maxErrorRate,
      }),
    );
    return { kneeBelowRps: steps[0]!.offeredRps, steps, warnings };
  }
  const last = firstBad === -1 ? steps[steps.length - 1]! : steps[firstBad - 1]!;
  if (firstBad === -1) {
    warnings.push(warning('knee-not-reached', { highestRps: last.offeredRps }));
  }
  return {
    kneeRps: last.offeredRps,
    ...(firstBad === -1 ? { kneeIsLowerBound: true } : {}),
    steps,
    warnings,
  };
};
