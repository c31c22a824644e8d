import type { CheckResult, Comparison } from '../../model/index.js';
import { boundPValue, rankRatioCI } from '../compare.js';
import { CAN_STILL_PASS, type SequentialLook } from '../sequential.js';
import { bestCaseP, rejectsAt, repeatedCILevel } from '../stats/group-sequential.js';
import { pct, runsToSettle } from './ci.js';
import { SETTLE } from './types.js';

/**
 * The sequential judge of a ratio claim at one look (issue 10; design in stats/group-sequential.ts).
 * A claim holds in a region of ratios (candidate/baseline) with one or two finite edges; each edge is a
 * one-sided exact Mann-Whitney test of the runs against that bound (`boundPValue`):
 *  - pass: every edge's test toward the region gives p ≤ c_k, the look's level at the full α
 *    (intersection-union: no Holm among pass lines). p ≤ c_k is the repeated rank CI at level 1 − 2c_k
 *    clearing the bound (Jennison & Turnbull 1989), which is the interval shown;
 *  - fail: an edge's test away from the region gives p ≤ d_k, the drop family's level (α split over the
 *    tests that can cause a drop);
 *  - warn (open): neither; `canStillPass` 0 when even every remaining run on the claim's side could not
 *    bring p to a later look's level (`bestCaseP`), so the trial can stop (curtailment).
 */
interface Edge {
  bound: number;
  /** The side of the bound the region lies on. */
  side: 'above' | 'below';
}

const edgesOf = (region: { low: number; high: number }): Edge[] => [
  ...(Number.isFinite(region.low) ? [{ bound: region.low, side: 'above' as const }] : []),
  ...(Number.isFinite(region.high) ? [{ bound: region.high, side: 'below' as const }] : []),
];

/** Finite edges of a region: the one-sided tests by which its claim can fail (the drop family's count). */
export const dropTestsOf = (region: { low: number; high: number }): number => edgesOf(region).length;

const other = (side: 'above' | 'below'): 'above' | 'below' => (side === 'above' ? 'below' : 'above');

/** The sentence saying how a claim is judged at a look. */
export const sequentialHowJudged = (
  figure: string,
  region: { low: number; high: number },
  seq: SequentialLook,
): string => {
  const claim = edgesOf(region)
    .map((e) => `candidate/baseline ${e.side === 'below' ? '<' : '>'} ${e.bound.toPrecision(3)}`)
    .join(' and ');
  const k = seq.look;
  return `sequential, look ${k + 1} of ${seq.looks.length} (${seq.looks[k]} runs per arm, ${seq.pass.spending}-type spending of α ${seq.pass.alpha}): pass when the one-sided exact Mann-Whitney test of ${claim} for ${figure} gives p ≤ ${seq.pass.nominal[k]!.toPrecision(3)} (no Holm among pass lines: keep needs all of them, intersection-union; the repeated rank CI at level ${(repeatedCILevel(seq.pass, k) * 100).toFixed(1)} % clears the bound); fail when the one-sided test of the opposite gives p ≤ ${seq.drop.nominal[k]!.toPrecision(3)} (α/${seq.dropTests} over the tests that can cause a drop); otherwise open`;
};

export const judgeAtLook = (
  c: Comparison,
  region: { low: number; high: number },
  seq: SequentialLook,
  result: (status: CheckResult['status'], ci: string, figures: CheckResult['figures']) => CheckResult,
  settleEdge: number,
  figures: CheckResult['figures'],
): CheckResult => {
  const b = c.baseline.values;
  const x = c.candidate.values;
  const k = seq.look;
  const edges = edgesOf(region);
  const pPass = edges.map((e) => boundPValue(b, x, e.bound, e.side));
  const pFail = edges.map((e) => boundPValue(b, x, e.bound, other(e.side)));
  const passes = pPass.every((p) => rejectsAt(seq.pass, k, p));
  const fails = !passes && pFail.some((p) => rejectsAt(seq.drop, k, p));
  const level = repeatedCILevel(seq.pass, k);
  const [lo, hi] = level > 0 ? rankRatioCI(b, x, level) : [null, null];
  const ci =
    lo !== null && hi !== null
      ? `${pct(c.ratio - 1)} [repeated ${(level * 100).toFixed(1)} % CI ${pct(lo - 1)}, ${pct(hi - 1)}]`
      : `${pct(c.ratio - 1)} [repeated CI unbounded at look ${k + 1}, ${seq.looks[k]} runs per arm]`;
  const pText = `one-sided p ${pPass.map((p) => p.toPrecision(2)).join(' / ')} vs ${seq.pass.nominal[k]!.toPrecision(3)}`;
  const fig: CheckResult['figures'] = {
    ...figures,
    pOneSided: Math.max(...pPass),
    pOneSidedAgainst: Math.min(...pFail),
    nominalLevel: seq.pass.nominal[k]!,
    dropLevel: seq.drop.nominal[k]!,
    repeatedCILevel: level,
    repeatedCILow: lo !== null ? lo - 1 : null,
    repeatedCIHigh: hi !== null ? hi - 1 : null,
  };
  if (passes) return result('pass', `${ci}, ${pText}`, fig);
  if (fails) return result('fail', `${ci}, ${pText}`, fig);
  const later = seq.remainingPerArm;
  const canStillPass =
    later > 0 &&
    edges.every((e) => {
      const scaled = x.map((v) => v / e.bound);
      return bestCaseP(b, scaled, later, e.side === 'below' ? 'greater' : 'less') <= seq.laterPassLevel;
    });
  return result('warn', `${ci}, ${pText}`, {
    ...fig,
    [CAN_STILL_PASS]: canStillPass ? 1 : 0,
    [SETTLE]: runsToSettle(c, settleEdge),
  });
};
