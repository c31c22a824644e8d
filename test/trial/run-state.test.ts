import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RunRecord } from '../../src/model/index.js';
import { failRest, failRun, finishRun, pendingRecord, startRun, blockOf } from '../../src/trial/index.js';
import { randomPort, standInPlan } from './helpers.js';

const plan = standInPlan(randomPort());
const pending = (order = 0): RunRecord => {
  const block = blockOf('candidate', 1, [{ phase: plan.phases[0]! }], order);
  return pendingRecord(plan, block, block.runs[0]!);
};
const result = (over: object = {}) => ({
  status: 'ok' as const,
  thresholdsCrossed: false,
  driverVersion: 'k6 v2.2.0',
  exitCode: 0,
  outputs: ['raw/x/k6-0.csv.gz'],
  logs: ['raw/x/k6-0.log'],
  generator: { limited: false, offeredRps: 30, achievedRps: 30 },
  warnings: [],
  loadSeconds: 2,
  ...over,
});
const outcome = (over: object = {}, res: object = {}) => ({
  result: result(res),
  raw: { outputs: ['raw/x/k6-0.csv.gz'], logs: ['raw/x/service.log'] },
  endedAt: new Date('2026-01-01T00:00:02.000Z'),
  serviceLog: 'raw/x/service.log',
  aborted: false,
  ...over,
});

describe('run state', () => {
  it('pending → running → ok stamps times, pinned CPUs and the driver result in the manifest field order', () => {
    const rec = pending();
    startRun(rec, new Date('2026-01-01T00:00:00.000Z'), { service: 0, generator: 1 });
    assert.equal(rec.status, 'running');
    assert.equal(finishRun(rec, outcome()), 'ok');
    assert.deepEqual(Object.keys(rec), [
      'id',
      'role',
      'configurationName',
      'phase',
      'scenario',
      'repetition',
      'order',
      'driver',
      'driverVersion',
      'status',
      'warmupSeconds',
      'generator',
      'raw',
      'warnings',
      'startedAt',
      'serviceCpu',
      'generatorCpu',
      'endedAt',
      'driverExitCode',
      'thresholdsCrossed',
    ]);
    assert.equal(rec.startedAt, '2026-01-01T00:00:00.000Z');
    assert.equal(rec.endedAt, '2026-01-01T00:00:02.000Z');
    assert.equal(rec.driverVersion, 'k6 v2.2.0');
    assert.equal(rec.generatorCpu, 1);
    assert.equal(rec.failureReason, undefined);
  });

  it('decides the status: interrupt beats a dead service, which beats a driver failure', () => {
    const run = (o: object, r: object = {}) => {
      const rec = pending();
      startRun(rec, new Date(0), {});
      finishRun(rec, outcome(o, r));
      return `${rec.status}: ${rec.failureReason ?? ''}`;
    };
    assert.match(run({ aborted: true, serviceDied: 1 }, { status: 'failed' }), /^interrupted: interrupted/);
    assert.match(
      run({ serviceDied: 137 }, { status: 'failed' }),
      /^failed: the service died .*exit code 137; log: raw\/x\/service.log/,
    );
    assert.equal(run({}, { status: 'failed', failureReason: 'k6 exit 107' }), 'failed: k6 exit 107');
    assert.equal(run({}, { status: 'failed' }), 'failed: the driver failed');
  });

  it('a generator-limited run is ok with a generator-limited warning after the driver’s own', () => {
    const rec = pending();
    startRun(rec, new Date(0), {});
    finishRun(
      rec,
      outcome(
        {},
        {
          generator: { limited: true, limitedReason: 'dropped 5 iterations' },
          warnings: [{ code: 'offered-not-delivered', message: 'm' }],
        },
      ),
    );
    assert.equal(rec.status, 'ok');
    assert.deepEqual(
      rec.warnings.map((w) => `${w.code}: ${w.message}`),
      ['offered-not-delivered: m', 'generator-limited: dropped 5 iterations'],
    );
  });

  it('failRun records the reason (and the end, and replaced raw paths, when given)', () => {
    const rec = pending();
    startRun(rec, new Date(0), {});
    failRun(rec, 'spawn k6 ENOENT', { endedAt: new Date(5) });
    assert.deepEqual(
      [rec.status, rec.failureReason, rec.endedAt],
      ['failed', 'spawn k6 ENOENT', '1970-01-01T00:00:00.005Z'],
    );
  });

  it('failRest fails only the records still in the given state, each with its own raw copy', () => {
    const recs = [pending(0), pending(1), pending(2)];
    startRun(recs[0]!, new Date(0), {});
    finishRun(recs[0]!, outcome());
    const n = failRest(recs, 'service did not start: x', 'pending', {
      raw: { outputs: [], logs: ['raw/s.log'] },
    });
    assert.equal(n, 2);
    assert.deepEqual(
      recs.map((r) => r.status),
      ['ok', 'failed', 'failed'],
    );
    assert.equal(recs[0]!.failureReason, undefined);
    assert.deepEqual(recs[1]!.raw, { outputs: [], logs: ['raw/s.log'] });
    assert.notEqual(recs[1]!.raw, recs[2]!.raw);
    assert.equal(failRest(recs, 'stopped', 'running'), 0);
  });

  it('refuses transitions from the wrong state (a bug in the loop, not bad input)', () => {
    const rec = pending();
    assert.throws(() => finishRun(rec, outcome()), /cannot finish a run that is pending/);
    startRun(rec, new Date(0), {});
    assert.throws(() => startRun(rec, new Date(0), {}), /cannot start a run that is running/);
    finishRun(rec, outcome());
    assert.throws(() => failRun(rec, 'late'), /cannot fail a run that is ok/);
  });
});
