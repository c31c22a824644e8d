import type { CheckResult, Comparison, MetricName } from '../../model/index.js';
import { judgedRatioCI, type ComparisonKey } from '../compare.js';
import {
  ciFigures,
  ciText,
  figureLabel,
  findComparison,
  lineKey,
  missingComparison,
  runsToSettle,
  verdictFamilySize,
} from './ci.js';
import { dropTestsOf, judgeAtLook, sequentialHowJudged } from './sequential.js';
import { SETTLE, type CheckDefinition, type CheckMeta } from './types.js';

/**
 * The one judge of every claim about a candidate/baseline ratio: find the line's comparison, then set
 * the ratio's 95 % CI (the wider of bootstrap and rank CI, `judgedRatioCI`) against the region of
 * ratios in which the claim holds (Kayenta's habit: a shift against a tolerance, not a bare p-value):
 *  - pass: the whole CI lies inside the region (and the optional `gate`, e.g. a p-value, lets it);
 *  - fail: the whole CI lies outside it;
 *  - warn (inconclusive): the CI overlaps an edge, with how many runs per arm would likely settle it;
 *  - error: the figure is missing from an arm, or has no finite ratio.
 * A check of this kind is a spec: its region, its figures and its words. `change`, `flat` and the stop
 * rule are three such specs.
 */

/** Ratios (candidate/baseline) in which a claim holds; ±Infinity for an open side. */
export interface Region {
  low: number;
  high: number;
}

export interface IntervalSpec<L extends { id: string; text: string; metric: MetricName }> {
  meta: CheckMeta<L>;
  region: (line: L) => Region;
  /** The line's own numbers, beside the CI figures (also on an error result), e.g. `{ bound: −0.3 }`. */
  figures: (line: L) => Record<string, number>;
  /** The edge an inconclusive CI must clear, for the runs-to-settle estimate (default: the finite one). */
  settleEdge?: (line: L, c: Comparison, region: Region) => number;
  /** Why a CI inside the region still does not pass (e.g. the p-value is too high), or undefined. */
  gate?: (line: L, c: Comparison) => string | undefined;
  /** Words before the CI in every message, e.g. "change " (default none). */
  ciPrefix?: string;
  /** The message after "<CI>: " for each outcome; warn's `gated` is the gate's reason, if it blocked a pass. */
  says: {
    pass: (line: L) => string;
    fail: (line: L) => string;
    warn: (line: L, gated: string | undefined) => string;
  };
}

const finiteEdge = (_line: unknown, _c: Comparison, r: Region): number =>
  Number.isFinite(r.high) ? r.high : r.low;

/** Builds the CheckDefinition of an interval-against-bound claim from its spec. */
export const intervalCheck = <L extends { id: string; text: string; metric: MetricName }>(
  spec: IntervalSpec<L>,
): CheckDefinition<L> => ({
  meta: spec.meta,
  judges: (line, at): ComparisonKey[] => [lineKey(at, line)],
  dropTests: (line) => dropTestsOf(spec.region(line)),
  judge: (line, ctx): CheckResult => {
    const key = lineKey(ctx, line);
    const base = {
      id: line.id,
      title: line.text,
      text: line.text,
      howJudged: ctx.sequential
        ? sequentialHowJudged(figureLabel(key), spec.region(line), ctx.sequential)
        : spec.meta.howJudged(line, ctx),
    };
    const c = findComparison(ctx, key);
    if (!c || !Number.isFinite(c.ratio)) return missingComparison(base, key, spec.figures(line), c);
    const region = spec.region(line);
    const [lo, hi] = judgedRatioCI(c);
    const figures = { ...ciFigures(c), ...spec.figures(line) };
    const ci = `${spec.ciPrefix ?? ''}${ciText(c, lo, hi)}`;
    // An open side is not compared, so a NaN end of the CI cannot pass on it by accident.
    const inside =
      (region.low === -Infinity || lo >= region.low) && (region.high === Infinity || hi <= region.high);
    const gated = inside ? spec.gate?.(line, c) : undefined;
    const result = (status: CheckResult['status'], says: string, fig = figures): CheckResult => ({
      ...base,
      status,
      figures: fig,
      message: `${ci}: ${says}`,
      warnings: c.warnings,
    });
    if (ctx.sequential) {
      const says = {
        pass: spec.says.pass(line),
        fail: spec.says.fail(line),
        warn: spec.says.warn(line, undefined),
      };
      return judgeAtLook(
        c,
        region,
        ctx.sequential,
        (status, text, fig) => ({
          ...base,
          status,
          figures: fig,
          message: `${spec.ciPrefix ?? ''}${text}: ${status === 'pass' ? says.pass : status === 'fail' ? says.fail : says.warn}`,
          warnings: c.warnings,
        }),
        (spec.settleEdge ?? finiteEdge)(line, c, region),
        { ...ciFigures(c), ...spec.figures(line) },
      );
    }
    if (inside && gated === undefined) return result('pass', spec.says.pass(line));
    if (lo > region.high || hi < region.low) return result('fail', spec.says.fail(line));
    const edge = (spec.settleEdge ?? finiteEdge)(line, c, region);
    const settle = runsToSettle(c, edge, verdictFamilySize(ctx));
    return result(
      'warn',
      `${spec.says.warn(line, gated)}${settle !== null ? ` (about ${settle} runs per arm would settle it)` : ''}`,
      { ...figures, [SETTLE]: settle },
    );
  },
});

/** The region of a one-sided claim about a ratio bound: at least it (higher is better) or at most it. */
export const atLeastOrAtMost = (bound: number, atLeast: boolean): Region =>
  atLeast ? { low: bound, high: Infinity } : { low: -Infinity, high: bound };
