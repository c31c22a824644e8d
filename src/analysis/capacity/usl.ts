import { InputError, warning, type Warning } from '../../model/index.js';

/**
 * Universal Scalability Law fit: X(N) = λN / (1 + σ(N − 1) + κN(N − 1)).
 *
 * Model: Gunther, Guerrilla Capacity Planning (Springer 2007), ch. 4–5: σ is contention (serialisation),
 * κ coherency (crosstalk), λ the throughput of one unit of load without either. With κ > 0 throughput
 * peaks at N* = √((1 − σ)/κ) (ibid. eq. 4.33) and falls beyond it (the retrograde region); with κ = 0 the
 * model is Amdahl's law and has no peak, only the ceiling λ/σ.
 *
 * Fit: least squares on throughput, min Σ (X_i − X(N_i))², bounded σ, κ ∈ [0, 1], λ > 0, like
 * scipy.optimize.curve_fit(bounds=…) and the R usl package's nlxb method (Möding, CRAN `usl`). Because X
 * is linear in λ, λ is profiled out (variable projection, Golub & Pereyra 1973): for fixed (σ, κ),
 * λ̂ = Σ X g / Σ g² with g = N/D. The two remaining parameters are located by a log-spaced grid over the
 * box (the objective has long curved valleys; a grid finds the right one), then refined by a projected
 * Levenberg–Marquardt on (λ, σ, κ) with analytic derivatives (Moré 1978), bounds enforced by clamping
 * and freezing parameters held at a bound. Checked against scipy curve_fit (test/fixtures/oracle/usl.json)
 * and the published SPEC SDM91 fit (σ = 0.0277285, κ = 0.0001044, λ = 89.995, R usl README).
 */
export interface UslPoint {
  /** Concurrency, virtual users, cores… (N > 0). */
  load: number;
  /** Completed work per unit time at that load (X ≥ 0). */
  throughput: number;
}

export interface UslFit {
  sigma: number;
  kappa: number;
  lambda: number;
  /** N* and X(N*); load is Infinity (and throughput the ceiling λ/σ, or Infinity) when κ = 0. */
  peak: { load: number; throughput: number };
  /** Residual sum of squares of the fit. */
  sse: number;
  /** Coefficient of determination on throughput. */
  rSquared: number;
  warnings: Warning[];
}

export const USL_MIN_POINTS = 6;

/** X(N) for given parameters. */
export const uslThroughput = (n: number, sigma: number, kappa: number, lambda: number): number =>
  (lambda * n) / (1 + sigma * (n - 1) + kappa * n * (n - 1));

export const fitUsl = (points: UslPoint[]): UslFit => {
  validate(points);
  const loads = points.map((p) => p.load);
  const xs = points.map((p) => p.throughput);
  const start = gridStart(loads, xs);
  const [lambda, sigma, kappa] = refine(loads, xs, start);
  const sse = sumSquares(loads, xs, sigma, kappa, lambda);
  const meanX = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sst = xs.reduce((a, x) => a + (x - meanX) ** 2, 0);
  const peak = uslPeak(sigma, kappa, lambda);
  return {
    sigma,
    kappa,
    lambda,
    peak,
    sse,
    rSquared: sst > 0 ? 1 - sse / sst : NaN,
    warnings: fitWarnings(loads, peak, kappa),
  };
};

/** N* = √((1 − σ)/κ) and X(N*); with κ = 0 there is no peak (Amdahl: ceiling λ/σ as N → ∞). */
export const uslPeak = (
  sigma: number,
  kappa: number,
  lambda: number,
): { load: number; throughput: number } => {
  if (kappa <= 0) return { load: Infinity, throughput: sigma > 0 ? lambda / sigma : Infinity };
  const load = Math.sqrt((1 - sigma) / kappa);
  return { load, throughput: uslThroughput(load, sigma, kappa, lambda) };
};

const validate = (points: UslPoint[]): void => {
  if (points.length < USL_MIN_POINTS) {
    throw new InputError(
      `a USL fit needs at least ${USL_MIN_POINTS} (load, throughput) points, got ${points.length}: three parameters need more points than that to be checked`,
    );
  }
  points.forEach((p, i) => {
    if (!(Number.isFinite(p.load) && p.load > 0))
      throw new InputError(`point ${i + 1}: load must be > 0, got ${p.load}`);
    if (!(Number.isFinite(p.throughput) && p.throughput >= 0)) {
      throw new InputError(`point ${i + 1}: throughput must be ≥ 0, got ${p.throughput}`);
    }
  });
  if (points.every((p) => p.throughput === 0)) throw new InputError('every throughput is 0: nothing to fit');
  if (new Set(points.map((p) => p.load)).size < 3)
    throw new InputError('a USL fit needs at least 3 distinct loads');
};

const fitWarnings = (loads: number[], peak: { load: number }, kappa: number): Warning[] => {
  const maxLoad = Math.max(...loads);
  const warnings: Warning[] = [];
  if (kappa === 0 || peak.load > 10 * maxLoad) {
    warnings.push(warning('usl-no-retrograde', { kappa, peakLoad: peak.load, maxLoad }));
  } else if (peak.load > maxLoad) {
    warnings.push(warning('usl-peak-extrapolated', { peakLoad: peak.load, maxLoad }));
  }
  return warnings;
};

const sumSquares = (loads: number[], xs: number[], sigma: number, kappa: number, lambda: number): number => {
  let s = 0;
  for (let i = 0; i < loads.length; i++) s += (xs[i]! - uslThroughput(loads[i]!, sigma, kappa, lambda)) ** 2;
  return s;
};

/** λ̂(σ, κ) = Σ X g / Σ g², g = N/D: the least-squares λ for fixed σ, κ. */
const profiledLambda = (loads: number[], xs: number[], sigma: number, kappa: number): number => {
  let sxg = 0;
  let sgg = 0;
  for (let i = 0; i < loads.length; i++) {
    const g = uslThroughput(loads[i]!, sigma, kappa, 1);
    sxg += xs[i]! * g;
    sgg += g * g;
  }
  return sxg / sgg;
};

type Params = [lambda: number, sigma: number, kappa: number];

/** 0 plus log-spaced values from 1e-9 to 1, for a bounded parameter that may be tiny. */
const axis = (count: number): number[] => [
  0,
  ...Array.from({ length: count }, (_, i) => 10 ** (-9 + (9 * i) / (count - 1))),
];

const gridStart = (loads: number[], xs: number[]): Params => {
  let best: Params = [profiledLambda(loads, xs, 0, 0), 0, 0];
  let bestSse = Infinity;
  for (const sigma of axis(60)) {
    for (const kappa of axis(80)) {
      const lambda = profiledLambda(loads, xs, sigma, kappa);
      const sse = sumSquares(loads, xs, sigma, kappa, lambda);
      if (sse < bestSse) {
        bestSse = sse;
        best = [lambda, sigma, kappa];
      }
    }
  }
  return best;
};

const LOWER: Params = [Number.MIN_VALUE, 0, 0];
const UPPER: Params = [Infinity, 1, 1];

/** Projected Levenberg–Marquardt from `start`. */
const refine = (loads: number[], xs: number[], start: Params): Params => {
  let p: Params = [...start];
  let sse = sumSquares(loads, xs, p[1], p[2], p[0]);
  let mu = 1e-3;
  for (let iter = 0; iter < 500; iter++) {
    const { jtj, jtr } = normalEquations(loads, xs, p);
    // Freeze a parameter sitting on a bound whose gradient pushes it outward.
    const free = [0, 1, 2].filter((k) => {
      const atLower = p[k]! <= LOWER[k]! && jtr[k]! < 0;
      const atUpper = p[k]! >= UPPER[k]! && jtr[k]! > 0;
      return !(atLower || atUpper);
    });
    if (free.length === 0) break;
    let improved = false;
    for (let tries = 0; tries < 30 && !improved; tries++) {
      const step = solveDamped(jtj, jtr, free, mu);
      if (!step) {
        mu *= 10;
        continue;
      }
      const candidate = p.map((v, k) => Math.min(UPPER[k]!, Math.max(LOWER[k]!, v + step[k]!))) as Params;
      const candidateSse = sumSquares(loads, xs, candidate[1], candidate[2], candidate[0]);
      if (candidateSse < sse) {
        const relativeGain = (sse - candidateSse) / Math.max(sse, Number.MIN_VALUE);
        p = candidate;
        sse = candidateSse;
        mu = Math.max(mu / 10, 1e-15);
        improved = true;
        if (relativeGain < 1e-15) return p;
      } else {
        mu *= 10;
      }
    }
    if (!improved) break;
  }
  return p;
};

/** JᵀJ and Jᵀr for residuals r = X − f, with ∂f/∂λ = N/D, ∂f/∂σ = −λN(N−1)/D², ∂f/∂κ = −λN²(N−1)/D². */
const normalEquations = (loads: number[], xs: number[], [lambda, sigma, kappa]: Params) => {
  const jtj = [
    [0, 0, 0],
    [0, 0, 0],
    [0, 0, 0],
  ];
  const jtr = [0, 0, 0];
  for (let i = 0; i < loads.length; i++) {
    const n = loads[i]!;
    const d = 1 + sigma * (n - 1) + kappa * n * (n - 1);
    const f = (lambda * n) / d;
    const r = xs[i]! - f;
    const grad = [n / d, (-lambda * n * (n - 1)) / (d * d), (-lambda * n * n * (n - 1)) / (d * d)];
    for (let a = 0; a < 3; a++) {
      jtr[a]! += grad[a]! * r;
      for (let b = 0; b < 3; b++) jtj[a]![b]! += grad[a]! * grad[b]!;
    }
  }
  return { jtj, jtr };
};

/** Solves (JᵀJ + μ·diag(JᵀJ)) δ = Jᵀr on the free parameters (Gaussian elimination, partial pivoting). */
const solveDamped = (jtj: number[][], jtr: number[], free: number[], mu: number): number[] | null => {
  const k = free.length;
  const m = free.map((a) => [...free.map((b) => jtj[a]![b]! * (a === b ? 1 + mu : 1)), jtr[a]!]);
  for (let col = 0; col < k; col++) {
    let pivot = col;
    for (let row = col + 1; row < k; row++)
      if (Math.abs(m[row]![col]!) > Math.abs(m[pivot]![col]!)) pivot = row;
    if (m[pivot]![col] === 0) return null;
    [m[col], m[pivot]] = [m[pivot]!, m[col]!];
    for (let row = 0; row < k; row++) {
      if (row === col) continue;
      const factor = m[row]![col]! / m[col]![col]!;
      for (let c = col; c <= k; c++) m[row]![c]! -= factor * m[col]![c]!;
    }
  }
  const step = [0, 0, 0];
  free.forEach((a, i) => (step[a] = m[i]![k]! / m[i]![i]!));
  return step.every(Number.isFinite) ? step : null;
};
