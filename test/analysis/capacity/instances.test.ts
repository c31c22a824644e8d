import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HOURS_PER_MONTH, instancesNeeded } from '../../../src/analysis/capacity/instances.js';
import { InputError } from '../../../src/model/index.js';

describe('instancesNeeded', () => {
  it('rounds peak/per-instance up, adds the spare instances and prices 730 hours a month', () => {
    assert.deepEqual(
      instancesNeeded({ peakRps: 2500, perInstanceRps: 600, redundancy: 1, costPerInstanceHour: 0.2 }),
      {
        instancesForPeak: 5,
        instances: 6,
        costPerMonth: 6 * 0.2 * HOURS_PER_MONTH,
      },
    );
    assert.equal(HOURS_PER_MONTH, 730);
  });

  it('does not add an instance for floating-point noise (0.3 / 0.1 is 3, not 4)', () => {
    assert.equal(
      instancesNeeded({ peakRps: 0.3, perInstanceRps: 0.1, redundancy: 0, costPerInstanceHour: 1 })
        .instancesForPeak,
      3,
    );
  });

  it('rejects a zero per-instance rate and fractional redundancy with an InputError', () => {
    assert.throws(
      () => instancesNeeded({ peakRps: 1, perInstanceRps: 0, redundancy: 0, costPerInstanceHour: 1 }),
      InputError,
    );
    assert.throws(
      () => instancesNeeded({ peakRps: 1, perInstanceRps: 1, redundancy: 0.5, costPerInstanceHour: 1 }),
      InputError,
    );
  });
});
