import { mannWhitney, uDistribution, type MannWhitneyAlternative } from './mann-whitney.js';
import { normalCdf, normalQuantile } from './normal.js';
import { createRng } from './rng.js';

/**
 * Group-sequential boundaries for the run-level Mann-Whitney test (issue 10, "Sequential repetitions").
 *
 * A trial looks at its data after `min`, `min + every`, …, `max` runs per arm. Testing at the full α at
 * every look inflates the false-positive rate (the "rerun until p < 0.05" benchstat warns about), so the
 * α is spent over the looks by a Lan-DeMets spending function of the information fraction t = n/max
 * (Lan & DeMets 1983, "Discrete sequential boundaries for clinical trials", Biometrika 70(3)):
 *  - Pocock-type (the default): α(t) = α·ln(1 + (e − 1)·t), which spends enough at the first look for
 *    5 runs per arm to stop;
 *  - O'Brien-Fleming-type: α(t) = 2 − 2·Φ(z₁₋α/₂ / √t), which spends almost nothing early.
 * The nominal level at look k is the largest p-value threshold c_k with
 * P(reject at some look ≤ k | H0) ≤ α(t_k). Under H0 (all runs of both arms exchangeable, continuous
 * values) the joint law of the ranks is distribution-free, so the boundaries depend only on the schedule:
 * the first look is exact (the marginal exact p), later looks exact by enumerating every ordering of the
 * pooled runs where that is feasible (≤ ENUMERATION_LIMIT orderings), otherwise seeded Monte Carlo with
 * its standard error stated. Because the test is discrete, the α actually used (`attained`) is at most
 * the α spent and the unused rest carries to the next look.
 *
 * The arithmetic behind the design (issue 10): the exact test at 5 vs 5 has C(10, 5) = 252 orderings, so
 * its smallest p is 1/252 = 0.0040 one-sided and 2/252 = 0.0079 two-sided (6 vs 6: 1/924 = 0.0011 and
 * 0.0022). Pocock-type spending allows α(1/4) = 0.05·ln(1 + (e − 1)/4) = 0.01787 at the first of four
 * looks (5, 10, 15, 20 per arm); Holm over three judged lines would leave 0.0060, which no two-sided 5-vs-5
 * test can reach. O'Brien-Fleming-type spends 8.9e-5 there, below even 1/924: it cannot stop at look 1.
 * So the design is intersection-union (Berger 1982, Technometrics 24): keep needs every pass line to
 * pass, so each claimed gain is judged one-sided at c_k with no Holm among the pass lines, and the
 * false-keep rate stays ≤ α. Only the tests that can cause a drop (a pass line's fail test, each stop
 * rule) are corrected among themselves: pass α/k to `rankBoundaries` for that family. With α = 0.05
 * one-sided the nominal levels for 5/10/15/20 are 0.0159 (= 4/252, exact: reject at U ≤ 2) / 0.0177 /
 * 0.0204 / 0.0215 (Monte Carlo, 2·10⁵ simulations, SE 5·10⁻⁴ on the attained 0.0496).
 *
 * Unequal spreads: these boundaries hold exactly when the runs of both arms are exchangeable under H0.
 * A pass line's null is "the ratio is at the bound", which with arms of different spread (log-normal,
 * σ_b ≠ σ_c, medians on the bound) is not that: U's variance there is n²·(1/4 + (n − 1)(q₁ + q₂ − 1/2))
 * with q = 1/4 + asin(ρ)/(2π), ρ₁ = σ_b²/(σ_b² + σ_c²), ρ₂ = 1 − ρ₁, against n²·(1/4 + (n − 1)/6) under
 * exchangeability. At 19 % / 54 % spreads q₁ + q₂ = 0.690 (not 2/3): at 20 runs the SD is 6 % larger, a
 * nominal 0.020 rejects 0.027 of the time, and the design's false keep was 6.1–6.7 %. So a pass line
 * also needs the one-sided Welch test on log values (stats/welch.ts `welchBoundPValue`) at the same c_k
 * (checks/sequential.ts): an intersection, exact ≤ α under exchangeability by the rank test, ≤ α up to
 * Welch's approximation when only the spreads differ.
 */
export type SpendingFunction = 'pocock' | 'obrien-fleming';
export const SPENDING_FUNCTIONS = ['pocock', 'obrien-fleming'] as const satisfies readonly SpendingFunction[];

export interface LookSchedule {
  /** Runs per arm at the first look. */
  min: number;
  /** Runs per arm at the last look. */
  max: number;
  /** Runs per arm added between looks. */
  every: number;
}

/** Orderings of the pooled runs up to which the joint null law is enumerated instead of simulated. */
export const ENUMERATION_LIMIT = 2_000_000;
export const DEFAULT_SIMULATIONS = 200_000;

/** Runs per arm at each look: min, min + every, …, and max (always the last look). */
export const looksOf = (s: LookSchedule): number[] => {
  if (!(Number.isInteger(s.min) && Number.isInteger(s.max) && Number.isInteger(s.every)))
    throw new RangeError('look schedule: min, max and every must be integers');
  if (s.min < 1 || s.max < s.min || s.every < 1)
    throw new RangeError('look schedule: need 1 ≤ min ≤ max and every ≥ 1');
  const looks: number[] = [];
  for (let n = s.min; n < s.max; n += s.every) looks.push(n);
  looks.push(s.max);
  return looks;
};

/** Cumulative α spent by information fraction t ∈ [0, 1]. */
export const alphaSpent = (alpha: number, t: number, spending: SpendingFunction = 'pocock'): number => {
  if (t <= 0) return 0;
  if (t >= 1) return alpha;
  if (spending === 'pocock') return alpha * Math.log(1 + (Math.E - 1) * t);
  const z = normalQuantile(1 - alpha / 2);
  return 2 - 2 * normalCdf(z / Math.sqrt(t));
};

export interface BoundaryOptions {
  /** Overall error rate to spend (default 0.05). */
  alpha?: number;
  spending?: SpendingFunction;
  /** 'greater' / 'less': one-sided (a pass line's claimed gain); 'two-sided' for a stop rule either way. */
  alternative?: MannWhitneyAlternative;
  simulations?: number;
  seed?: number;
  /** 'auto' (default): enumerate when feasible; force either for tests and comparisons. */
  method?: 'auto' | 'exact' | 'monte-carlo';
}

export interface SequentialBoundary {
  /** Runs per arm at each look. */
  looks: number[];
  alpha: number;
  spending: SpendingFunction;
  alternative: MannWhitneyAlternative;
  /** α(t_k): cumulative α allowed by look k. */
  cumulativeSpent: number[];
  /** c_k: reject at look k when the exact Mann-Whitney p (same alternative) at that look is ≤ c_k; 0 = cannot. */
  nominal: number[];
  /** P(reject at some look ≤ k | H0) with the nominal levels (≤ cumulativeSpent, up to MC error). */
  attained: number[];
  method: 'exact' | 'monte-carlo';
  /** Monte Carlo only: simulations and the standard error of the final attained α. */
  simulations?: number;
  standardError?: number;
}

/** Attainable p-values at n vs n, descending from 1: the tail P(U ≥ u) (one-sided) or its two-sided form. */
const pTable = (n: number, alternative: MannWhitneyAlternative): Float64Array => {
  const pmf = uDistribution(n, n);
  const nm = n * n;
  // upper[u] = P(U ≥ u); the distribution is symmetric, so P(U ≤ u) = upper[nm − u].
  const upper = new Float64Array(nm + 2);
  for (let u = nm; u >= 0; u--) upper[u] = upper[u + 1]! + pmf[u]!;
  const out = new Float64Array(nm + 1);
  for (let u = 0; u <= nm; u++) {
    const g = Math.min(1, upper[u]!);
    const l = Math.min(1, upper[nm - u]!);
    out[u] = alternative === 'greater' ? g : alternative === 'less' ? l : Math.min(1, 2 * Math.min(g, l));
  }
  return out;
};

/**
 * The null joint law of (U at look 1, …, U at look K) as weighted outcomes: exact by enumerating every
 * ordering of the pooled runs (labelled by arm and by the look that adds them), or simulated.
 */
interface JointNull {
  /** us[i*K + k]: U of outcome i at look k. */
  us: Int32Array;
  weights: Float64Array;
  count: number;
}

const orderingsCount = (looks: number[]): number => {
  // (2·max)! / Π (batch size!)² over the batches each look adds, for both arms.
  let logCount = lf(2 * looks[looks.length - 1]!);
  let prev = 0;
  for (const n of looks) {
    logCount -= 2 * lf(n - prev);
    prev = n;
  }
  return Math.exp(logCount);
};
const lf = (n: number): number => {
  let s = 0;
  for (let i = 2; i <= n; i++) s += Math.log(i);
  return s;
};

const enumerateJoint = (looks: number[]): JointNull => {
  const K = looks.length;
  const batch = looks.map((n, k) => n - (k === 0 ? 0 : looks[k - 1]!));
  const leftA = [...batch];
  const leftB = [...batch];
  const placedB = new Array<number>(K).fill(0); // B values placed so far, by batch
  const u = new Array<number>(K).fill(0);
  const out: number[] = [];
  const total = 2 * looks[K - 1]!;
  const walk = (placed: number): void => {
    if (placed === total) {
      out.push(...u);
      return;
    }
    for (let b = 0; b < K; b++) {
      if (leftA[b]! > 0) {
        // An A value of batch b above every value placed so far: for each look k ≥ b it exceeds the B
        // values of batches ≤ k.
        const add: number[] = [];
        let below = 0;
        for (let k = 0; k < K; k++) {
          below += placedB[k]!;
          add.push(k >= b ? below : 0);
        }
        leftA[b]!--;
        for (let k = 0; k < K; k++) u[k]! += add[k]!;
        walk(placed + 1);
        for (let k = 0; k < K; k++) u[k]! -= add[k]!;
        leftA[b]!++;
      }
      if (leftB[b]! > 0) {
        leftB[b]!--;
        placedB[b]!++;
        walk(placed + 1);
        placedB[b]!--;
        leftB[b]!++;
      }
    }
  };
  walk(0);
  const count = out.length / K;
  return { us: Int32Array.from(out), weights: new Float64Array(count).fill(1 / count), count };
};

/** Simulated: 2·max uniform values per trial, U at each look counted incrementally. */
const simulateJoint = (looks: number[], simulations: number, seed: number): JointNull => {
  const K = looks.length;
  const max = looks[K - 1]!;
  const rng = createRng(seed);
  const us = new Int32Array(simulations * K);
  const a = new Float64Array(max);
  const b = new Float64Array(max);
  for (let i = 0; i < simulations; i++) {
    for (let j = 0; j < max; j++) {
      a[j] = rng();
      b[j] = rng();
    }
    let u = 0;
    let prev = 0;
    for (let k = 0; k < K; k++) {
      const n = looks[k]!;
      // New pairs: new a vs all b up to n, old a vs new b.
      for (let x = prev; x < n; x++) for (let y = 0; y < n; y++) if (a[x]! > b[y]!) u++;
      for (let x = 0; x < prev; x++) for (let y = prev; y < n; y++) if (a[x]! > b[y]!) u++;
      us[i * K + k] = u;
      prev = n;
    }
  }
  return { us, weights: new Float64Array(simulations).fill(1 / simulations), count: simulations };
};

/**
 * Nominal p-value thresholds per look for the exact Mann-Whitney test on n vs n runs, spending α by the
 * chosen function. Pure and deterministic (the Monte Carlo is seeded); compute once per plan.
 */
export const rankBoundaries = (
  schedule: LookSchedule | number[],
  opts: BoundaryOptions = {},
): SequentialBoundary => {
  const looks = Array.isArray(schedule) ? schedule : looksOf(schedule);
  const alpha = opts.alpha ?? 0.05;
  const spending = opts.spending ?? 'pocock';
  const alternative = opts.alternative ?? 'greater';
  const K = looks.length;
  const max = looks[K - 1]!;
  const cumulativeSpent = looks.map((n) => alphaSpent(alpha, n / max, spending));
  const exact =
    opts.method === 'exact' || (opts.method !== 'monte-carlo' && orderingsCount(looks) <= ENUMERATION_LIMIT);
  const simulations = opts.simulations ?? DEFAULT_SIMULATIONS;
  const joint = exact ? enumerateJoint(looks) : simulateJoint(looks, simulations, opts.seed ?? 20261201);
  const tables = looks.map((n) => pTable(n, alternative));
  const rejected = new Uint8Array(joint.count);
  let used = 0;
  const nominal: number[] = [];
  const attained: number[] = [];
  for (let k = 0; k < K; k++) {
    // Mass of the not-yet-rejected outcomes at each attainable p, then the largest threshold that fits.
    const byP = new Map<number, number>();
    for (let i = 0; i < joint.count; i++) {
      if (rejected[i]) continue;
      const p = tables[k]![joint.us[i * K + k]!]!;
      byP.set(p, (byP.get(p) ?? 0) + joint.weights[i]!);
    }
    const ps = [...byP.keys()].sort((x, y) => x - y);
    let c = 0;
    let mass = 0;
    for (const p of ps) {
      // 1e-12 absorbs float noise in α(t) (at look 1 the exact mass can equal the spent α).
      if (used + mass + byP.get(p)! > cumulativeSpent[k]! + 1e-12) break;
      mass += byP.get(p)!;
      c = p;
    }
    // With Monte Carlo the first look is known exactly: use the exact marginal instead of the sample.
    if (k === 0 && !exact) {
      c = 0;
      const pmf = tables[0]!;
      const sorted = [...new Set(pmf)].sort((x, y) => x - y);
      for (const p of sorted) if (p <= cumulativeSpent[0]! + 1e-12) c = p;
    }
    for (let i = 0; i < joint.count; i++) {
      if (!rejected[i] && c > 0 && tables[k]![joint.us[i * K + k]!]! <= c) {
        rejected[i] = 1;
        used += joint.weights[i]!;
      }
    }
    nominal.push(c);
    attained.push(used);
  }
  const out: SequentialBoundary = {
    looks,
    alpha,
    spending,
    alternative,
    cumulativeSpent,
    nominal,
    attained,
    method: exact ? 'exact' : 'monte-carlo',
  };
  if (!exact) {
    out.simulations = simulations;
    out.standardError = Math.sqrt((used * (1 - used)) / simulations);
  }
  return out;
};

/**
 * Does a p-value (exact Mann-Whitney, the boundary's alternative) reject at look `look`? p ≤ c_k, with a
 * relative tolerance of 1e-9 so a p that equals an attainable level but was summed in another order
 * still counts (c_k is itself one of the test's attainable p-values).
 */
export const rejectsAt = (boundary: SequentialBoundary, look: number, p: number): boolean => {
  const c = boundary.nominal[look]!;
  return c > 0 && p <= c * (1 + 1e-9);
};

/**
 * Level of the repeated confidence interval for a CI-judged pass line at look k (Jennison & Turnbull
 * 1989, "Interim analyses: the repeated confidence interval approach", JRSS B 51(3)): a two-sided
 * interval whose each side has error c_k, so its one-sided bound is at 1 − c_k. 0 when the look cannot
 * reject (no interval at that look is informative).
 */
export const repeatedCILevel = (boundary: SequentialBoundary, look: number): number => {
  const c = boundary.nominal[look]!;
  return c > 0 ? 1 - 2 * c : 0;
};

/** The smallest p the exact test can give at n vs n: 1/C(2n, n) one-sided, twice that two-sided. */
export const smallestP = (n: number, alternative: MannWhitneyAlternative = 'greater'): number => {
  let c = 1;
  for (let i = 1; i <= n; i++) c = (c * (n + i)) / i;
  return (alternative === 'two-sided' ? 2 : 1) / c;
};

/**
 * The p a test could reach at a later look in the best case for its claim: every run added to `a`
 * above every value seen, every run added to `b` below (for 'greater'; the reverse for 'less'). For
 * deterministic curtailment: if even this misses the nominal level, the line cannot pass.
 */
export const bestCaseP = (
  a: readonly number[],
  b: readonly number[],
  addPerArm: number,
  alternative: 'greater' | 'less',
): number => {
  const all = [...a, ...b];
  const hi = Math.max(...all);
  const lo = Math.min(...all);
  const up = alternative === 'greater';
  const aa = [...a, ...Array.from({ length: addPerArm }, (_, i) => (up ? hi + 1 + i : lo - 1 - i))];
  const bb = [...b, ...Array.from({ length: addPerArm }, (_, i) => (up ? lo - 1 - i : hi + 1 + i))];
  return mannWhitney(aa, bb, { alternative }).p;
};

/** One judged test at a look, as the caller (the trial's analysis) judged it with the look's level. */
export interface LookTest {
  /** 'pass-line': keep needs it to pass; 'stop-rule': firing it drops. */
  role: 'pass-line' | 'stop-rule';
  /** pass-line: 'pass' | 'fail' | 'open'; stop-rule: 'fail' (fired) | 'pass' (cleared) | 'open'. */
  status: 'pass' | 'fail' | 'open';
  /** For an open pass line: can it still pass at a remaining look (e.g. from bestCaseP)? Default true. */
  canStillPass?: boolean;
}

export type LookAction = 'stop' | 'continue';
export interface LookDecision {
  action: LookAction;
  /** settled-pass: every pass line passed and no stop rule is open; settled-fail: a pass line failed or a
   * stop rule fired; curtailed: no remaining look can change the outcome; max: the last look; open. */
  reason: 'settled-pass' | 'settled-fail' | 'curtailed' | 'max' | 'open';
}

/** What to do after look `look` (0-based) of `looks`: stop when settled, curtailed or at the last look. */
export const decideAtLook = (look: number, looks: number, tests: readonly LookTest[]): LookDecision => {
  const lines = tests.filter((t) => t.role === 'pass-line');
  const rules = tests.filter((t) => t.role === 'stop-rule');
  if (rules.some((t) => t.status === 'fail') || lines.some((t) => t.status === 'fail'))
    return { action: 'stop', reason: 'settled-fail' };
  if (lines.every((t) => t.status === 'pass') && rules.every((t) => t.status !== 'open'))
    return { action: 'stop', reason: 'settled-pass' };
  if (look >= looks - 1) return { action: 'stop', reason: 'max' };
  // A pass line that can no longer pass makes keep impossible; if no stop rule is open either, nothing
  // the remaining looks show can change the outcome (inconclusive).
  const keepImpossible = lines.some((t) => t.status === 'open' && t.canStillPass === false);
  if (keepImpossible && rules.every((t) => t.status !== 'open'))
    return { action: 'stop', reason: 'curtailed' };
  return { action: 'continue', reason: 'open' };
};

/** report.json `verdict.sequential` (ARCHITECTURE.md contract). */
export interface SequentialSummary {
  /** 1-based look at which the trial stopped. */
  look: number;
  looks: number;
  runsPerArm: number;
  stoppedEarly: boolean;
  /** The nominal level the tests used at that look. */
  boundary: number;
}

export const sequentialSummary = (boundary: SequentialBoundary, look: number): SequentialSummary => ({
  look: look + 1,
  looks: boundary.looks.length,
  runsPerArm: boundary.looks[look]!,
  stoppedEarly: look < boundary.looks.length - 1,
  boundary: boundary.nominal[look]!,
});
