import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parsePlan } from '../../src/plan/index.js';
import { parsePassLineText } from '../../src/plan/pass-line-text.js';

describe('pass lines written as sentences', () => {
  const cases: [string, object][] = [
    ['CPU −30%', { check: 'change', metric: 'cpuSecondsPerRequest', maxChange: -0.3 }],
    [
      'scan p99 −20%',
      { check: 'change', metric: 'latencyMs', quantile: 0.99, endpoint: 'scan', maxChange: -0.2 },
    ],
    ['p99.9 +5%', { check: 'change', metric: 'latencyMs', quantile: 0.999, maxChange: 0.05 }],
    [
      'fields p99 no worse than +5%',
      { check: 'change', metric: 'latencyMs', quantile: 0.99, endpoint: 'fields', maxChange: 0.05 },
    ],
    ['p99 no worse', { check: 'change', metric: 'latencyMs', quantile: 0.99, maxChange: 0 }],
    ['memory flat (±5%)', { check: 'flat', metric: 'rssBytesPeak', tolerance: 0.05 }],
    ['allocations -40%', { check: 'change', metric: 'allocBytesPerRequest', maxChange: -0.4 }],
    ['no new error classes', { check: 'no-new-error-classes' }],
    ['meets the SLO', { check: 'slo' }],
    ['same output', { check: 'same-output' }],
    ['no mismatches', { check: 'same-output' }],
    ['breaker trips within 5 s', { check: 'breaker-trips-within', seconds: 5 }],
    ['the breaker opens within 2.5 seconds', { check: 'breaker-trips-within', seconds: 2.5 }],
    ['rollback within 1 s', { check: 'rollback-within', seconds: 1 }],
    ['rollback within 800 ms', { check: 'rollback-within', seconds: 0.8 }],
    ['no failed requests during the drill', { check: 'no-failed-requests' }],
    ['no failed requests', { check: 'no-failed-requests' }],
    ['pays back within 6 months', { check: 'payback', months: 6 }],
    ['pays back in 1 month', { check: 'payback', months: 1 }],
  ];
  for (const [text, want] of cases) {
    it(`reads "${text}" and keeps the words as text`, () => {
      const line = parsePassLineText(text);
      assert.ok(line, 'parsed');
      assert.equal(line.text, text);
      const { id: _id, text: _t, ...rest } = line;
      assert.deepEqual(rest, want);
    });
  }

  it('refuses "same output" in a plan without response digests, naming the fix', () => {
    const quick = readFileSync('plans/reference-quick.yaml', 'utf8')
      .replace(/passLines:/, 'passLines:\n  - same output')
      .replace(/\ncorrectness:.*\n/, '\n');
    assert.throws(
      () => parsePlan(quick, 'x.yaml'),
      /x\.yaml: passLines\[0\]: "same output" needs response digests/,
    );
  });

  it('returns nothing for a sentence it cannot read', () => {
    assert.equal(parsePassLineText('make it fast'), undefined);
  });

  it('accepts sentences in a plan and names one it cannot read', () => {
    const quick = readFileSync('plans/reference-quick.yaml', 'utf8');
    const text = quick.replace(
      /passLines:[\s\S]*?stopRules/,
      'passLines:\n  - CPU −30%\n  - make it fast\nstopRules',
    );
    assert.throws(
      () => parsePlan(text, 'x.yaml'),
      /^InputError: x\.yaml: passLines\[1\]: cannot read "make it fast" as a pass line/,
    );
    const plan = parsePlan(text.replace('  - make it fast\n', ''), 'x.yaml');
    assert.deepEqual(
      plan.passLines.map((l) => l.check),
      ['change'],
    );
  });
});
