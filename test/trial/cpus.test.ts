import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { allowedCpus, allowedFromStatus, parseCpuList, pinPlan } from '../../src/trial/cpus.js';

describe('allowed CPUs', () => {
  it('parses the cpuset list format: singles, ranges, strides', () => {
    assert.deepEqual(parseCpuList('0'), [0]);
    assert.deepEqual(parseCpuList('0-3'), [0, 1, 2, 3]);
    assert.deepEqual(parseCpuList('2-3,8,10-11\n'), [2, 3, 8, 10, 11]);
    assert.deepEqual(parseCpuList('0-8:4'), [0, 4, 8]);
    assert.deepEqual(parseCpuList('5,1,1'), [1, 5]);
  });

  it('rejects text that is not a CPU list', () => {
    for (const t of ['', 'x', '3-1', '1,,2', 'ff'])
      assert.equal(parseCpuList(t), undefined, JSON.stringify(t));
  });

  it('reads Cpus_allowed_list from a /proc status text', () => {
    const status = 'Name:\tnode\nCpus_allowed:\t0c\nCpus_allowed_list:\t2-3\nMems_allowed_list:\t0\n';
    assert.deepEqual(allowedFromStatus(status), [2, 3]);
    assert.equal(allowedFromStatus('Name:\tnode\n'), undefined);
  });

  it('pins the service and the generator to the first two allowed CPUs, not blindly 0 and 1', () => {
    assert.deepEqual(pinPlan([2, 3, 5]), { service: 2, generator: 3 });
    assert.deepEqual(pinPlan([4]), {});
    assert.deepEqual(pinPlan([]), {});
  });

  it('finds at least one allowed CPU on this machine', async () => {
    const cpus = await allowedCpus();
    assert.ok(cpus.length >= 1);
    assert.ok(cpus.every((c) => Number.isInteger(c) && c >= 0));
  });
});
