import { EXIT, type CheckResult, type Decision, type ExitCode, type Verdict } from '../model/index.js';
import { SETTLE } from './checks/index.js';

/**
 * The release decision from the judged pass lines and stop rules, in this order:
 *  1. a stop rule that fires → drop (whatever else passed: the plan's author said so in advance);
 *  2. any pass line that fails → drop;
 *  3. any pass line or stop rule that is inconclusive (warn) or could not be judged (error) →
 *     inconclusive, with how many runs per arm would likely settle it;
 *  4. everything passes → keep.
 * A plan without pass lines cannot be kept: there is nothing to judge (inconclusive). Nor can a trial
 * whose judged phase has suspect runs (`suspect`: a run failed or was interrupted, or the offered load
 * was not delivered): the passing figures then come from the runs that survived, so keep becomes
 * inconclusive, and the suspect runs are named among the reasons whatever the decision.
 */
export const decide = (
  checks: CheckResult[],
  stopRules: CheckResult[],
  runsPerArm: number,
  suspect: string[] = [],
): Verdict => {
  const fired = stopRules.filter((r) => r.status === 'fail');
  const failed = checks.filter((c) => c.status === 'fail');
  const open = [...stopRules, ...checks].filter((c) => c.status === 'warn' || c.status === 'error');
  const reasons: string[] = [];
  let decision: Decision;
  if (fired.length > 0 || failed.length > 0) {
    decision = 'drop';
    for (const r of fired) reasons.push(`stop rule "${r.text}" fired: ${r.message}`);
    for (const c of failed) reasons.push(`"${c.text}" failed: ${c.message}`);
  } else if (open.length > 0 || checks.length === 0 || suspect.length > 0) {
    decision = 'inconclusive';
    if (checks.length === 0) reasons.push('the plan has no pass lines: nothing to judge');
    if (open.length === 0 && checks.length > 0) {
      reasons.push(
        'every pass line passed, but the judged phase has runs that failed or missed the offered load',
      );
    }
    for (const c of open) {
      reasons.push(
        `"${c.text}" ${c.status === 'error' ? 'could not be judged' : 'is inconclusive'}: ${c.message}`,
      );
    }
  } else {
    decision = 'keep';
    for (const c of checks) reasons.push(`"${c.text}" passed: ${c.message}`);
  }
  for (const r of suspect) reasons.push(`${r}`);
  const verdict: Verdict = { decision, reasons, checks, stopRules };
  if (decision === 'inconclusive') {
    const total = runsToSettle(open);
    verdict.moreRunsPerArm = total;
    if (total !== null) {
      const more = Math.max(0, total - runsPerArm);
      verdict.additionalRunsPerArm = more;
      reasons.push(`about ${total} runs per arm (${more} more) would likely settle it`);
    } else if (open.some((c) => c.status === 'warn')) {
      reasons.push('no estimate of how many runs would settle it from this data');
    }
  }
  return verdict;
};

/**
 * The largest runs-per-arm estimate among the open checks that carry one; null when one of them says
 * no number would do, or none carries an estimate (missing data, SLO runs: more runs will not help or
 * cannot be estimated).
 */
const runsToSettle = (open: CheckResult[]): number | null => {
  const estimates = open
    .filter((c) => c.status === 'warn' && SETTLE in c.figures)
    .map((c) => c.figures[SETTLE]);
  if (estimates.length === 0 || estimates.some((x) => typeof x !== 'number')) return null;
  return Math.max(...(estimates as number[]));
};

/** Exit code per the CLI contract: keep 0, drop 1, inconclusive 4. */
export const exitCodeFor = (decision: Decision): ExitCode =>
  decision === 'keep' ? EXIT.ok : decision === 'drop' ? EXIT.drop : EXIT.inconclusive;

/** As `exitCodeFor`, and 3 (infrastructure) for a trial that could not be judged at all (`unjudgeable`). */
export const exitCodeForVerdict = (verdict: Pick<Verdict, 'decision' | 'unjudgeable'>): ExitCode =>
  verdict.unjudgeable ? EXIT.infrastructure : exitCodeFor(verdict.decision);

/** What a failed run says about who failed: the service, the load generator, or neither (interrupted). */
export interface RunOutcome {
  id: string;
  role: 'baseline' | 'candidate';
  status: string;
  failureReason?: string;
  driverExitCode?: number;
}

/**
 * A failed run whose driver exited with an error while the service lived: the generator (k6,
 * autocannon) failed, so the run measured nothing about either build. run-state.ts writes "the service
 * died…" when the service did; k6's 99 (thresholds crossed) is a result, not a failure.
 */
export const generatorFailed = (r: RunOutcome): boolean =>
  r.status === 'failed' &&
  !(r.failureReason ?? '').startsWith('the service died') &&
  r.driverExitCode !== undefined &&
  r.driverExitCode !== 0 &&
  r.driverExitCode !== 99;

/**
 * Runs that decide the verdict before any statistics, for the judged phase's runs:
 * - every baseline run failed, or the generator failed in a run → the trial cannot be judged (reason);
 * - a candidate run failed (not interrupted) while every baseline run succeeded → drop (reason).
 */
export const failedRunsRule = (
  runs: readonly RunOutcome[],
  phase: string,
): { unjudgeable: string } | { drop: string } | undefined => {
  const base = runs.filter((r) => r.role === 'baseline');
  const cand = runs.filter((r) => r.role === 'candidate');
  const generator = runs.find(generatorFailed);
  if (generator)
    return {
      unjudgeable: `the load generator failed in ${generator.role} run ${generator.id} of phase ${phase} (${generator.failureReason ?? `exit code ${generator.driverExitCode}`}): the trial measured neither build there`,
    };
  if (base.length > 0 && base.every((r) => r.status === 'failed' || r.status === 'interrupted'))
    return {
      unjudgeable: `every baseline run of phase ${phase} failed (${base[0]?.failureReason ?? base[0]?.status}): there is nothing to compare the candidate with`,
    };
  const failed = cand.find((r) => r.status === 'failed');
  if (failed && base.every((r) => r.status === 'ok'))
    return {
      drop: `the candidate failed where the baseline did not: run ${failed.id} of phase ${phase} failed (${failed.failureReason ?? 'no reason recorded'}) while every baseline run completed`,
    };
  return undefined;
};

/** Applies `failedRunsRule` to a verdict: drop with the reason first, or inconclusive and unjudgeable. */
export const withFailedRuns = (verdict: Verdict, rule: ReturnType<typeof failedRunsRule>): Verdict => {
  if (!rule) return verdict;
  if ('drop' in rule) return { ...verdict, decision: 'drop', reasons: [rule.drop, ...verdict.reasons] };
  const { moreRunsPerArm: _m, additionalRunsPerArm: _a, ...rest } = verdict;
  return {
    ...rest,
    decision: 'inconclusive',
    unjudgeable: rule.unjudgeable,
    reasons: [rule.unjudgeable, ...verdict.reasons],
  };
};
