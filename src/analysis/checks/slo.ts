import type { CheckResult, SloPassLine, Summary } from '../../model/index.js';
import { median } from '../stats/index.js';
import { CAN_STILL_PASS } from '../sequential.js';
import type { CheckDefinition } from './types.js';

/**
 * "Meets the SLO": the candidate's SLO quantile and error rate on the judged steady phase, run by
 * run. Pass when every candidate run meets both bounds; fail when the median run misses either (the
 * typical run breaks the SLO); otherwise (some runs miss) inconclusive. The baseline's figures are
 * given beside for context; whether the baseline meets the SLO does not change this line. A candidate
 * run that failed, or did not take the offered load (ctx.suspectRuns), counts as missing the SLO: a
 * service that dies or falls behind does not meet it, whatever its surviving runs show.
 */
/** Stand-in latency of a failed or overloaded run (finite, so the type-7 median interpolates). */
const MISSED = 1e300;

export const slo: CheckDefinition<SloPassLine> = {
  meta: {
    id: 'slo',
    title: 'Candidate meets the SLO',
    howJudged: (line, ctx) =>
      `pass when every candidate run has p${+(ctx.plan.slo.quantile * 100).toFixed(3)} ≤ ${ctx.plan.slo.latencyMs} ms and error rate ≤ ${
        ctx.plan.slo.maxErrorRate * 100
      } % on ${line.endpoint ?? 'all requests'} (${ctx.phase}); fail when the median run misses; otherwise inconclusive`,
  },
  judge: (line, ctx): CheckResult => {
    const { quantile, latencyMs, maxErrorRate } = ctx.plan.slo;
    const endpoint = line.endpoint ?? '*';
    const of = (role: 'baseline' | 'candidate') =>
      ctx.summaries.filter((s) => s.role === role && s.phase === ctx.phase && s.endpoint === endpoint);
    const cand = of('candidate');
    const suspect = (ctx.suspectRuns ?? []).filter((r) => r.role === 'candidate');
    const isSuspect = (s: Summary): boolean => suspect.some((r) => r.runId === s.runId);
    const unmeasured = suspect.filter((r) => !cand.some((s) => s.runId === r.runId)).length;
    const base = {
      id: line.id,
      title: line.text,
      text: line.text,
      howJudged: slo.meta.howJudged(line, ctx),
      warnings: [],
    };
    const lat = (s: (typeof cand)[number]): number => s.quantilesMs[String(quantile)] ?? NaN;
    if (cand.length === 0 && unmeasured === 0) {
      return {
        ...base,
        status: 'error',
        figures: {},
        message: `no candidate run of ${ctx.phase} on ${endpoint}`,
      };
    }
    const latencies = cand.map(lat);
    const errorRates = cand.map((s) => s.errorRate);
    // For the decision a suspect run enters the median as a latency far beyond any SLO (it missed it).
    const judgedLatencies = [
      ...cand.map((s) => (isSuspect(s) ? MISSED : lat(s))),
      ...Array<number>(unmeasured).fill(MISSED),
    ];
    const missing =
      unmeasured +
      cand.filter((s) => isSuspect(s) || !(lat(s) <= latencyMs && s.errorRate <= maxErrorRate)).length;
    const runs = cand.length + unmeasured;
    const baseRuns = of('baseline');
    const figures: Record<string, number | string | null> = {
      latencyMsMedian: cand.length ? median(latencies) : null,
      latencyMsMax: cand.length ? Math.max(...latencies) : null,
      errorRateMedian: cand.length ? median(errorRates) : null,
      sloLatencyMs: latencyMs,
      sloMaxErrorRate: maxErrorRate,
      runs,
      runsMissing: missing,
      baselineLatencyMsMedian: baseRuns.length ? median(baseRuns.map(lat)) : null,
    };
    if (suspect.length > 0) figures.runsSuspect = suspect.length;
    const p = `p${+(quantile * 100).toFixed(3)}`;
    const text =
      cand.length === 0
        ? 'no measured candidate run'
        : `${p} median ${median(latencies).toFixed(1)} ms (max ${Math.max(...latencies).toFixed(1)}), errors ${(
            median(errorRates) * 100
          ).toFixed(2)} %`;
    if (missing === 0)
      return { ...base, status: 'pass', figures, message: `${text}: every run within the SLO` };
    if (median(judgedLatencies) > latencyMs || (cand.length > 0 && median(errorRates) > maxErrorRate)) {
      return { ...base, status: 'fail', figures, message: `${text}: the median run misses the SLO` };
    }
    // Under a look schedule: a run that missed stays missed, so "every run within" cannot pass later.
    if (ctx.sequential) figures[CAN_STILL_PASS] = 0;
    return {
      ...base,
      status: 'warn',
      figures,
      message: `${text}: ${missing} of ${runs} runs miss the SLO${
        suspect.length > 0
          ? ` (${suspect.map((r) => r.runId).join(', ')} failed or missed the offered load)`
          : ''
      }`,
    };
  },
};
