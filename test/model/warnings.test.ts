import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { isWarningCode, warning, WARNING_CODES, WARNINGS } from '../../src/model/index.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The TypeScript that raises warnings: the tool (src/) and the k6-operator trial assembler. */
const sources = (): { path: string; text: string }[] =>
  ['src', 'deploy']
    .flatMap((dir) =>
      readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith('.ts'))
        .map((f) => join(dir, f)),
    )
    .map((path) => ({ path, text: readFileSync(join(ROOT, path), 'utf8') }));

describe('warnings table', () => {
  it('fills the message and hint from the figures, in code-message-hint order', () => {
    const w = warning('truncated-line', { file: 'raw/r1/k6-0.csv', line: 42 });
    assert.deepEqual(w, {
      code: 'truncated-line',
      message: 'raw/r1/k6-0.csv:42: the last line has no newline (interrupted run?) and was left out',
      hint: 'the rest of the file is used; re-run if the run was cut short',
    });
    assert.deepEqual(Object.keys(w), ['code', 'message', 'hint']);
  });
  it('leaves the hint key out of a caveat that has none (report.json has no empty hints)', () => {
    assert.equal('hint' in warning('run-left-out', { runId: 'r1', status: 'failed' }), false);
  });
  it('words one code per place it is raised (few-runs on a comparison and on the trial)', () => {
    const cmp = warning('few-runs', {
      of: 'comparison',
      baselineRuns: 3,
      candidateRuns: 4,
      need: 4,
      familySize: 2,
      family: 'verdict',
      recommended: 5,
    });
    assert.equal(
      cmp.message,
      '3 vs 4 runs: the exact Mann-Whitney test cannot reach p < 0.05 below 4 runs per arm (Holm over 2 judged comparisons)',
    );
    assert.equal(cmp.hint, 'repeat with at least 5 runs per arm (10+ for release reviews)');
    const trial = warning('few-runs', { of: 'trial', perArm: 3, need: 5 });
    assert.equal(trial.message, '3 ok run(s) per arm in the judged phase: too few for a run-level verdict');
    assert.equal(trial.hint, 'plan at least 5 repetitions (10+ for release reviews)');
  });
  it('types each code with its own figures (checked by tsc; the body never runs)', () => {
    const typeChecks = (): void => {
      // @ts-expect-error few-runs needs its figures
      warning('few-runs');
      // @ts-expect-error tied-runs takes none
      warning('tied-runs', {});
      // @ts-expect-error a code outside the table
      warning('rare-events');
      // @ts-expect-error a figure of another code
      warning('dropped-iterations', { droppedIterations: 3 });
    };
    assert.equal(typeof typeChecks, 'function');
  });
  it('knows its codes, and only those', () => {
    assert.equal(WARNING_CODES.length, Object.keys(WARNINGS).length);
    assert.ok(
      WARNING_CODES.every((c) => /^[a-z]+(-[a-z]+)*$/.test(c)),
      'kebab-case codes',
    );
    assert.ok(isWarningCode('few-runs'));
    assert.ok(!isWarningCode('toString'));
    assert.ok(!isWarningCode('rare-events'));
  });
  it('is raised only through warning(): no code is written by hand elsewhere', () => {
    const handWritten = sources().flatMap(({ path, text }) =>
      [...text.matchAll(/\bcode: '([a-z-]+)'/g)]
        .filter((m) => isWarningCode(m[1]))
        .map((m) => `${path}: ${m[1]}`),
    );
    assert.deepEqual(handWritten, []);
  });
  it('has no caveat that nothing raises', () => {
    const all = sources()
      .map((s) => s.text)
      .join('\n');
    const unused = WARNING_CODES.filter((c) => !all.includes(`warning('${c}'`));
    assert.deepEqual(unused, []);
  });
});
