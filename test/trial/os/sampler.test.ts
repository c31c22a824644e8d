import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { spawnChild, type Child } from '../../../src/drivers/index.js';
import { parseOsRaw } from '../../../src/ingest/os.js';
import {
  createServiceCgroup,
  startOsRun,
  sweepStaleCgroups,
  type ServiceCgroup,
} from '../../../src/trial/os/index.js';

// Live: a real process tree (a shell with two busy children, one of them a nested shell), measured at once
// from the cgroup it runs in and from /proc. Needs root and a cgroup file system; skipped (saying why) without.
const BUSY = 'i=0; while [ $i -lt 100000000 ]; do i=$((i+1)); done';
const TREE = `(${BUSY}) & sh -c '${BUSY}' & wait`;

const children: Child[] = [];

/**
 * Takes both sources' readings with the tree stopped (SIGSTOP to its process group, which spawnChild
 * makes its own), so they read the same instant: on a busy shared machine the two readings would
 * otherwise be milliseconds of CPU apart.
 */
const frozen = async <T>(child: Child, read: () => Promise<T>): Promise<T> => {
  process.kill(-child.pid, 'SIGSTOP');
  await delay(30);
  try {
    return await read();
  } finally {
    process.kill(-child.pid, 'SIGCONT');
  }
};
const groups: ServiceCgroup[] = [];
after(async () => {
  for (const c of children) await c.stop(500);
  for (const g of groups) await g.remove();
});

describe('OS sampler on a live process tree', async () => {
  const cg = await createServiceCgroup();
  const skip = 'reason' in cg ? `no cgroup here: ${cg.reason}` : false;

  it(
    'measures the tree from its cgroup and from /proc in ns, and the two agree within 3 %',
    { skip },
    async () => {
      const group = cg as ServiceCgroup;
      groups.push(group);
      const child = spawnChild({ command: group.wrap(['sh', '-c', TREE]) });
      children.push(child);
      await delay(300); // the shell has started both children
      const [viaCgroup, viaProc] = await frozen(child, () =>
        Promise.all([
          startOsRun({ pid: child.pid, cgroup: group }, { intervalMs: 100 }),
          startOsRun({ pid: child.pid }, { intervalMs: 100 }),
        ]),
      );
      await delay(1500);
      const [c, p] = await frozen(child, () => Promise.all([viaCgroup.stop(), viaProc.stop()]));
      assert.equal(c.sources.cpu, 'cgroup');
      assert.equal(p.sources.cpu, 'proc');
      assert.equal(p.cpuMethod, 'proc-schedstat', p.notes.join('; '));
      assert.equal(p.resolutionSeconds, 1e-9);
      assert.equal(c.resolutionSeconds, group.version === 1 ? 1e-9 : 1e-6);
      // Two busy children for 1.5 s on a shared (heavily loaded) 2-core machine: clearly more than nothing.
      assert.ok(c.cpuSeconds > 0.1, `cgroup CPU ${c.cpuSeconds}`);
      // ns resolution: not a whole number of 10 ms ticks.
      assert.notEqual(Math.round(p.cpuSeconds * 1e9) % 1e7, 0);
      const diff = Math.abs(c.cpuSeconds - p.cpuSeconds) / c.cpuSeconds;
      assert.ok(
        diff < 0.03,
        `cgroup ${c.cpuSeconds} s vs /proc ${p.cpuSeconds} s (${(diff * 100).toFixed(2)} %)`,
      );
      assert.ok(c.samples.length >= 5, `${c.samples.length} samples`);
      assert.ok(p.rssBytesSteady !== undefined && p.rssBytesSteady > 0);
      assert.ok(p.rssBytesPeak !== undefined && p.rssBytesPeak >= p.rssBytesSteady);
      // What the sampler returns is what the raw file format accepts.
      parseOsRaw(JSON.stringify(c), 'os.json');
      parseOsRaw(JSON.stringify(p), 'os.json');
      await child.stop(500);
    },
  );

  it(
    'a thread-per-request process: /proc falls back to the 10 ms totals, which the cgroup confirms',
    { skip },
    async () => {
      const group = await createServiceCgroup();
      assert.ok(!('reason' in group));
      groups.push(group);
      // Python threads that each burn CPU for ~20 ms and exit, sampled once a second: per-thread schedstat
      // sees almost none of them.
      const script = [
        'import threading, time',
        'def burn():',
        '    t = time.thread_time() + 0.02',
        '    while time.thread_time() < t: pass',
        'time.sleep(0.3)',
        'for _ in range(100):',
        '    th = threading.Thread(target=burn); th.start(); th.join()',
        'time.sleep(30)',
      ].join('\n');
      const child = spawnChild({ command: group.wrap(['python3', '-c', script]) });
      children.push(child);
      await delay(150);
      const [viaCgroup, viaProc] = await frozen(child, () =>
        Promise.all([
          startOsRun({ pid: child.pid, cgroup: group }, { intervalMs: 100 }),
          startOsRun({ pid: child.pid }, { intervalMs: 1000 }),
        ]),
      );
      await delay(3000);
      const [c, p] = await frozen(child, () => Promise.all([viaCgroup.stop(), viaProc.stop()]));
      assert.equal(p.cpuMethod, 'proc-stat', JSON.stringify(p.proc));
      assert.match(p.notes.join(' '), /threads exited/);
      // The time series uses the same measure as the total, so it ends at the total.
      assert.equal(p.samples.at(-1)?.cpuSeconds, p.cpuSeconds);
      assert.ok(c.cpuSeconds > 0.1, `cgroup ${c.cpuSeconds} s for up to 100 × 20 ms threads`);
      // Ticks: each of the 4 fields truncates to 10 ms, so allow 0.04 s plus 3 %.
      assert.ok(
        Math.abs(c.cpuSeconds - p.cpuSeconds) < 0.04 + 0.03 * c.cpuSeconds,
        `cgroup ${c.cpuSeconds} vs /proc ${p.cpuSeconds}`,
      );
    },
  );

  it(
    'removes its group on stop, also with a process still inside, and twice is harmless',
    { skip },
    async () => {
      const group = await createServiceCgroup();
      assert.ok(!('reason' in group));
      const child = spawnChild({ command: group.wrap(['sleep', '30']) });
      children.push(child);
      await delay(200);
      await group.remove(); // the sleep is still inside: it goes back to the parent group
      for (const dir of group.dirs) assert.equal(existsSync(dir), false, dir);
      await group.remove();
      assert.equal(child.proc.exitCode, null, 'remove does not kill the service');
    },
  );
  it('sweeps groups a killed hotswap left behind, and only those', { skip }, async () => {
    const stale = await createServiceCgroup({ name: 'hotswap-999999999-1' }); // no such pid
    const ours = await createServiceCgroup();
    assert.ok(!('reason' in stale) && !('reason' in ours));
    groups.push(ours);
    const removed = await sweepStaleCgroups();
    assert.deepEqual([...removed].sort(), [...stale.dirs].sort());
    for (const dir of ours.dirs) assert.equal(existsSync(dir), true, `${dir} belongs to a live hotswap`);
  });
});
