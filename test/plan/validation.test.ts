import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { InputError, maxRepetitions } from '../../src/model/index.js';
import { isLoopbackUrl, parsePlan } from '../../src/plan/index.js';

// The demo plan with its steady phase first, a ramp phase in place of its capacity search (the ramp's
// own checks need one; the search's fields have tests of their own), no profile (it names the search)
// and a fixed number of repetitions (the field tests below break it).
const quick = readFileSync('plans/reference-quick.yaml', 'utf8')
  .replace(/ {2}- name: search\n( {4}.*\n)+/, '')
  .replace(
    /( {2}- \{ name: steady.*\n)/,
    '$1  - name: ramp\n    driver: k6\n    scenario: ramp\n    steps:\n      - { rateRps: 20, durationSeconds: 3 }\n',
  )
  .replace(/profile:\n( {2}.*\n)+/, '')
  .replace(
    'repetitions: { min: 5, max: 10, every: 5 }\nsequential: { spending: pocock, alpha: 0.05 }\n',
    'repetitions: 3\n',
  );

/** The quick plan with one line replaced, to break one field at a time. */
const broken = (from: string, to: string): string => {
  assert.ok(quick.includes(from), `fixture line not found: ${from}`);
  return quick.replace(from, to);
};

const rejects = (text: string, pattern: RegExp, file = 'plans/x.yaml'): void => {
  assert.throws(
    () => parsePlan(text, file),
    (e: Error) => {
      assert.ok(e instanceof InputError, `expected InputError, got ${e.name}`);
      assert.match(e.message, pattern);
      assert.doesNotMatch(e.message, /\n/, 'one line');
      return true;
    },
  );
};

describe('plan validation', () => {
  for (const file of [
    'reference-quick.yaml',
    'reference-release-review.yaml',
    'reference-capacity-ramp.yaml',
    'your-own-service.yaml',
  ]) {
    it(`accepts the example plan plans/${file}`, () => {
      const plan = parsePlan(readFileSync(`plans/${file}`, 'utf8'), `plans/${file}`);
      assert.ok(plan.phases.length >= 1);
      assert.ok(maxRepetitions(plan) >= (file.includes('capacity') ? 1 : 3));
    });
  }

  it('fills in defaults and keeps the author’s pass-line text', () => {
    const plan = parsePlan(quick, 'q.yaml');
    assert.equal(plan.configurations.candidate.kind, 'reference');
    assert.equal(plan.capacity.targetUtilisation, 0.65);
    const cpu = plan.passLines.find((l) => l.id === 'cpu');
    assert.equal(cpu?.text, 'CPU per request −30%');
    assert.equal(cpu?.check === 'change' && cpu.maxChange, -0.3);
  });

  it('a fault drill needs its times and fault rate, clearing after injection', () => {
    const drill = (fields: string) =>
      broken(
        'phases:\n',
        `phases:\n  - { name: fd, driver: k6, scenario: fault-drill, rateRps: 20, durationSeconds: 20${fields} }\n`,
      );
    rejects(
      drill(', clearAtSeconds: 9, faultRate: 0.5'),
      /phases\[0\]\.injectAtSeconds: required for a fault drill/,
    );
    rejects(
      drill(', injectAtSeconds: 9, clearAtSeconds: 4, faultRate: 0.5'),
      /phases\[0\]\.clearAtSeconds: must come after injectAtSeconds/,
    );
    rejects(drill(', injectAtSeconds: 3, clearAtSeconds: 9, faultRate: 1.5'), /phases\[0\]\.faultRate/);
    const ok = parsePlan(drill(', injectAtSeconds: 3, clearAtSeconds: 9, faultRate: 0.5'), 'q.yaml');
    assert.equal(ok.phases[0]?.scenario, 'fault-drill');
  });

  it('reads the bet with its defaults, and names a bad cost field', () => {
    const plan = parsePlan(quick, 'q.yaml');
    assert.equal(plan.bet?.horizonMonths, 12);
    assert.equal(plan.bet?.oneOffHours, 240);
    rejects(broken('  hourlyRate: 120', '  hourlyRate: -1'), /bet\.hourlyRate/);
  });

  it('freezes arrivals: the reference plan says poisson, a phase without the field resolves to uniform', () => {
    const first = parsePlan(quick, 'q.yaml').phases[0];
    assert.equal(first?.driver === 'k6' && first.arrivals, 'poisson');
    const plain = parsePlan(broken(', arrivals: poisson }', ' }'), 'q.yaml').phases[0];
    assert.equal(plain?.driver === 'k6' && plain.arrivals, 'uniform');
  });

  it('refuses an unknown arrivals kind, and replay without a corpus file to take the timestamps from', () => {
    rejects(
      broken('arrivals: poisson }', 'arrivals: bursty }'),
      /phases\[0\]\.arrivals: expected one of "uniform", "poisson", "replay", got "bursty"/,
    );
    rejects(
      broken('arrivals: poisson }', 'arrivals: replay }'),
      /phases\[0\]\.arrivals: replay needs a corpus file with "atMs"/,
    );
  });

  it('reads JSON plans too', () => {
    const plan = parsePlan(JSON.stringify(parsePlan(quick, 'q.yaml')), 'q.json');
    assert.equal(plan.name, 'quick reference');
  });

  it('names file, field path and line for a wrong type', () => {
    const text = broken('maxChange: -0.30 }', 'maxChange: "a lot" }');
    rejects(text, /^plans\/x\.yaml: passLines\[0\]\.maxChange: expected a number, got "a lot" \(line \d+\)$/);
  });

  it('names a missing required field', () => {
    rejects(
      broken('repetitions: 3\n', ''),
      /^plans\/x\.yaml: repetitions: missing; expected a number or an object \(a mapping\)$/,
    );
  });

  it('rejects a misspelt field instead of ignoring it', () => {
    rejects(broken('repetitions: 3', 'repetitons: 3'), /repetitons: unknown field/);
  });

  it('lists the allowed values for an unknown scenario or check', () => {
    rejects(
      broken('scenario: steady,', 'scenario: stedy,'),
      /phases\[0\]\.scenario: expected one of "steady", "ramp".*got "stedy"/,
    );
    rejects(
      broken('check: slo }', 'check: sloo }'),
      /passLines\[3\]\.check: expected one of "change".*got "sloo"/,
    );
  });

  it('requires the rate of a steady phase and the steps of a ramp', () => {
    rejects(
      broken('rateRps: 30, durationSeconds: 3.5,', 'durationSeconds: 3.5,'),
      /phases\[0\]\.rateRps: required for scenario steady/,
    );
    rejects(
      broken('scenario: ramp\n', 'scenario: ramp\n    rateRps: 5\n    durationSeconds: 5\n').replace(
        / {4}steps:\n.*\n/,
        '',
      ),
      /phases\[1\]\.steps: required for a ramp/,
    );
  });

  it('reads a look schedule and freezes its alpha spending (Pocock-type, α 0.05 unless written)', () => {
    const seq = parsePlan(
      broken('repetitions: 3\n', 'repetitions: { min: 5, max: 20, every: 5 }\n'),
      'q.yaml',
    );
    assert.deepEqual(seq.repetitions, { min: 5, max: 20, every: 5 });
    assert.deepEqual(seq.sequential, { spending: 'pocock', alpha: 0.05 });
    const obf = parsePlan(
      broken(
        'repetitions: 3\n',
        'repetitions: { min: 5, max: 20, every: 5 }\nsequential: { spending: obrien-fleming }\n',
      ),
      'q.yaml',
    );
    assert.deepEqual(obf.sequential, { spending: 'obrien-fleming', alpha: 0.05 });
    assert.equal(parsePlan(quick, 'q.yaml').sequential, undefined, 'a fixed number has no sequential part');
  });

  it('rejects a look schedule with max below min, a missing field, or sequential without a schedule', () => {
    rejects(
      broken('repetitions: 3', 'repetitions: { min: 5, max: 3, every: 1 }'),
      /repetitions\.max: must be ≥ min/,
    );
    rejects(
      broken('repetitions: 3', 'repetitions: { min: 5, max: 10 }'),
      /repetitions\.every: missing; expected a number/,
    );
    rejects(
      broken('repetitions: 3\n', 'repetitions: 3\nsequential: { spending: pocock }\n'),
      /sequential: needs repetitions as a look schedule/,
    );
    rejects(
      broken(
        'repetitions: 3\n',
        'repetitions: { min: 5, max: 10, every: 5 }\nsequential: { spending: linear }\n',
      ),
      /sequential\.spending: expected one of "pocock", "obrien-fleming", got "linear"/,
    );
  });

  it('rejects bounds: negative repetitions, share over 1', () => {
    rejects(broken('repetitions: 3', 'repetitions: -1'), /repetitions: expected a value > 0, got -1/);
    rejects(broken('messyShare: 0.02', 'messyShare: 2'), /corpus\.messyShare: expected a value ≤ 1, got 2/);
  });

  it('rejects a corpus mix whose weights are all 0 (nothing to generate), naming the field', () => {
    rejects(
      broken('mix: { scan: 60, fields: 30, orders: 10 }', 'mix: { scan: 0, fields: 0 }'),
      /corpus\.mix: at least one endpoint needs a weight > 0/,
    );
  });

  it('rejects duplicate phase names', () => {
    rejects(broken('name: ramp\n', 'name: steady\n'), /phases\[1\]\.name: duplicate phase name "steady"/);
  });

  it('reports YAML syntax errors with the line', () => {
    rejects('name: [unclosed\nseed: 1\n', /^plans\/x\.yaml:\d+: not valid YAML\/JSON/);
    rejects('- a\n- b\n', /expected a plan object at the top level/);
  });

  it('refuses arrivals, rates and durations on a script phase (its own executors decide), in one line', () => {
    const own = readFileSync('plans/your-own-service.yaml', 'utf8');
    const withField = (field: string): string =>
      own.replace('    script: ./load/httpbin.ts\n', `    script: ./load/httpbin.ts\n    ${field}\n`);
    rejects(
      withField('arrivals: poisson'),
      /phases\[0\]\.arrivals: not allowed on a script phase: the script’s own executors decide its arrivals/,
    );
    rejects(withField('rateRps: 10'), /phases\[0\]\.rateRps: not allowed on a script phase/);
    rejects(
      own.replace('    script: ./load/httpbin.ts\n', ''),
      /phases\[0\]\.script: required for scenario script/,
    );
    rejects(
      broken('scenario: steady,', 'scenario: steady, script: ./x.ts,'),
      /phases\[0\]\.script: only for scenario script/,
    );
  });

  it('keeps a script phase without arrivals when it fills in uniform for the others', () => {
    const plan = parsePlan(
      readFileSync('plans/your-own-service.yaml', 'utf8'),
      'plans/your-own-service.yaml',
    );
    const phase = plan.phases[0];
    assert.equal(phase?.driver === 'k6' && phase.arrivals, undefined);
    assert.deepEqual(phase?.driver === 'k6' && phase.env, { RATE: '80', DURATION: '3' });
  });

  it('tells loopback URLs from others', () => {
    assert.equal(isLoopbackUrl('http://127.0.0.1:8080'), true);
    assert.equal(isLoopbackUrl('http://localhost/x'), true);
    assert.equal(isLoopbackUrl('http://[::1]:80'), true);
    assert.equal(isLoopbackUrl('http://10.0.0.1'), false);
    assert.equal(isLoopbackUrl('http://example.com'), false);
    assert.equal(isLoopbackUrl('not a url'), false);
  });
});
