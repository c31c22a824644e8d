import type { CheckResult, Comparison, MetricName } from '../../model/index.js';
import { judgedRatioCI, keyOf, minRunsForSignificance, type ComparisonKey } from '../compare.js';
import type { CheckContext, JudgedAt } from './types.js';

/** Helpers shared by the checks that judge a ratio's 95 % CI against a bound. */

export const findComparison = (ctx: CheckContext, key: ComparisonKey): Comparison | undefined =>
  ctx.comparisons.find((c) => keyOf(c) === keyOf(key));

/** The 'not judged' result of a line whose figure is missing from one arm (or has no finite ratio). */
export const missingComparison = (
  base: Pick<CheckResult, 'id' | 'title' | 'text' | 'howJudged'>,
  key: ComparisonKey,
  figures: CheckResult['figures'],
  c: Comparison | undefined,
): CheckResult => ({
  ...base,
  status: 'error',
  figures,
  message: `no comparable ${figureLabel(key)} in both arms`,
  warnings: c?.warnings ?? [],
});

export const lineKey = (
  ctx: JudgedAt,
  line: { metric: MetricName; quantile?: number; endpoint?: string },
): ComparisonKey => {
  const key: ComparisonKey = { phase: ctx.phase, endpoint: line.endpoint ?? '*', metric: line.metric };
  if (line.metric === 'latencyMs') key.quantile = line.quantile ?? ctx.plan.slo.quantile;
  return key;
};

/** "+12.3 %" / "−30.0 %" for a relative change. */
export const pct = (change: number): string =>
  Number.isNaN(change)
    ? 'n/a'
    : Number.isFinite(change)
      ? `${change < 0 ? '−' : '+'}${Math.abs(change * 100).toFixed(1)} %`
      : '+∞';

export const figureLabel = (key: ComparisonKey): string =>
  `${key.metric === 'latencyMs' ? `p${+((key.quantile ?? 0.99) * 100).toFixed(3)} latency` : key.metric} (${
    key.endpoint === '*' ? 'all requests' : key.endpoint
  }, ${key.phase})`;

export const runsPerArm = (c: Comparison): number =>
  Math.min(c.baseline.values.length, c.candidate.values.length);

/**
 * Runs per arm at which the CI of the ratio would likely stop straddling `boundRatio`, from the
 * observed run-to-run spread: the CI half-width shrinks like 1/√n (in log space, where the ratio's
 * bootstrap distribution is roughly symmetric), so n' = n·(h/d)² with h the observed half-width and d
 * the distance of the estimate from the bound. At least what the exact test needs to reach p < 0.05.
 * null when the estimate sits on the bound (no number of runs would settle it) or is not finite.
 * A power-style rule of thumb, not a guarantee: the spread itself is estimated from few runs.
 */
export const runsToSettle = (c: Comparison, boundRatio: number, familySize = 1): number | null => {
  const [lo, hi] = c.ratioCI95;
  if (!(lo > 0 && hi > 0 && c.ratio > 0 && boundRatio > 0)) return null;
  const h = (Math.log(hi) - Math.log(lo)) / 2;
  const d = Math.abs(Math.log(c.ratio) - Math.log(boundRatio));
  if (d < 1e-9) return null;
  const n = runsPerArm(c);
  const needed = Math.ceil(n * (h / d) ** 2);
  return Math.max(needed, minRunsForSignificance(familySize), n + 1);
};

/** The figures of a CI-judged check; an unbounded CI side is null (JSON has no infinity). */
export const ciFigures = (c: Comparison): Record<string, number | null> => {
  const [lo, hi] = judgedRatioCI(c);
  return {
    ratio: c.ratio,
    change: c.ratio - 1,
    changeCI95Low: lo > 0 ? lo - 1 : null,
    changeCI95High: Number.isFinite(hi) ? hi - 1 : null,
    bootstrapChangeCI95Low: c.ratioCI95[0] - 1,
    bootstrapChangeCI95High: c.ratioCI95[1] - 1,
    pValue: c.pValue,
    pAdjusted: c.pAdjusted,
    runsBaseline: c.baseline.values.length,
    runsCandidate: c.candidate.values.length,
  };
};

export const verdictFamilySize = (ctx: CheckContext): number =>
  ctx.comparisons.filter((c) => c.family === 'verdict').length;

/** "−12.3 % [−20.1 %, −4.0 %]", or "… [CI unbounded: k runs per arm]" when too few runs bound it. */
export const ciText = (c: Comparison, lo: number, hi: number): string =>
  lo > 0 && Number.isFinite(hi)
    ? `${pct(c.ratio - 1)} [${pct(lo - 1)}, ${pct(hi - 1)}]`
    : `${pct(c.ratio - 1)} [95 % CI unbounded with ${runsPerArm(c)} runs per arm]`;
