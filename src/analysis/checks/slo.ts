import type { CheckResult, SloPassLine } from '../../model/index.js';
import { median } from '../stats/index.js';
import type { CheckDefinition } from './types.js';

/**
 * "Meets the SLO": the candidate's SLO quantile and error rate on the judged steady phase, run by
 * run. Pass when every candidate run meets both bounds; fail when the median run misses either (the
 * typical run breaks the SLO); otherwise (some runs miss) inconclusive. The baseline's figures are
 * given beside for context; whether the baseline meets the SLO does not change this line.
 */
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
    const base = {
      id: line.id,
      title: line.text,
      text: line.text,
      howJudged: slo.meta.howJudged(line, ctx),
      warnings: [],
    };
    const lat = (s: (typeof cand)[number]): number => s.quantilesMs[String(quantile)] ?? NaN;
    if (cand.length === 0) {
      return {
        ...base,
        status: 'error',
        figures: {},
        message: `no candidate run of ${ctx.phase} on ${endpoint}`,
      };
    }
    const latencies = cand.map(lat);
    const errorRates = cand.map((s) => s.errorRate);
    const missing = cand.filter((s) => !(lat(s) <= latencyMs && s.errorRate <= maxErrorRate)).length;
    const baseRuns = of('baseline');
    const figures: Record<string, number | string | null> = {
      latencyMsMedian: median(latencies),
      latencyMsMax: Math.max(...latencies),
      errorRateMedian: median(errorRates),
      sloLatencyMs: latencyMs,
      sloMaxErrorRate: maxErrorRate,
      runs: cand.length,
      runsMissing: missing,
      baselineLatencyMsMedian: baseRuns.length ? median(baseRuns.map(lat)) : null,
    };
    const p = `p${+(quantile * 100).toFixed(3)}`;
    const text = `${p} median ${median(latencies).toFixed(1)} ms (max ${Math.max(...latencies).toFixed(1)}), errors ${(
      median(errorRates) * 100
    ).toFixed(2)} %`;
    if (missing === 0)
      return { ...base, status: 'pass', figures, message: `${text}: every run within the SLO` };
    if (median(latencies) > latencyMs || median(errorRates) > maxErrorRate) {
      return { ...base, status: 'fail', figures, message: `${text}: the median run misses the SLO` };
    }
    return {
      ...base,
      status: 'warn',
      figures,
      message: `${text}: ${missing} of ${cand.length} runs miss the SLO`,
    };
  },
};
