import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createProcAccount, steadyBytes, type ProcessSnapshot } from '../../../src/trial/os/account.js';

const proc = (
  pid: number,
  ownTicks: number,
  threadNs: Record<number, number>,
  childTicks = 0,
): ProcessSnapshot => ({
  pid,
  startTicks: 1,
  ownTicks,
  childTicks,
  threadNs,
});

describe('CPU of a process tree from successive /proc snapshots', () => {
  it('uses per-thread schedstat (ns) when the process totals agree with it', () => {
    const a = createProcAccount({ tMs: 0, processes: [proc(10, 100, { 10: 1.0e9, 11: 0.5e9 })] });
    a.add({ tMs: 1, processes: [proc(10, 130, { 10: 1.1e9, 11: 0.7e9, 12: 0.0123e9 })] });
    const cpu = a.cpu();
    assert.equal(cpu.method, 'proc-schedstat');
    assert.equal(cpu.resolutionSeconds, 1e-9);
    // 0.1 + 0.2 + 0.0123 (a thread born during the run counts from 0)
    assert.ok(Math.abs(cpu.cpuSeconds - 0.3123) < 1e-12, String(cpu.cpuSeconds));
    assert.equal(cpu.ticksSeconds, 0.3);
  });

  it('falls back to the 10 ms totals when threads exited during the run (thread per connection)', () => {
    const a = createProcAccount({ tMs: 0, processes: [proc(10, 100, { 10: 1e9 })] });
    // Threads 11..20 each ran 0.1 s and exited between snapshots: only the process total keeps them.
    a.add({ tMs: 1, processes: [proc(10, 210, { 10: 1.1e9 })] });
    const cpu = a.cpu();
    assert.equal(cpu.method, 'proc-stat');
    assert.equal(cpu.resolutionSeconds, 0.01);
    assert.equal(cpu.cpuSeconds, 1.1);
    assert.ok(Math.abs(cpu.schedstatSeconds - 0.1) < 1e-12);
    assert.match(cpu.notes.join(' '), /threads exited/);
  });

  it("keeps a reaped child in the parent's cutime: a short-lived child is not lost", () => {
    const a = createProcAccount({ tMs: 0, processes: [proc(1, 5, { 1: 0.05e9 }), proc(2, 0, { 2: 0 })] });
    a.add({ tMs: 1, processes: [proc(1, 5, { 1: 0.05e9 }), proc(2, 40, { 2: 0.4e9 })] });
    a.add({ tMs: 2, processes: [proc(1, 5, { 1: 0.05e9 }, 60)] }); // child ran 0.2 s more, exited, was reaped
    const cpu = a.cpu();
    assert.equal(cpu.ticksSeconds, 0.6);
    assert.equal(cpu.method, 'proc-stat');
  });

  it('says so when the tree total drops (a process reaped outside the tree)', () => {
    const a = createProcAccount({ tMs: 0, processes: [proc(1, 5, { 1: 0 }), proc(2, 300, { 2: 3e9 })] });
    a.add({ tMs: 1, processes: [proc(1, 5, { 1: 0 })] });
    assert.match(a.cpu().notes.join(' '), /reaped outside/);
  });
});

describe('steady memory', () => {
  it('is the median of the samples', () => {
    const s = (rssBytes: number) => ({ tMs: 0, cpuSeconds: 0, rssBytes });
    assert.equal(steadyBytes([s(5), s(1), s(3)]), 3);
    assert.equal(steadyBytes([s(4), s(1), s(3), s(10)]), 3.5);
    assert.equal(steadyBytes([]), undefined);
  });
});
