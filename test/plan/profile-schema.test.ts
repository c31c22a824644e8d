import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { testPlan } from '../helpers/plan.js';

describe('plan fields profile, minHotspotShare, serverTiming', () => {
  it('are off by default and take their defaults when given', () => {
    const off = testPlan();
    assert.equal(off.profile, undefined);
    assert.equal(off.minHotspotShare, undefined);
    const on = testPlan({ profile: { hotspot: ['kernel\\.Scan$'] }, serverTiming: {} });
    assert.deepEqual(on.profile, { seconds: 10, hotspot: ['kernel\\.Scan$'], minSamples: 1000 });
    assert.deepEqual(on.serverTiming, { wait: [] });
  });

  it('name the field of a bad pattern, an unknown phase or a share above 1', () => {
    assert.throws(
      () => testPlan({ profile: { hotspot: ['(unclosed'] } }),
      /profile\.hotspot\[0\]: not a valid regular expression/,
    );
    assert.throws(
      () => testPlan({ profile: { hotspot: ['x'], phase: 'nope' } }),
      /profile\.phase.*no phase named "nope"/,
    );
    assert.throws(() => testPlan({ minHotspotShare: 1.5 }), /minHotspotShare/);
    assert.throws(
      () => testPlan({ profile: { hotspot: ['x'], rateRps: { baseline: 10 } } as never }),
      /profile\.rateRps/,
    );
  });
});
