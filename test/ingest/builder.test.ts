import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { NO_IMPL, SampleBuilder } from '../../src/ingest/builder.js';

const req = (t: number) => ({
  timestampMs: t,
  latencyMs: t / 10,
  failed: false,
  status: 200,
  endpoint: 'scan',
  errorCode: 0,
});
const custom = (t: number, rid: string, impl = 'rust', value = 1) => ({
  timestampMs: t,
  endpoint: 'scan',
  impl,
  value,
  rid,
});

describe('SampleBuilder', () => {
  it('joins a custom sample to the latest request with its rid, even when a VU reuses its id', () => {
    const b = new SampleBuilder();
    b.beginFile('a');
    b.addRequest(req(1), 'vu1');
    b.addRequest(req(2), 'vu2');
    b.addCustom('hotspot', custom(2.1, 'vu1', 'go', 0.5));
    b.addRequest(req(3), 'vu1');
    b.addCustom('served', custom(3.1, 'vu1', 'rust'));
    const set = b.finish('r', 0, 'a');
    assert.deepEqual([...set.impl], [set.impls.indexOf('go'), NO_IMPL, set.impls.indexOf('rust')]);
    assert.deepEqual(
      [...set.hotspotMs].map((x) => (Number.isNaN(x) ? null : x)),
      [0.5, null, null],
    );
  });

  it('forgets join keys older than the window (65 536 requests) and across files', () => {
    const b = new SampleBuilder();
    b.beginFile('a');
    for (let i = 0; i < 70_000; i++) b.addRequest(req(i), `r${i}`);
    b.addCustom('served', custom(70_000, 'r0'));
    b.addCustom('served', custom(70_001, 'r69999'));
    b.beginFile('b');
    b.addCustom('served', custom(70_002, 'r69998'));
    const set = b.finish('r', 0, 'a, b');
    assert.equal(set.impl[0], NO_IMPL);
    assert.equal(set.impl[69_998], NO_IMPL);
    assert.equal(set.impls[set.impl[69_999]!], 'rust');
    assert.equal(set.implServed?.[0]?.served, 3, 'unjoined samples still count in the totals');
  });

  it('orders rows by time, stable for equal times, and cuts warm-up from the earliest request', () => {
    const b = new SampleBuilder();
    b.beginFile('a');
    for (const t of [5000, 1000, 3000, 3000, 2500]) b.addRequest(req(t));
    b.addDroppedIteration(1500, 2);
    b.addDroppedIteration(2600, 1);
    const set = b.finish('r', 1.5, 'a');
    assert.deepEqual([...set.timestampMs], [2500, 3000, 3000, 5000]);
    assert.equal(set.droppedIterations, 1);
    assert.equal(set.errorCode, undefined, 'no k6 error codes seen: the column is left out');
  });
});
