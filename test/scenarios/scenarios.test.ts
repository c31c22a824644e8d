import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { k6Binary } from '../../src/drivers/index.js';

/** k6's own reading of a scenario's options (`k6 inspect`), with the environment hotswap would set. */
const inspect = (
  file: string,
  env: Record<string, string>,
): { scenarios: Record<string, Record<string, unknown>>; thresholds: Record<string, unknown> } => {
  const args = [
    'inspect',
    ...Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]),
    `scenarios/${file}.ts`,
  ];
  return JSON.parse(execFileSync(k6Binary(), args, { encoding: 'utf8' })) as never;
};

const dir = mkdtempSync(join(tmpdir(), 'hotswap-scen-'));
const corpus = join(dir, 'c.ndjson');
writeFileSync(corpus, '{"method":"GET","path":"/v1/orders/1"}\n');
const base = { CORPUS: corpus, SLO_MS: '50', SLO_MAX_ERROR_RATE: '0.001' };

describe('k6 scenarios (read by the real k6 v2)', () => {
  for (const name of ['steady', 'ramp', 'spike', 'soak', 'rollback', 'fault-drill']) {
    it(`scenarios/${name}.ts opens with a comment explaining the traffic shape`, () => {
      const text = readFileSync(`scenarios/${name}.ts`, 'utf8');
      assert.match(text, /^\/\/ [A-Z][a-z]+.*:/);
    });
  }

  it('steady: a constant arrival rate from RATE and DURATION, SLO thresholds on traffic only', () => {
    const o = inspect('steady', { ...base, RATE: '25', DURATION: '7' });
    assert.deepEqual(
      {
        ...o.scenarios.steady,
        gracefulStop: undefined,
        startTime: undefined,
        env: undefined,
        exec: undefined,
        tags: undefined,
      },
      {
        executor: 'constant-arrival-rate',
        rate: 25,
        timeUnit: '1s',
        duration: '7s',
        preAllocatedVUs: 20,
        maxVUs: 125,
        gracefulStop: undefined,
        startTime: undefined,
        env: undefined,
        exec: undefined,
        tags: undefined,
      },
    );
    assert.deepEqual(Object.keys(o.thresholds).sort(), [
      'http_req_duration{traffic:yes}',
      'http_req_failed{traffic:yes}',
      'http_reqs{traffic:yes}',
    ]);
  });

  it('ramp: one flat plateau per step', () => {
    const o = inspect('ramp', { ...base, STEPS: '10:2,30:4' });
    assert.deepEqual(o.scenarios.ramp?.stages, [
      { duration: '0s', target: 10 },
      { duration: '2s', target: 10 },
      { duration: '0s', target: 30 },
      { duration: '4s', target: 30 },
    ]);
  });

  it('spike: 40 % base, 20 % at 3× the rate, 40 % base', () => {
    const o = inspect('spike', { ...base, RATE: '10', DURATION: '10' });
    assert.deepEqual(
      (o.scenarios.spike?.stages as { duration: string; target: number }[]).filter(
        (s) => s.duration !== '0s',
      ),
      [
        { duration: '4s', target: 10 },
        { duration: '2s', target: 30 },
        { duration: '4s', target: 10 },
      ],
    );
  });

  it('rollback: traffic plus one flip and one flip back at FLIP_AT / FLIP_BACK_AT', () => {
    const o = inspect('rollback', { ...base, RATE: '10', DURATION: '9', FLIP_AT: '3', FLIP_BACK_AT: '6' });
    assert.equal(o.scenarios.flip?.startTime, '3s');
    assert.equal(o.scenarios.flipBack?.startTime, '6s');
    assert.equal(o.scenarios.traffic?.executor, 'constant-arrival-rate');
  });

  it('fault-drill: traffic plus one injection and one clearing at INJECT_AT / CLEAR_AT', () => {
    const o = inspect('fault-drill', { ...base, RATE: '10', DURATION: '9', INJECT_AT: '2', CLEAR_AT: '5' });
    assert.equal(o.scenarios.inject?.startTime, '2s');
    assert.equal(o.scenarios.clear?.startTime, '5s');
    assert.equal(o.scenarios.traffic?.executor, 'constant-arrival-rate');
  });

  it('refuses a corpus whose path could leave the target host ("@host/…", "//host/…"), naming the line', () => {
    // k6 inspect runs the init code (the corpus is loaded there) and sends no request.
    for (const path of ['@10.0.0.5/x', '//10.0.0.5/x', 'v1/scan']) {
      const bad = join(dir, 'bad.ndjson');
      writeFileSync(
        bad,
        `{"method":"GET","path":"/v1/orders/1"}\n${JSON.stringify({ method: 'GET', path })}\n`,
      );
      assert.throws(
        () => inspect('steady', { ...base, CORPUS: bad, RATE: '1', DURATION: '1' }),
        /bad\.ndjson:2: \\?"path\\?" must start with a single/, // k6 logs the message with escaped quotes
        path,
      );
    }
  });

  it('refuses to start without its required settings, naming the variable', () => {
    assert.throws(() => inspect('steady', { CORPUS: corpus }), /RATE is required/);
  });
});
