import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parsePlan } from '../../src/plan/index.js';

const quick = readFileSync('plans/reference-quick.yaml', 'utf8');

describe('plan canary section', () => {
  it('plans/reference-canary.yaml: split by impl, Go baseline, Rust with its fallbacks, hourly windows, 14-day horizon', () => {
    const plan = parsePlan(
      readFileSync('plans/reference-canary.yaml', 'utf8'),
      'plans/reference-canary.yaml',
    );
    assert.deepEqual(plan.canary?.split, {
      label: 'impl',
      baseline: ['go'],
      candidate: ['rust', 'go-fallback', 'go-breaker'],
    });
    assert.equal(plan.canary?.unit, '1h');
    assert.equal(plan.canary?.horizon, '14d');
    assert.equal(plan.stopRules[0]?.minImprovement, 0.1);
  });

  it('`canary: {}` fills every default (the reference service)', () => {
    const plan = parsePlan(`${quick}\ncanary: {}\n`, 'x.yaml');
    assert.equal(plan.canary?.split.label, 'impl');
    assert.equal(plan.canary?.step, '5m');
    assert.equal(plan.canary?.minRequestsPerWindow, 100);
    assert.equal(plan.canary?.latencyUnit, 'seconds');
  });

  it('a plan without the section is unchanged (no canary field)', () => {
    assert.equal(parsePlan(quick, 'x.yaml').canary, undefined);
  });

  it('names a misspelt field, a bad duration and a value in both arms, with the line', () => {
    assert.throws(
      () => parsePlan(`${quick}\ncanary:\n  untit: 1h\n`, 'x.yaml'),
      /x\.yaml: canary\.untit: unknown field .*\(line \d+\)/,
    );
    assert.throws(
      () => parsePlan(`${quick}\ncanary:\n  unit: an hour\n`, 'x.yaml'),
      /canary\.unit: .*duration/,
    );
    assert.throws(
      () =>
        parsePlan(
          `${quick}\ncanary:\n  split: { label: impl, baseline: [go], candidate: [go, rust] }\n`,
          'x.yaml',
        ),
      /canary\.split\.candidate: "go" is in both arms/,
    );
    assert.throws(
      () => parsePlan(`${quick}\ncanary:\n  queries: { latency: 'x' }\n`, 'x.yaml'),
      /canary\.queries\.latency: unknown field/,
    );
  });
});
