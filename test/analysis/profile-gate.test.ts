import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { judgeProfileGate } from '../../src/analysis/profile-gate.js';
import { summarizeProfile } from '../../src/analysis/profile.js';
import type { CpuProfileData } from '../../src/model/index.js';

/** n samples, k of them in the kernel. */
const profileOf = (k: number, n: number): CpuProfileData => ({
  periodNanos: 1e7,
  durationNanos: 1e9,
  samples: [
    { stack: ['kernel.Scan', 'main'], count: k, cpuNanos: k * 1e7, labels: { endpoint: 'scan' } },
    { stack: ['json', 'main'], count: n - k, cpuNanos: (n - k) * 1e7, labels: { endpoint: 'fields' } },
  ],
});

const gate = (k: number, n: number, minSamples = 1000, threshold?: number) =>
  judgeProfileGate(
    summarizeProfile({
      role: 'baseline',
      phase: 'steady',
      runId: 'r0',
      profile: profileOf(k, n),
      hotspot: ['kernel\\.Scan$'],
      minSamples,
    }),
    threshold,
  );

describe('judgeProfileGate (share ≥ minHotspotShare on the whole 95 % CI)', () => {
  it('is worth a trial when the CI lies above the threshold, with the Amdahl ceiling', () => {
    const g = gate(600, 1000);
    assert.equal(g.decision, 'worth-a-trial');
    assert.equal(g.ceiling!.change, -0.6);
    assert.equal(g.threshold, 0.3, 'default minHotspotShare');
  });

  it('is not worth a trial when the CI lies below it', () => {
    assert.equal(gate(200, 1000).decision, 'not-worth-a-trial');
  });

  it('is uncertain when the CI straddles it (300 of 1 000 samples at 0.3)', () => {
    const g = gate(300, 1000);
    assert.equal(g.decision, 'uncertain');
    assert.match(g.reason, /straddles 30\.0 %/);
  });

  it('is uncertain with fewer samples than minSamples (at 30 rps the Rust build gives ~16 in 6 s)', () => {
    const g = gate(16, 16);
    assert.equal(g.decision, 'uncertain');
    assert.equal(g.hotspotShare, undefined);
    assert.match(g.reason, /too uncertain/);
  });

  it('uses the plan threshold', () => {
    assert.equal(gate(600, 1000, 1000, 0.7).decision, 'not-worth-a-trial');
  });
});
