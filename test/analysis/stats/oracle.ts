import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';

/** Loads test/fixtures/oracle/NAME (written by scripts/oracle/make_reference.py from scipy/numpy/statsmodels). */
export const oracle = <T>(name: string): { meta: Record<string, string>; cases: T } => {
  const path = fileURLToPath(new URL(`../../fixtures/oracle/${name}`, import.meta.url));
  return JSON.parse(readFileSync(path, 'utf8'), (_key, value: unknown) =>
    value === 'NaN' ? NaN : value === 'Infinity' ? Infinity : value === '-Infinity' ? -Infinity : value,
  ) as { meta: Record<string, string>; cases: T };
};

/** |actual − expected| ≤ rel·|expected| + abs, NaN equal to NaN, infinities equal. */
export const assertClose = (actual: number, expected: number, rel: number, abs = 0, what = ''): void => {
  if (Number.isNaN(expected)) return assert.ok(Number.isNaN(actual), `${what}: expected NaN, got ${actual}`);
  if (!Number.isFinite(expected)) return assert.equal(actual, expected, what);
  const err = Math.abs(actual - expected);
  assert.ok(
    err <= rel * Math.abs(expected) + abs,
    `${what}: ${actual} vs oracle ${expected} (abs err ${err.toExponential(2)})`,
  );
};

/** Largest relative error seen, printed so a run can quote it. */
export const relativeError = (actual: number, expected: number): number =>
  expected === actual
    ? 0
    : expected === 0
      ? Math.abs(actual)
      : Math.abs(actual - expected) / Math.abs(expected);
