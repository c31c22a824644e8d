/**
 * Statistical methods, one per file, each citing its definition and checked against scipy/numpy/statsmodels
 * reference values (scripts/oracle/, test/fixtures/oracle/). Pure: no I/O, randomness only from createRng.
 */
export { quantile, sortedCopy } from './quantile.js';
export {
  quantileCI,
  quantileCIRanks,
  binomialCdf,
  binomialUpperFrom,
  minRequestsForQuantile,
} from './quantile-ci.js';
export {
  mannWhitney,
  exactUpperTail,
  exactTails,
  uDistribution,
  tiedUDistribution,
  EXACT_MAX_SAMPLE,
  type MannWhitneyAlternative,
  type MannWhitneyResult,
  type MannWhitneyMethod,
  type MannWhitneyOptions,
} from './mann-whitney.js';
export {
  welch,
  welchOneSided,
  welchInterval,
  welchBoundPValue,
  studentTQuantileUpper,
  meanVar,
  type WelchResult,
} from './welch.js';
export { hodgesLehmann } from './hodges-lehmann.js';
export { cliffsDelta } from './cliffs-delta.js';
export { holm } from './holm.js';
export { createRng, createNormal, randomInt, randomNormal, type Rng } from './rng.js';
export {
  bootstrapRatioCI,
  bootstrapRatios,
  DEFAULT_BOOTSTRAP_ITERATIONS,
  type BootstrapOptions,
} from './bootstrap.js';
export { normalCdf, normalSf, normalPdf, normalQuantile, erfc } from './normal.js';
export { studentTCdf, studentTSf, studentTTwoSided } from './student-t.js';
export { mean, median } from './descriptive.js';
export { logGamma, logBeta, betaInc, betaIncBoth, gammaP, gammaQ } from './special.js';
export {
  describeSample,
  compareSamples,
  quantileCIAround,
  type SampleDescription,
  type SampleComparison,
} from './describe.js';
export {
  alphaSpent,
  bestCaseP,
  decideAtLook,
  looksOf,
  rankBoundaries,
  rejectsAt,
  repeatedCILevel,
  sequentialSummary,
  smallestP,
  SPENDING_FUNCTIONS,
  type LookDecision,
  type LookSchedule,
  type LookTest,
  type SequentialBoundary,
  type SequentialSummary,
  type SpendingFunction,
} from './group-sequential.js';
export { wilsonInterval } from './proportion.js';
