/**
 * Golden-file comparison (benchstat's habit): whole outputs are compared with files under
 * test/fixtures/report/golden/. UPDATE_GOLDEN=1 rewrites them on purpose; on a mismatch the new
 * output is written to test-artifacts/golden/<name> and the assertion shows a line diff.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const GOLDEN_DIR = new URL('../fixtures/report/golden/', import.meta.url).pathname;
const ARTIFACTS = new URL('../../test-artifacts/golden/', import.meta.url).pathname;

export const assertGolden = (name: string, actual: string): void => {
  const file = join(GOLDEN_DIR, name);
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  assert.ok(existsSync(file), `${file} is missing; create it on purpose with UPDATE_GOLDEN=1`);
  const expected = readFileSync(file, 'utf8');
  if (actual !== expected) {
    mkdirSync(dirname(join(ARTIFACTS, name)), { recursive: true });
    writeFileSync(join(ARTIFACTS, name), actual);
  }
  assert.equal(
    actual,
    expected,
    `${name} differs from ${file}; new output in ${join(ARTIFACTS, name)}; if the change is intended, run with UPDATE_GOLDEN=1`,
  );
};
