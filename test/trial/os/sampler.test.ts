import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { spawnChild, type Child } from '../../../src/drivers/index.js';
import { parseOsRaw } from '../../../src/ingest/os.js';
import { createServiceCgroup, startOsRun, type ServiceCgroup } from '../../../src/trial/os/index.js';

// Live: a real process tree (a shell with two busy children, one of them a nested shell), measured at once
// from the cgroup it runs in and from /proc. Needs root and a cgroup file system; skipped (saying why) without.
const BUSY = 'i=0; while [ $i -lt 100000000 ]; do i=$((i+1)); done';
const TREE = `(${BUSY}) & sh -c '${BUSY}' & wait`;

const children: Child[] = [];
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
      const [viaCgroup, viaProc] = await Promise.all([
        startOsRun({ pid: child.pid, cgroup: group }, { intervalMs: 100 }),
        startOsRun({ pid: child.pid }, { intervalMs: 100 }),
      ]);
      await delay(1500);
      const [c, p] = await Promise.all([viaCgroup.stop(), viaProc.stop()]);
      assert.equal(c.sources.cpu, 'cgroup');
      assert.equal(p.sources.cpu, 'proc');
      assert.equal(p.cpuMethod, 'proc-schedstat', p.notes.join('; '));
      assert.equal(p.resolutionSeconds, 1e-9);
      assert.equal(c.resolutionSeconds, group.version === 1 ? 1e-9 : 1e-6);
      // Two busy children for 1.5 s on a shared 2-core machine: clearly more than nothing.
      assert.ok(c.cpuSeconds > 0.3, `cgroup CPU ${c.cpuSeconds}`);
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
});
