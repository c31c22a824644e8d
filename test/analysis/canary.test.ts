import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { histogramQuantile, judgeCanary, type CanaryInput } from '../../src/analysis/canary.js';
import type { CanaryData, CanarySpec, MatrixSeries, Plan } from '../../src/model/index.js';
import { canarySchema } from '../../src/plan/canary-schema.js';
import { parsePlan } from '../../src/plan/index.js';
import { readFileSync } from 'node:fs';

const plan = parsePlan(readFileSync('plans/reference-canary.yaml', 'utf8'), 'plans/reference-canary.yaml');
const LE = [0.005, 0.01, 0.02, 0.05, 0.1, Infinity];
const STEP = 60;
const START = 1_700_000_000;

/**
 * Synthetic matrix results: `windows` hours of STEP-second points per (impl, endpoint); each step adds
 * `rps·STEP` requests spread over the buckets by `shares(impl, endpoint)` (cumulative, ending at 1).
 */
const synth = (opts: {
  hours: number;
  impls: Record<string, number>;
  shares: (impl: string, endpoint: string, step: number) => number[];
  errors?: (impl: string) => number;
  label?: string;
  cpu?: (value: string) => number;
}): CanaryData => {
  const label = opts.label ?? 'impl';
  const steps = (opts.hours * 3600) / STEP;
  const bucket: MatrixSeries[] = [];
  const requests: MatrixSeries[] = [];
  const errors: MatrixSeries[] = [];
  const cpu: MatrixSeries[] = [];
  for (const [impl, rps] of Object.entries(opts.impls)) {
    for (const endpoint of ['scan', 'fields']) {
      const n = rps * STEP;
      const ts = Array.from({ length: steps }, (_, i) => START + (i + 1) * STEP);
      LE.forEach((le, b) =>
        bucket.push({
          metric: { [label]: impl, endpoint, le: le === Infinity ? '+Inf' : String(le) },
          values: ts.map((t, i) => [t, String(n * opts.shares(impl, endpoint, i)[b]!)]),
        }),
      );
      requests.push({ metric: { [label]: impl, endpoint }, values: ts.map((t) => [t, String(n)]) });
      errors.push({
        metric: { [label]: impl, endpoint },
        values: ts.map((t) => [t, String(n * (opts.errors?.(impl) ?? 0))]),
      });
    }
    if (opts.cpu)
      cpu.push({
        metric: { [label]: impl },
        values: Array.from({ length: steps }, (_, i) => [
          START + (i + 1) * STEP,
          String(opts.cpu!(impl) * rps * STEP * 2),
        ]),
      });
  }
  return {
    source: { kind: 'file' },
    start: START,
    end: START + opts.hours * 3600,
    stepSeconds: STEP,
    queries: {
      latencyBuckets: { query: 'b', result: bucket },
      requests: { query: 'r', result: requests },
      errors: { query: 'e', result: errors },
      ...(opts.cpu ? { cpuSeconds: { query: 'c', result: cpu } } : {}),
    },
  };
};

const input = (data: CanaryData, spec: Partial<CanarySpec> = {}, p: Plan = plan): CanaryInput => ({
  plan: p,
  spec: { ...(p.canary ?? (canarySchema.parse({}) as CanarySpec)), ...spec },
  data,
  start: data.start,
  end: data.end,
  unitSeconds: 3600,
  id: 'c1',
  frozenAt: '2026-12-01T00:00:00.000Z',
  version: 'test',
  environment: { cpus: 1, node: 'v20', pinned: false, targetHost: 'file' },
});

/** A noisy but seeded shape: hour i moves the bulk between buckets a little. */
const shape = (fast: boolean, i: number): number[] => {
  const wobble = ((i * 7919) % 97) / 970; // 0 … 0.1, distinct for 97 hours
  return fast
    ? [0.3 + wobble, 0.8, 0.97, 0.995, 0.999, 1]
    : [0.1 + wobble, 0.5, 0.9, 0.97 + wobble / 10, 0.995, 1];
};

describe('histogramQuantile (PromQL histogram_quantile)', () => {
  it('interpolates linearly inside the bucket holding rank q·count, from 0 in the first bucket', () => {
    const b = new Map([
      [0.1, 50],
      [0.2, 90],
      [0.4, 100],
      [Infinity, 100],
    ]);
    assert.equal(histogramQuantile(0.5, b), 0.1); // rank 50 is the top of the first bucket
    assert.ok(Math.abs(histogramQuantile(0.7, b) - 0.15) < 1e-12); // rank 70: halfway through (0.1, 0.2]
    assert.ok(Math.abs(histogramQuantile(0.25, b) - 0.05) < 1e-12);
  });

  it('returns the last finite bound when the rank falls in +Inf, and NaN without +Inf or requests', () => {
    assert.equal(
      histogramQuantile(
        0.99,
        new Map([
          [0.1, 50],
          [Infinity, 100],
        ]),
      ),
      0.1,
    );
    assert.ok(Number.isNaN(histogramQuantile(0.5, new Map([[0.1, 5]]))));
    assert.ok(
      Number.isNaN(
        histogramQuantile(
          0.5,
          new Map([
            [0.1, 0],
            [Infinity, 0],
          ]),
        ),
      ),
    );
  });

  it('makes the buckets monotonic first (increase() extrapolation can break it), as Prometheus does', () => {
    const b = new Map([
      [0.1, 60],
      [0.2, 58],
      [Infinity, 100],
    ]);
    assert.equal(
      histogramQuantile(0.5, b),
      histogramQuantile(
        0.5,
        new Map([
          [0.1, 60],
          [0.2, 60],
          [Infinity, 100],
        ]),
      ),
    );
  });
});

describe('judgeCanary (paired windows, plan pass lines and stop rule)', () => {
  it('keeps a Rust arm clearly faster in every hour: stop rule clear, p99 better, Wilcoxon exact on 24 windows', () => {
    const m = judgeCanary(
      input(
        synth({ hours: 24, impls: { go: 10, rust: 10 }, shares: (impl, _e, i) => shape(impl === 'rust', i) }),
      ),
    );
    const scan = m.comparisons.find(
      (c) => c.endpoint === 'scan' && c.metric === 'latencyMs' && c.quantile === 0.99,
    )!;
    assert.ok(scan.ratio < 0.9, `ratio ${scan.ratio}`);
    assert.equal(scan.method, 'wilcoxon-signed-rank-exact');
    assert.equal(scan.baseline.values.length, 24);
    assert.equal(m.verdict.decision, 'keep', `reasons: ${m.verdict.reasons.join('; ')}`);
    assert.equal(m.canary!.stopRule[0]!.outcome, 'keep');
    assert.equal(m.canary!.windowsUsed, 24);
    assert.ok(m.canary!.windows.every((w) => w.judgement === 'better'));
  });

  it('identical arms (A/A) are not keep: the stop rule cannot be cleared', () => {
    const m = judgeCanary(
      input(synth({ hours: 24, impls: { go: 10, rust: 10 }, shares: (_impl, _e, i) => shape(false, i) })),
    );
    assert.notEqual(m.verdict.decision, 'keep');
    assert.equal(m.verdict.decision, 'drop', m.verdict.reasons.join('; '));
    assert.match(m.canary!.stopRule[0]!.outcome, /switch back to Go path/);
  });

  it('counts go-fallback in the Rust arm (intent to treat) and says so', () => {
    const m = judgeCanary(
      input(
        synth({
          hours: 8,
          impls: { go: 10, rust: 9, 'go-fallback': 1 },
          shares: (impl, _e, i) => shape(impl === 'rust', i),
        }),
      ),
    );
    const w = m.canary!.windows[0]!;
    assert.equal(w.candidate!.requests, 2 * 10 * 3600);
    assert.equal(w.candidate!.fallbacks, 2 * 1 * 3600);
    assert.ok(m.warnings.some((x) => x.code === 'canary-fallbacks'));
  });

  it('with an impl split says CPU is not separable and leaves a CPU pass line out of the verdict', () => {
    const withCpu = parsePlan(
      readFileSync('plans/reference-canary.yaml', 'utf8').replace(
        'passLines:\n',
        "passLines:\n  - { id: cpu, text: 'CPU −30%', check: change, metric: cpuSecondsPerRequest, maxChange: -0.3 }\n",
      ),
      'x.yaml',
    );
    const m = judgeCanary(
      input(
        synth({ hours: 24, impls: { go: 10, rust: 10 }, shares: (impl, _e, i) => shape(impl === 'rust', i) }),
        {},
        withCpu,
      ),
    );
    assert.equal(m.canary!.cpuSeparable, false);
    assert.ok(m.verdict.reasons.some((r) => r.includes('"CPU −30%" not judged')));
    assert.equal(m.verdict.decision, 'keep');
  });

  it('with an instance split compares CPU per request, paired by window', () => {
    const m = judgeCanary(
      input(
        synth({
          hours: 12,
          label: 'instance',
          impls: { a: 10, b: 10 },
          shares: (v, _e, i) => shape(v === 'b', i),
          cpu: (v) => (v === 'b' ? 0.001 : 0.002),
        }),
        { split: { label: 'instance', baseline: ['a'], candidate: ['b'] } },
      ),
    );
    const cpu = m.comparisons.find((c) => c.metric === 'cpuSecondsPerRequest')!;
    assert.ok(Math.abs(cpu.ratio - 0.5) < 1e-9, `cpu ratio ${cpu.ratio}`);
    assert.equal(m.canary!.cpuSeparable, true);
  });

  it('leaves out windows where an arm has too few requests, and names series in neither arm', () => {
    const data = synth({
      hours: 6,
      impls: { go: 10, rust: 0.01, shadow: 1 },
      shares: (impl, _e, i) => shape(impl === 'rust', i),
    });
    const m = judgeCanary(input(data));
    assert.equal(m.canary!.windowsUsed, 0);
    assert.match(m.canary!.windows[0]!.skippedReason!, /candidate had 72 requests \(< 100\)/);
    assert.ok(
      m.warnings.some((w) => w.code === 'canary-unassigned-series' && w.message.includes('"shadow"')),
    );
    assert.notEqual(m.verdict.decision, 'keep');
  });

  it('a new error class in the Rust arm fails "no new error classes" (drop)', () => {
    const m = judgeCanary(
      input(
        synth({
          hours: 24,
          impls: { go: 10, rust: 10 },
          shares: (impl, _e, i) => shape(impl === 'rust', i),
          errors: (impl) => (impl === 'rust' ? 0.01 : 0),
        }),
      ),
    );
    assert.equal(m.verdict.decision, 'drop');
    assert.ok(m.verdict.reasons.some((r) => r.includes('no new error classes')));
    const er = m.comparisons.find((c) => c.metric === 'errorRate')!;
    assert.ok(er.ratio > 1);
  });
});
