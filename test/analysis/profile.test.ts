import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  amdahlCeiling,
  callTree,
  endpointCpu,
  functionShares,
  requestsBetween,
  summarizeProfile,
} from '../../src/analysis/profile.js';
import { decodeCpuProfile } from '../../src/ingest/pprof.js';
import type { CpuProfileData } from '../../src/model/index.js';

const MS10 = 10_000_000;

/** A hand-built profile: stacks leaf first, `count` samples of 10 ms each. */
const profile = (rows: [string[], number, Record<string, string>?][]): CpuProfileData => ({
  periodNanos: MS10,
  durationNanos: 1e9,
  samples: rows.map(([stack, count, labels]) => ({
    stack,
    count,
    cpuNanos: count * MS10,
    labels: labels ?? {},
  })),
});

const share = (p: CpuProfileData, name: string) => functionShares(p).find((f) => f.name === name);

describe('functionShares (flat = leaf frame, cum = anywhere in the stack once per sample)', () => {
  const p = profile([
    [['kernel', 'scan', 'main'], 6],
    [['json', 'scan', 'main'], 2],
    [['gc'], 2],
  ]);

  it('gives the leaf its flat share and every frame its cumulative share', () => {
    assert.deepEqual(share(p, 'kernel'), { name: 'kernel', flat: 0.6, cum: 0.6 });
    assert.deepEqual(share(p, 'scan'), { name: 'scan', flat: 0, cum: 0.8 });
    assert.deepEqual(share(p, 'main'), { name: 'main', flat: 0, cum: 0.8 });
    assert.deepEqual(share(p, 'gc'), { name: 'gc', flat: 0.2, cum: 0.2 });
  });

  it('sorts by flat share and sums flat shares to 1', () => {
    const all = functionShares(p);
    assert.equal(all[0]!.name, 'kernel');
    assert.ok(Math.abs(all.reduce((s, f) => s + f.flat, 0) - 1) < 1e-12);
  });

  it('counts a recursive function once per sample, so cum never exceeds 1', () => {
    const r = profile([
      [['walk', 'walk', 'walk', 'main'], 3],
      [['other', 'main'], 1],
    ]);
    assert.deepEqual(share(r, 'walk'), { name: 'walk', flat: 0.75, cum: 0.75 });
    for (const f of functionShares(r)) assert.ok(f.cum <= 1 && f.flat <= f.cum);
  });

  it('is empty for an empty profile', () => {
    assert.deepEqual(functionShares(profile([])), []);
  });
});

describe('summarizeProfile', () => {
  const p = profile([
    [['regexp.match', 'internal/kernel.Scan', 'server.scan'], 70, { endpoint: 'scan' }],
    [['json.Marshal', 'server.fields'], 20, { endpoint: 'fields' }],
    [['runtime.gcDrain'], 10],
  ]);
  const base = { role: 'baseline', phase: 'steady', runId: 'r0', hotspot: ['kernel\\.Scan$'] } as const;

  it('gives the hotspot share (cumulative share of matching functions) with a Wilson CI', () => {
    const s = summarizeProfile({ ...base, profile: p, minSamples: 50 });
    assert.equal(s.samples, 100);
    assert.equal(s.hotspotShare, 0.7);
    assert.ok(s.hotspotCI95![0] < 0.7 && s.hotspotCI95![1] > 0.7);
    assert.ok(Math.abs(s.unlabelledShare - 0.1) < 1e-12);
    assert.equal(s.rustShare, undefined, 'no cgo frames, no Rust share');
    assert.deepEqual(amdahlCeiling(s)!.change, -0.7);
  });

  it('says the share is too uncertain below minSamples and gives no share', () => {
    const s = summarizeProfile({ ...base, profile: p, minSamples: 1000 });
    assert.equal(s.tooFewSamples, true);
    assert.equal(s.hotspotShare, undefined);
    assert.equal(s.warnings[0]!.code, 'few-profile-samples');
  });

  it("gives the coverage (samples' CPU over the service's CPU in the window) and warns below 80 %", () => {
    // 100 samples of 10 ms = 1.00 s of samples.
    const full = summarizeProfile({
      ...base,
      profile: p,
      minSamples: 50,
      serviceCpu: { seconds: 1.05, source: 'cgroup' },
    });
    assert.ok(Math.abs(full.coverage!.share - 1 / 1.05) < 1e-12);
    assert.equal(full.coverage!.serviceCpuSeconds, 1.05);
    assert.ok(!full.warnings.some((w) => w.code === 'profile-low-coverage'));
    const low = summarizeProfile({
      ...base,
      profile: p,
      minSamples: 50,
      serviceCpu: { seconds: 1.39, source: 'proc' },
    });
    assert.ok(Math.abs(low.coverage!.share - 0.72) < 0.001);
    const w = low.warnings.find((x) => x.code === 'profile-low-coverage')!;
    assert.match(
      w.message,
      /covers 72 % of the service's CPU in its window \(1\.00 s of samples, 1\.39 s measured by the \/proc schedstat\)/,
    );
    // Sampling can overshoot the OS figure a little: the share is capped at 1.
    const over = summarizeProfile({
      ...base,
      profile: p,
      minSamples: 50,
      serviceCpu: { seconds: 0.98, source: 'cgroup' },
    });
    assert.equal(over.coverage!.share, 1);
    assert.equal(summarizeProfile({ ...base, profile: p, minSamples: 50 }).coverage, undefined);
  });

  it('reports time under runtime.cgocall / _Cfunc_* as the Rust share', () => {
    const rust = profile([
      [
        ['runtime.cgocall', 'internal/hotspot._Cfunc_hotspot_scan', 'internal/hotspot.Scan'],
        40,
        { endpoint: 'scan' },
      ],
      [['json.Marshal'], 60, { endpoint: 'scan' }],
    ]);
    const s = summarizeProfile({ ...base, hotspot: ['hotspot\\.Scan$'], profile: rust, minSamples: 10 });
    assert.equal(s.rustShare!.share, 0.4);
    assert.equal(s.hotspotShare, 0.4);
  });

  it('gives CPU per request per endpoint from the labelled samples', () => {
    const e = endpointCpu(p, { scan: 70, fields: 200, orders: 10 });
    const by = Object.fromEntries(e.map((x) => [x.endpoint, x]));
    assert.ok(Math.abs(by.scan!.cpuSeconds - 0.7) < 1e-12);
    assert.ok(Math.abs(by.scan!.cpuSecondsPerRequest! - 0.01) < 1e-12);
    assert.ok(Math.abs(by.fields!.cpuSecondsPerRequest! - 0.001) < 1e-12);
    assert.equal(by.orders!.cpuSecondsPerRequest, 0, 'an endpoint without samples used no sampled CPU');
  });

  it('builds the call tree root-first and prunes nodes under the minimum share', () => {
    const t = callTree(p, 0.15);
    assert.equal(t.samples, 100);
    assert.deepEqual(
      t.children.map((c) => [c.name, c.samples]),
      [
        ['server.scan', 70],
        ['server.fields', 20],
      ],
    );
    assert.equal(t.children[0]!.children[0]!.name, 'internal/kernel.Scan');
  });
});

describe('requestsBetween', () => {
  it('sums hotswap_requests_total per endpoint over impl and outcome', () => {
    const m = (e: string, v: number, impl = 'go') => ({
      name: 'hotswap_requests_total',
      labels: { endpoint: e, impl, outcome: 'ok' },
      value: v,
    });
    assert.deepEqual(
      requestsBetween([m('scan', 10), m('orders', 1)], [m('scan', 30), m('scan', 5, 'rust'), m('orders', 4)]),
      {
        scan: 25,
        orders: 3,
      },
    );
    assert.equal(requestsBetween([], [m('scan', 1)]), undefined);
  });
});

/** `go tool pprof -top` output (test/fixtures/pprof/*.top.txt): flat% and cum% per function. */
const pprofTop = (file: string): Map<string, { flat: number; cum: number }> => {
  const out = new Map<string, { flat: number; cum: number }>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m =
      /^\s*[\d.]+(?:m?s)?\s+([\d.]+)%\s+[\d.]+%\s+[\d.]+(?:m?s)?\s+([\d.]+)%\s+(.+?)( \(inline\))?$/.exec(
        line,
      );
    if (m) out.set(m[3]!, { flat: Number(m[1]) / 100, cum: Number(m[2]) / 100 });
  }
  return out;
};

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/pprof/${name}`, import.meta.url));

describe('real profiles of both builds under k6 load (test/fixtures/pprof, PROVENANCE.md)', () => {
  for (const build of ['baseline', 'rust'] as const) {
    it(`${build}: flat and cum shares of every function equal go tool pprof -top`, () => {
      const p = decodeCpuProfile(readFileSync(fixture(`${build}.pb.gz`)), `${build}.pb.gz`);
      const ours = new Map(functionShares(p).map((f) => [f.name, f]));
      const theirs = pprofTop(fixture(`${build}.top.txt`));
      assert.ok(theirs.size > 20, `${theirs.size} functions in the pprof output`);
      assert.equal(ours.size, theirs.size);
      for (const [name, t] of theirs) {
        const o = ours.get(name);
        assert.ok(o, `${name} missing`);
        // pprof prints two decimals of a percent.
        assert.ok(Math.abs(o.flat - t.flat) <= 0.00006, `${name} flat ${o.flat} vs ${t.flat}`);
        assert.ok(Math.abs(o.cum - t.cum) <= 0.00006, `${name} cum ${o.cum} vs ${t.cum}`);
      }
    });
  }

  it('baseline: the Go scan kernel dominates (hotspot share > 80 %), labelled endpoint=scan', () => {
    const p = decodeCpuProfile(readFileSync(fixture('baseline.pb.gz')), 'baseline.pb.gz');
    const s = summarizeProfile({
      role: 'baseline',
      phase: 'steady',
      runId: 'r0',
      profile: p,
      hotspot: ['internal/kernel\\.Scan$', 'internal/hotspot\\.Scan$'],
      minSamples: 100,
    });
    assert.ok(s.hotspotShare! > 0.8, `hotspot share ${s.hotspotShare}`);
    assert.equal(s.rustShare, undefined, 'a pure-Go build has no cgo frames');
    assert.equal(s.byEndpoint[0]!.endpoint, 'scan');
    assert.ok(s.topFunctions[0]!.name.startsWith('regexp.'));
  });

  it('rust: the Rust share shows under cgo frames and is the hotspot', () => {
    const p = decodeCpuProfile(readFileSync(fixture('rust.pb.gz')), 'rust.pb.gz');
    const s = summarizeProfile({
      role: 'candidate',
      phase: 'steady',
      runId: 'r1',
      profile: p,
      hotspot: ['internal/kernel\\.Scan$', 'internal/hotspot\\.Scan$'],
      minSamples: 50,
    });
    assert.ok(s.rustShare!.share > 0.1, `Rust share ${s.rustShare?.share}`);
    assert.equal(s.topFunctions[0]!.name, 'runtime.cgocall');
    assert.ok(Math.abs(s.hotspotShare! - s.rustShare!.share) < 0.05, 'the hotspot is the cgo call');
    assert.ok(s.hotspotShare! < 0.8);
  });
});
