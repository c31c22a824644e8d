/**
 * Calibration of the sequential design (issue 10): a script that prints figures, not a timed test.
 * `node --import tsx bench/sequential-calibration.ts [--trials N] [--trials-unequal N] [--seed S] [--simulations N]`
 *
 * Model: each run contributes one value per figure (its p99, its CPU per request); the per-run values of
 * an arm are log-normal with coefficient of variation `spread` (σ = √ln(1 + spread²)), the candidate's
 * multiplied by the true ratio. This is the run level of the AR(1) log-latency model of
 * test/analysis/stats/calibration.test.ts (a run offset N(0, τ) plus the p99's own sampling noise, ~6 %
 * per run there); the rank tests are distribution-free, so only the run-to-run spread matters for them.
 * Default spread 10 % (the middle of the demo's baseline p99 spreads, 6–19 %); the power curve runs over
 * the spreads seen in the demo: 6, 10, 19 % (baseline p99), 29, 54 % (candidate scan p99).
 *
 * Design (src/analysis/stats/group-sequential.ts): looks at 5, 10, 15, 20 runs per arm, Pocock-type
 * Lan-DeMets spending of α = 0.05. A pass line claiming ratio ≤ bound is judged one-sided: the exact
 * Mann-Whitney test of log(candidate) − log(bound) against log(baseline) (equivalently, the repeated
 * rank CI at the look's level clears the bound) and, in the 'rank+welch' design the trial uses, also the
 * one-sided Welch test on the same log values; pass at look k when p ≤ c_k (both, for 'rank+welch'),
 * fail when the opposite one-sided test(s) are ≤ the drop level (the claim is confidently false).
 * "At the bound" means: the candidate's log-normal median is bound × the baseline's, so the ratio of
 * medians, of geometric means and the median of candidate/baseline run pairs (the Hodges-Lehmann
 * estimand) all equal the bound; the ratio of means does not when the spreads differ (19 % / 54 %:
 * 0.9 · exp((σ_c² − σ_b²)/2) = 1.005). Keep needs every pass line to pass
 * (intersection-union: no Holm among them). The drop family — each pass line's fail test and each
 * stop rule (one-sided test of a regression) — is Bonferroni-split, α/k each; a stop rule that has not
 * fired does not hold the trial open. The trial stops at the first look where every pass line is
 * settled, or curtailed (an open line cannot pass even with every later run on its side), or at max.
 */
import {
  bestCaseP,
  createNormal,
  createRng,
  decideAtLook,
  mannWhitney,
  rankBoundaries,
  type LookTest,
  type SequentialBoundary,
  welchBoundPValue,
} from '../src/analysis/stats/index.js';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const TRIALS = arg('trials', 1000);
const TRIALS_UNEQUAL = arg('trials-unequal', 2 * TRIALS);
const SEED = arg('seed', 20261201);
const SIMULATIONS = arg('simulations', 200_000);
const SCHEDULE = { min: 5, max: 20, every: 5 };
const ALPHA = 0.05;

const normal = createNormal(createRng(SEED));
const sigmaOf = (spread: number): number => Math.sqrt(Math.log(1 + spread * spread));
const arm = (n: number, spread: number, ratio: number): number[] =>
  Array.from({ length: n }, () => ratio * Math.exp(sigmaOf(spread) * normal()));

/** A figure of one simulated trial: all 20 runs per arm drawn up front, looks take prefixes. */
interface Figure {
  base: number[];
  cand: number[];
}
const figure = (spread: number, ratio: number, candidateSpread = spread): Figure => ({
  base: arm(SCHEDULE.max, spread, 1),
  cand: arm(SCHEDULE.max, candidateSpread, ratio),
});

/**
 * The judging designs compared side by side on the same simulated data:
 *  - 'rank' (before): a pass line passes when the one-sided exact Mann-Whitney test is ≤ c_k;
 *  - 'rank+welch' (after): it passes when that test AND the one-sided Welch test on log values (the
 *    repeated Welch interval at level 1 − 2c_k clearing the bound) are both ≤ c_k; it fails when both
 *    opposite tests are ≤ the drop level. src/analysis/checks/sequential.ts judges a trial this way.
 */
type Design = 'rank' | 'rank+welch';
const DESIGNS: Design[] = ['rank', 'rank+welch'];

/**
 * Pass line "ratio ≤ bound" at look n: pass when the one-sided test(s) of ratio < bound are ≤ cPass (the
 * pass family: α, no Holm); fail when the opposite one-sided test(s) are ≤ cFail (a failed line drops, so
 * it belongs to the drop family, corrected with the stop rules).
 */
const judgeLine = (
  f: Figure,
  n: number,
  bound: number,
  cPass: number,
  cFail: number,
  addLater: number,
  design: Design,
): LookTest => {
  const b = f.base.slice(0, n);
  const c = f.cand.slice(0, n);
  const x = c.map((v) => v / bound);
  // 'greater': baseline tends to exceed candidate/bound, i.e. ratio < bound.
  const rankPass = mannWhitney(b, x, { alternative: 'greater' }).p <= cPass;
  const rankFail = mannWhitney(b, x, { alternative: 'less' }).p <= cFail;
  const welchPass = design === 'rank' || welchBoundPValue(b, c, bound, 'below') <= cPass;
  const welchFail = design === 'rank' || welchBoundPValue(b, c, bound, 'above') <= cFail;
  const status = rankPass && welchPass ? 'pass' : rankFail && welchFail ? 'fail' : 'open';
  // Curtailment by the rank test alone: the intersection can pass only where the rank test can.
  const canStillPass =
    status !== 'open' || addLater === 0 ? true : bestCaseP(b, x, addLater, 'greater') <= cPass;
  return { role: 'pass-line', status, canStillPass };
};

/** Stop rule "any regression": fires ('fail') when the candidate is significantly worse at cDrop. */
const judgeStop = (f: Figure, n: number, cDrop: number): LookTest => {
  const p = mannWhitney(f.base.slice(0, n), f.cand.slice(0, n), { alternative: 'less' }).p;
  // A stop rule that has not fired does not hold the trial open: 'pass' until it fires.
  return { role: 'stop-rule', status: p <= cDrop ? 'fail' : 'pass' };
};

interface Outcome {
  keep: boolean;
  drop: boolean;
  runsPerArm: number;
}

/** Boundaries of the pass family (α) and of the drop family (α split over its tests), cached. */
const boundaries = new Map<number, SequentialBoundary>();
const boundaryFor = (alpha: number): SequentialBoundary => {
  let b = boundaries.get(alpha);
  if (!b) {
    b = rankBoundaries(SCHEDULE, {
      alternative: 'greater',
      alpha,
      simulations: SIMULATIONS,
      seed: SEED + boundaries.size,
    });
    boundaries.set(alpha, b);
  }
  return b;
};

/** One sequential trial: pass lines (figure, bound) and stop-rule figures, at the schedule's looks. */
const runTrial = (lines: { f: Figure; bound: number }[], stops: Figure[], design: Design): Outcome => {
  const passB = boundaryFor(ALPHA);
  const dropB = boundaryFor(ALPHA / (lines.length + stops.length));
  const looks = passB.looks;
  for (let k = 0; k < looks.length; k++) {
    const n = looks[k]!;
    const later = looks[looks.length - 1]! - n;
    const tests = [
      ...lines.map((l) => judgeLine(l.f, n, l.bound, passB.nominal[k]!, dropB.nominal[k]!, later, design)),
      ...stops.map((s) => judgeStop(s, n, dropB.nominal[k]!)),
    ];
    const d = decideAtLook(k, looks.length, tests);
    if (d.action === 'stop') {
      const drop = tests.some((t) => t.status === 'fail');
      const keep = !drop && tests.filter((t) => t.role === 'pass-line').every((t) => t.status === 'pass');
      return { keep, drop, runsPerArm: n };
    }
  }
  throw new Error('unreachable: the last look always stops');
};

/** Rates of one scenario under every design, on the same simulated trials. */
interface Rates {
  keep: number;
  drop: number;
  runs: number;
  trials: number;
}
const scenario = (
  trials: number,
  make: () => { lines: { f: Figure; bound: number }[]; stops: Figure[] },
): Record<Design, Rates> => {
  const out = Object.fromEntries(DESIGNS.map((d) => [d, { keep: 0, drop: 0, runs: 0, trials }])) as Record<
    Design,
    Rates
  >;
  for (let t = 0; t < trials; t++) {
    const { lines, stops } = make();
    for (const d of DESIGNS) {
      const o = runTrial(lines, stops, d);
      out[d].keep += o.keep ? 1 / trials : 0;
      out[d].drop += o.drop ? 1 / trials : 0;
      out[d].runs += o.runsPerArm / trials;
    }
  }
  return out;
};

const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;
const se = (p: number, n: number): string => `± ${(100 * Math.sqrt((p * (1 - p)) / n)).toFixed(1)} %`;

const side = (r: Record<Design, Rates>, of: 'keep' | 'drop'): string =>
  DESIGNS.map((d) => `${pct(r[d][of])} ${se(r[d][of], r[d].trials)}, ${r[d].runs.toFixed(1)} runs`).join(
    ' | ',
  );

const main = (): void => {
  const started = Date.now();
  const passB = boundaryFor(ALPHA);
  console.log(
    `# sequential calibration: looks ${passB.looks.join(', ')} runs per arm, α = ${ALPHA}, ${TRIALS} trials per figure (${TRIALS_UNEQUAL} for unequal spreads), seed ${SEED}`,
  );
  for (const alpha of [ALPHA, ALPHA / 3]) {
    const b = boundaryFor(alpha);
    console.log(
      `boundary (${b.spending}, α ${b.alpha.toPrecision(3)}${alpha === ALPHA ? ': pass family' : ': drop family of 3'}): spent ${b.cumulativeSpent
        .map((x) => x.toFixed(4))
        .join(
          ' / ',
        )}; nominal c_k ${b.nominal.map((x) => x.toPrecision(3)).join(' / ')}; attained ${b.attained
        .map((x) => x.toFixed(4))
        .join(' / ')} (${b.method}, ${b.simulations} simulations, SE ${b.standardError?.toExponential(1)})`,
    );
  }
  console.log(
    `# each figure: rate ± 1 SE, mean runs per arm — before (rank: exact Mann-Whitney alone) | after (rank ∧ Welch on logs)`,
  );
  const spread = 0.1;

  // 1. False keep with the true change exactly at each pass line's bound (the other line clearly true).
  for (const bound of [0.9, 0.7, 1.0]) {
    const r = scenario(TRIALS, () => ({
      lines: [
        { f: figure(spread, bound), bound },
        { f: figure(spread, 0.5), bound: 0.8 },
      ],
      stops: [figure(spread, 1), figure(spread, 1)],
    }));
    console.log(
      `false keep, true ratio exactly at the bound ${bound} (spread ${pct(spread)}): ${side(r, 'keep')}`,
    );
  }

  // 1b. The same at the demo's unequal spreads. The bench sets the true ratio of medians (= of geometric
  // means = the median of candidate/baseline run pairs, all equal under log-normal noise) at the bound;
  // the arms then differ in spread, which the exact rank test's null (identical distributions after
  // scaling by the bound) excludes: its variance under this Behrens-Fisher null is larger than under
  // exchangeability, so its false keep exceeds α. One pass line, no stop rules; the fail side's rate at
  // the bound (a false drop: the claim is not false there) is printed too.
  for (const [sb, sc] of [
    [0.19, 0.54],
    [0.54, 0.19],
    [0.06, 0.29],
    [0.1, 0.1],
  ] as const) {
    const r = scenario(TRIALS_UNEQUAL, () => ({
      lines: [{ f: figure(sb, 0.9, sc), bound: 0.9 }],
      stops: [],
    }));
    console.log(
      `false keep at the bound 0.9, baseline spread ${pct(sb)} / candidate ${pct(sc)}: ${side(r, 'keep')}; false drop there ${DESIGNS.map((d) => `${pct(r[d].drop)} ${se(r[d].drop, r[d].trials)}`).join(' | ')}`,
    );
  }

  // 1c. A large effect (CPU per request −91 %, the demo's figure) against a claimed −30 %: where it stops.
  {
    const at = Object.fromEntries(DESIGNS.map((d) => [d, new Map<number, number>()])) as Record<
      Design,
      Map<number, number>
    >;
    const keeps = Object.fromEntries(DESIGNS.map((d) => [d, 0])) as Record<Design, number>;
    for (let t = 0; t < TRIALS; t++) {
      const lines = [{ f: figure(0.1, 0.09, 0.1), bound: 0.7 }];
      const stops = [figure(0.1, 1)];
      for (const d of DESIGNS) {
        const o = runTrial(lines, stops, d);
        keeps[d] += o.keep ? 1 : 0;
        at[d].set(o.runsPerArm, (at[d].get(o.runsPerArm) ?? 0) + 1);
      }
    }
    console.log(
      `large effect (ratio 0.09 vs a claimed 0.7, spread 10 %): ${DESIGNS.map(
        (d) =>
          `keep ${pct(keeps[d] / TRIALS)}, stopped at ${[...at[d].entries()]
            .sort((x, y) => x[0] - y[0])
            .map(([n, c]) => `${n} runs per arm ${pct(c / TRIALS)}`)
            .join(', ')}`,
      ).join(' | ')}`,
    );
  }

  // 2. False drop with A/A (two stop rules, one pass line).
  {
    const r = scenario(TRIALS, () => ({
      lines: [{ f: figure(spread, 1), bound: 1 }],
      stops: [figure(spread, 1), figure(spread, 1)],
    }));
    console.log(
      `false drop, A/A ("no worse" p99 line + 2 stop rules, α/3 each, spread ${pct(spread)}): ${side(r, 'drop')}`,
    );
  }

  // 3. Power for a 10 % p99 gain (true ratio 1/1.1, pass line "p99 lower": bound 1), by max = 20.
  const power = (
    s: number,
    trials: number,
    candidateSpread = s,
  ): { r: Record<Design, Rates>; fixed: number } => {
    let fixed = 0;
    const r = scenario(trials, () => {
      const f = figure(s, 1 / 1.1, candidateSpread);
      // The fixed design on the same data: 20 runs per arm, one look at α = 0.05 one-sided.
      if (mannWhitney(f.base, f.cand, { alternative: 'greater' }).p <= ALPHA) fixed++;
      return { lines: [{ f, bound: 1 }], stops: [] };
    });
    return { r, fixed: fixed / trials };
  };
  for (const [sb, sc] of [
    [0.06, 0.06],
    [0.1, 0.1],
    [0.19, 0.19],
    [0.29, 0.29],
    [0.54, 0.54],
    [0.19, 0.54],
    [0.54, 0.19],
    [0.06, 0.29],
  ] as const) {
    const p = power(sb, TRIALS, sc);
    console.log(
      `power, p99 10 % better, spread ${sb === sc ? pct(sb) : `${pct(sb)} / ${pct(sc)}`}: ${side(p.r, 'keep')} (fixed design: 20 runs, rank only, ${pct(p.fixed)})`,
    );
  }
  // The spread beyond which 80 % cannot be reached by max = 20: bisection on the spread, per design.
  for (const d of DESIGNS) {
    let lo = 0.06;
    let hi = 0.29;
    for (let i = 0; i < 7; i++) {
      const mid = (lo + hi) / 2;
      if (power(mid, TRIALS).r[d].keep >= 0.8) lo = mid;
      else hi = mid;
    }
    console.log(
      `80 % power for a 10 % p99 gain by max = 20 (${d}) needs a run-to-run spread ≤ ${pct((lo + hi) / 2)} (bisection, ${TRIALS} trials per step)`,
    );
  }

  // 4. Naive "rerun until p < 0.05" at the same looks, A/A, two-sided (benchstat's warning).
  {
    let naive = 0;
    let seq = 0;
    const twoB = rankBoundaries(SCHEDULE, {
      alternative: 'two-sided',
      simulations: SIMULATIONS,
      seed: SEED + 2,
    });
    for (let t = 0; t < TRIALS; t++) {
      const f = figure(spread, 1);
      const ps = passB.looks.map((n) => mannWhitney(f.base.slice(0, n), f.cand.slice(0, n)).p);
      if (ps.some((p) => p < ALPHA)) naive++;
      if (ps.some((p, k) => p <= twoB.nominal[k]!)) seq++;
    }
    console.log(
      `A/A false-significant, two-sided, looks 5/10/15/20: naive "rerun until p < 0.05" ${pct(naive / TRIALS)} ${se(naive / TRIALS, TRIALS)}; with Pocock boundaries (c_k ${twoB.nominal.map((x) => x.toPrecision(3)).join(' / ')}) ${pct(seq / TRIALS)} ${se(seq / TRIALS, TRIALS)}`,
    );
  }
  console.log(
    `# done in ${((Date.now() - started) / 1000).toFixed(0)} s (2 shared cores, other helpers running: timing is noisy)`,
  );
};

main();
