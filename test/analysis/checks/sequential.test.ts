import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CHECKS, dropTestCount, stopRule, type CheckContext } from '../../../src/analysis/checks/index.js';
import { boundPValue } from '../../../src/analysis/compare.js';
import { sequentialLookOf, sequentialVerdict } from '../../../src/analysis/sequential.js';
import type {
  ChangePassLine,
  Comparison,
  FlatPassLine,
  Manifest,
  Plan,
  RunRecord,
  StopRule,
} from '../../../src/model/index.js';
import { comparison, plan as unitPlan } from '../helpers.js';

const cpu: ChangePassLine = {
  id: 'cpu',
  text: 'CPU −30%',
  check: 'change',
  metric: 'cpuSecondsPerRequest',
  maxChange: -0.3,
};
const p99NoWorse: ChangePassLine = {
  id: 'p99',
  text: 'p99 no worse',
  check: 'change',
  metric: 'latencyMs',
  quantile: 0.99,
  maxChange: 0,
};
const memory: FlatPassLine = {
  id: 'mem',
  text: 'memory flat (±5%)',
  check: 'flat',
  metric: 'rssBytesPeak',
  tolerance: 0.05,
};
const cut: StopRule = {
  id: 'cut',
  text: 'p99 cut < 10% → drop',
  metric: 'latencyMs',
  quantile: 0.99,
  minImprovement: 0.1,
  decision: 'drop',
};

/** A manifest whose judged phase ran `reps` repetitions of both arms. */
const manifestOf = (reps: number): Manifest => ({
  schemaVersion: 1,
  trialId: 't',
  createdAt: '',
  planFrozenAt: '',
  status: 'running',
  environment: { cpus: 2, node: 'v20', pinned: false, targetHost: '127.0.0.1' },
  runs: Array.from({ length: 2 * reps }, (_, i) => ({
    id: `r${i}`,
    role: i % 2 ? 'candidate' : 'baseline',
    phase: 'steady',
    repetition: Math.floor(i / 2) + 1,
    status: 'ok',
  })) as unknown as RunRecord[],
});

const seqPlan = (repetitions: Plan['repetitions'], extra: Partial<Plan> = {}): Plan => ({
  ...unitPlan({ repetitions }),
  ...extra,
});

const ctxAt = (p: Plan, reps: number, c: Comparison): CheckContext => ({
  plan: p,
  phase: 'steady',
  comparisons: [c],
  summaries: [],
  errors: [],
  sequential: sequentialLookOf(p, manifestOf(reps), 'steady', dropTestCount(p))!,
});

const cmp = (metric: Comparison['metric'], base: number[], cand: number[]): Comparison => {
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  return comparison({
    metric,
    baseline: { values: base, runIds: [], median: med(base) },
    candidate: { values: cand, runIds: [], median: med(cand) },
    ratio: med(cand) / med(base),
  });
};

// CPU seconds per request of the demo's runs (reports/example): pure Go ~5.5 ms, Rust ~0.7 ms.
const GO = [5.69e-3, 5.14e-3, 5.75e-3, 5.31e-3, 5.52e-3];
const RUST = [0.66e-3, 0.77e-3, 0.72e-3, 0.7e-3, 0.69e-3];

/** Exhaustive permutation oracle: P(U ≥ u_obs) over every split of the pooled values (no ties). */
const permutationP = (a: number[], b: number[]): number => {
  const all = [...a, ...b];
  const n = a.length;
  const u = (xs: number[], ys: number[]) => xs.reduce((s, x) => s + ys.filter((y) => x > y).length, 0);
  const obs = u(a, b);
  let hits = 0;
  let total = 0;
  const pick = (from: number, chosen: number[]): void => {
    if (chosen.length === n) {
      const xs = chosen.map((i) => all[i]!);
      const ys = all.filter((_, i) => !chosen.includes(i));
      total += 1;
      if (u(xs, ys) >= obs) hits += 1;
      return;
    }
    for (let i = from; i < all.length; i++) pick(i + 1, [...chosen, i]);
  };
  pick(0, []);
  return hits / total;
};

describe('sequential judging of ratio claims (intersection-union)', () => {
  const p = seqPlan({ min: 5, max: 20, every: 5 }, { passLines: [cpu], stopRules: [] });

  it('boundPValue equals an exhaustive permutation test on a mixed 5-vs-5 sample', () => {
    const b = [1.0, 1.2, 0.9, 1.1, 1.05];
    const c = [0.8, 0.95, 0.7, 0.85, 1.15];
    // claim ratio < 0.9: candidate/0.9 tends below baseline, i.e. U(baseline > candidate/0.9) large.
    assert.ok(
      Math.abs(
        boundPValue(b, c, 0.9, 'below') -
          permutationP(
            b,
            c.map((x) => x / 0.9),
          ),
      ) < 1e-12,
    );
  });

  it('a −90 % CPU cut passes "CPU −30%" at the first look of 5 runs per arm, one-sided, with a repeated CI', () => {
    const r = CHECKS.change.judge(cpu, ctxAt(p, 5, cmp('cpuSecondsPerRequest', GO, RUST)));
    assert.equal(r.status, 'pass');
    assert.equal(r.figures.pOneSided, 1 / 252, 'complete separation: the smallest one-sided p');
    assert.equal(r.figures.nominalLevel, 4 / 252, 'Pocock-type c_1 for 5/10/15/20 (exact: U ≤ 2)');
    assert.match(r.howJudged, /one-sided exact Mann-Whitney/);
    assert.match(r.howJudged, /no Holm among pass lines/);
    assert.match(r.message, /repeated 96\.8 % CI/);
    assert.ok((r.figures.pWelchOneSided as number) < 4 / 252, 'the Welch side clears it too');
    assert.match(r.howJudged, /Welch test on log values/);
    assert.ok((r.figures.repeatedWelchCIHigh as number) < -0.3, 'the repeated Welch CI clears −30 %');
  });

  it('a rank-clear but widely spread candidate stays open: the Welch side holds it (unequal spreads)', () => {
    // Every candidate run below every baseline run (rank p = 1/252 ≤ c_1), but one candidate run far off:
    // the log-mean ratio's interval is wide, so the Welch test of "ratio < 0.7" is far from c_1.
    const b = [1.01, 1.02, 1.03, 1.04, 1.05];
    const x = [0.69, 0.68, 0.67, 0.66, 0.09];
    const r = CHECKS.change.judge(cpu, ctxAt(p, 5, cmp('cpuSecondsPerRequest', b, x)));
    assert.equal(r.figures.pOneSided, 1 / 252);
    assert.ok((r.figures.pWelchOneSided as number) > 0.1);
    assert.equal(r.status, 'warn');
    assert.equal(r.figures.canStillPass, 1);
  });

  it("the demo's look 1 on the reference service (5 runs per arm, c_1 = 7/252) passes CPU −30 % and p99 no worse", () => {
    // Per-run values of a `hotswap demo` on this machine (2026-12-01, plans/reference-quick.yaml): CPU
    // seconds per request and the all-requests p99 (ms); the candidate's p99 spread is ~50 %.
    const demo = seqPlan({ min: 5, max: 10, every: 5 }, { passLines: [cpu, p99NoWorse], stopRules: [] });
    const cpuB = [
      0.009842105263157895, 0.007315789473684211, 0.00731578947368421, 0.0065608465608465606,
      0.006789473684210527,
    ];
    const cpuX = [
      0.0006842105263157895, 0.0007894736842105264, 0.0007486631016042782, 0.0006842105263157895,
      0.0007407407407407408,
    ];
    const p99B = [
      326.13975703999904, 173.61345678999984, 101.77589078999972, 165.68525224000012, 166.18944174999993,
    ];
    const p99X = [
      119.82470638999982, 49.598892329999984, 30.577536759999997, 112.04497508999984, 86.13571836000004,
    ];
    const c1 = CHECKS.change.judge(cpu, ctxAt(demo, 5, cmp('cpuSecondsPerRequest', cpuB, cpuX)));
    const c2 = CHECKS.change.judge(
      p99NoWorse,
      ctxAt(demo, 5, { ...cmp('latencyMs', p99B, p99X), quantile: 0.99 }),
    );
    assert.equal(c1.figures.nominalLevel, 7 / 252);
    assert.deepEqual([c1.status, c2.status], ['pass', 'pass'], `${c1.message} | ${c2.message}`);
    // scipy: ttest_ind(log b, log x, equal_var=False, alternative='greater').pvalue = 0.0125 for the p99.
    assert.ok(Math.abs((c2.figures.pWelchOneSided as number) - 0.0125) < 5e-4);
  });

  it('A/A against the −30 % claim fails at the first look (the claim is confidently false)', () => {
    const r = CHECKS.change.judge(cpu, ctxAt(p, 5, cmp('cpuSecondsPerRequest', GO, [...GO].reverse())));
    assert.equal(r.status, 'fail');
  });

  it('A/A against a claim near the truth ("−3 %") stays open and can still pass later', () => {
    const small = { ...cpu, maxChange: -0.03 };
    const p3 = seqPlan({ min: 5, max: 20, every: 5 }, { passLines: [small], stopRules: [] });
    const r = CHECKS.change.judge(small, ctxAt(p3, 5, cmp('cpuSecondsPerRequest', GO, [...GO].reverse())));
    assert.equal(r.status, 'warn');
    assert.equal(r.figures.canStillPass, 1);
    const v = sequentialVerdict(ctxAt(p3, 5, cmp('cpuSecondsPerRequest', GO, GO)).sequential!, [r], []);
    assert.deepEqual([v.action, v.reason, v.look, v.looks, v.runsPerArm], ['continue', 'open', 1, 4, 5]);
  });

  it('curtails when even the best remaining runs could not make an open line pass', () => {
    const small = { ...cpu, maxChange: -0.03 };
    const p2 = seqPlan({ min: 5, max: 6, every: 1 }, { passLines: [small], stopRules: [] });
    const ctx = ctxAt(p2, 5, cmp('cpuSecondsPerRequest', GO, [...GO].reverse()));
    const r = CHECKS.change.judge(small, ctx);
    assert.equal(r.status, 'warn');
    assert.equal(r.figures.canStillPass, 0, 'one more run per arm cannot separate 5 tied-in-rank pairs');
    const v = sequentialVerdict(ctx.sequential!, [r], []);
    assert.deepEqual([v.action, v.reason, v.stoppedEarly], ['stop', 'curtailed', true]);
  });

  it('the drop family counts every test that can cause a drop: a change 1, a flat band 2, a stop rule 1', () => {
    const all = seqPlan({ min: 5, max: 20, every: 5 }, { passLines: [cpu, memory], stopRules: [cut] });
    assert.equal(dropTestCount(all), 4);
    const seq = sequentialLookOf(all, manifestOf(5), 'steady', dropTestCount(all))!;
    assert.equal(seq.drop.alpha, 0.05 / 4);
    assert.ok(seq.drop.nominal[0]! < seq.pass.nominal[0]!);
  });

  it('a flat band passes only when both one-sided tests clear their edge (TOST at the look level)', () => {
    const pf = seqPlan({ min: 5, max: 20, every: 5 }, { passLines: [memory], stopRules: [] });
    const base = [100, 101, 99, 100.5, 99.5];
    const same = CHECKS.flat.judge(
      memory,
      ctxAt(pf, 5, cmp('rssBytesPeak', base, [100.2, 99.8, 100.1, 99.9, 100])),
    );
    assert.equal(same.status, 'pass');
    const up = CHECKS.flat.judge(
      memory,
      ctxAt(
        pf,
        5,
        cmp(
          'rssBytesPeak',
          base,
          base.map((x) => x * 1.045),
        ),
      ),
    );
    assert.equal(up.status, 'warn', '+4.5 % with a ±1 % spread: the +5 % edge is not cleared at 5 runs');
  });

  it('a stop rule fires on a confidently small cut and clears on a large one, at the look level', () => {
    const ps = seqPlan({ min: 5, max: 20, every: 5 }, { passLines: [cpu], stopRules: [cut] });
    const lat = (cand: number[]) =>
      stopRule.judge(cut, ctxAt(ps, 5, { ...cmp('latencyMs', [50, 52, 48, 51, 49], cand), quantile: 0.99 }));
    assert.equal(lat([10, 11, 9, 12, 10]).status, 'pass');
    assert.equal(lat([50, 52, 48, 51, 49]).status, 'fail');
  });

  it('judges with the last look reached while fewer runs exist than the next look (an interrupted trial)', () => {
    const seq = sequentialLookOf(p, manifestOf(7), 'steady', 1)!;
    assert.equal(seq.look, 0);
    assert.equal(sequentialLookOf(p, manifestOf(15), 'steady', 1)!.look, 2);
  });

  it('an SLO already missed by a run cannot pass at a later look: the trial curtails (no stop rule open)', () => {
    const slo = { id: 'slo', text: 'meets the SLO', check: 'slo' as const };
    const ps = seqPlan({ min: 5, max: 10, every: 5 }, { passLines: [cpu, slo], stopRules: [] });
    const ctx = ctxAt(ps, 5, cmp('cpuSecondsPerRequest', GO, RUST));
    const latencies = [20, 30, 25, 500, 22];
    ctx.summaries = latencies.map((ms, i) => ({
      runId: `c${i}`,
      role: 'candidate',
      phase: 'steady',
      endpoint: '*',
      quantilesMs: { '0.99': ms },
      errorRate: 0,
    })) as unknown as CheckContext['summaries'];
    const r = CHECKS.slo.judge(slo, ctx);
    assert.equal(r.status, 'warn');
    assert.equal(r.figures.canStillPass, 0);
    const v = sequentialVerdict(ctx.sequential!, [CHECKS.change.judge(cpu, ctx), r], []);
    assert.deepEqual([v.action, v.reason, v.look], ['stop', 'curtailed', 1]);
    // The fixed design's figures are unchanged (no look, no curtailment figure).
    assert.equal(CHECKS.slo.judge(slo, { ...ctx, sequential: undefined }).figures.canStillPass, undefined);
  });

  it('a fixed number of repetitions has no look (the fixed design judges as before)', () => {
    assert.equal(sequentialLookOf(unitPlan(), manifestOf(5), 'steady', 1), undefined);
  });
});
