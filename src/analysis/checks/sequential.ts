import type { CheckResult, Comparison } from '../../model/index.js';
import { boundPValue, rankRatioCI } from '../compare.js';
import { CAN_STILL_PASS, type SequentialLook } from '../sequential.js';
import { bestCaseP, rejectsAt, repeatedCILevel } from '../stats/group-sequential.js';
import { welchBoundPValue, welchInterval } from '../stats/welch.js';
import { pct, runsToSettle } from './ci.js';
import { SETTLE } from './types.js';

/**
 * The sequential judge of a ratio claim at one look (issue 10; design in stats/group-sequential.ts).
 * A claim holds in a region of ratios (candidate/baseline) with one or two finite edges; each edge is
 * judged by two one-sided tests of the runs against that bound, and a side is supported only when both
 * reject:
 *  - the exact Mann-Whitney test (`boundPValue`): exact, distribution-free, but its null hypothesis is
 *    "the two arms' distributions are the same after scaling by the bound", not "the ratio is at the
 *    bound": with arms of unequal spread (baseline p99 6–19 %, candidate scan p99 29–54 % on the
 *    reference service) and the median ratio exactly at the bound its p is not uniform, and the false
 *    keep of the rank test alone was 6.1–6.7 % (bench/sequential-calibration.ts);
 *  - the Welch test on log values (`welchBoundPValue`), whose null hypothesis is the bound itself (the
 *    geometric-mean ratio, which log-normal run noise makes the median ratio) whatever the spreads.
 * Requiring both is an intersection, so the false keep is at most either's: exactly ≤ α under identical
 * distributions (the rank test's group-sequential guarantee is unchanged), and ≤ α up to Welch's
 * approximation when only the spreads differ.
 *  - pass: every edge's two tests toward the region give p ≤ c_k, the look's level at the full α
 *    (intersection-union: no Holm among pass lines). Equivalently the repeated rank CI and the repeated
 *    Welch CI (on logs) at level 1 − 2c_k both clear the bound (Jennison & Turnbull 1989); both shown;
 *  - fail: an edge's two tests away from the region both give p ≤ d_k, the drop family's level (α split
 *    over the tests that can cause a drop);
 *  - warn (open): neither; `canStillPass` 0 when even every remaining run on the claim's side could not
 *    bring the rank p to a later look's level (`bestCaseP`; the intersection cannot pass where the rank
 *    test cannot), so the trial can stop (curtailment).
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
  return `sequential, look ${k + 1} of ${seq.looks.length} (${seq.looks[k]} runs per arm, ${seq.pass.spending}-type spending of α ${seq.pass.alpha}): pass when both the one-sided exact Mann-Whitney test and the one-sided Welch test on log values of ${claim} for ${figure} give p ≤ ${seq.pass.nominal[k]!.toPrecision(3)} (no Holm among pass lines: keep needs all of them, intersection-union; the repeated rank and Welch CIs at level ${(repeatedCILevel(seq.pass, k) * 100).toFixed(1)} % clear the bound; Welch keeps the level when the arms' spreads differ); fail when both one-sided tests of the opposite give p ≤ ${seq.drop.nominal[k]!.toPrecision(3)} (α/${seq.dropTests} over the tests that can cause a drop); otherwise open`;
};

/**
 * The repeated Welch interval of the candidate/baseline ratio (of geometric means) at `level`: Welch's
 * interval for mean(log c) − mean(log b), exponentiated. [null, null] with a non-positive value (no log)
 * or no finite interval (fewer than 2 runs per arm, no spread).
 */
export const welchRatioCI = (
  baseline: readonly number[],
  candidate: readonly number[],
  level: number,
): [number | null, number | null] => {
  if (![...baseline, ...candidate].every((v) => v > 0)) return [null, null];
  const [lo, hi] = welchInterval(candidate.map(Math.log), baseline.map(Math.log), level);
  return Number.isFinite(lo) && Number.isFinite(hi) ? [Math.exp(lo), Math.exp(hi)] : [null, null];
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
  // NaN (Welch without 2 runs per arm) supports nothing.
  const welchP = (e: Edge, side: Edge['side']): number => {
    const p = welchBoundPValue(b, x, e.bound, side);
    return Number.isNaN(p) ? 1 : p;
  };
  const pPass = edges.map((e) => boundPValue(b, x, e.bound, e.side));
  const pFail = edges.map((e) => boundPValue(b, x, e.bound, other(e.side)));
  const wPass = edges.map((e) => welchP(e, e.side));
  const wFail = edges.map((e) => welchP(e, other(e.side)));
  const passes = edges.every(
    (_, i) => rejectsAt(seq.pass, k, pPass[i]!) && rejectsAt(seq.pass, k, wPass[i]!),
  );
  const fails =
    !passes && edges.some((_, i) => rejectsAt(seq.drop, k, pFail[i]!) && rejectsAt(seq.drop, k, wFail[i]!));
  const level = repeatedCILevel(seq.pass, k);
  const [lo, hi] = level > 0 ? rankRatioCI(b, x, level) : [null, null];
  const [wlo, whi] = level > 0 ? welchRatioCI(b, x, level) : [null, null];
  const welchText = wlo !== null && whi !== null ? `, Welch ${pct(wlo - 1)}, ${pct(whi - 1)}` : '';
  const ci =
    lo !== null && hi !== null
      ? `${pct(c.ratio - 1)} [repeated ${(level * 100).toFixed(1)} % CI: rank ${pct(lo - 1)}, ${pct(hi - 1)}${welchText}]`
      : `${pct(c.ratio - 1)} [repeated CI unbounded at look ${k + 1}, ${seq.looks[k]} runs per arm]`;
  const pText = `one-sided p rank ${pPass.map((p) => p.toPrecision(2)).join(' / ')}, Welch ${wPass.map((p) => p.toPrecision(2)).join(' / ')} vs ${seq.pass.nominal[k]!.toPrecision(3)}`;
  const fig: CheckResult['figures'] = {
    ...figures,
    pOneSided: Math.max(...pPass),
    pOneSidedAgainst: Math.min(...pFail),
    pWelchOneSided: Math.max(...wPass),
    pWelchOneSidedAgainst: Math.min(...wFail),
    nominalLevel: seq.pass.nominal[k]!,
    dropLevel: seq.drop.nominal[k]!,
    repeatedCILevel: level,
    repeatedCILow: lo !== null ? lo - 1 : null,
    repeatedCIHigh: hi !== null ? hi - 1 : null,
    repeatedWelchCILow: wlo !== null ? wlo - 1 : null,
    repeatedWelchCIHigh: whi !== null ? whi - 1 : null,
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
