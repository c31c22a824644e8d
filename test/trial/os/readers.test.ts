import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { cgroupReading, planCgroup } from '../../../src/trial/os/cgroup.js';
import { readProcTree } from '../../../src/trial/os/proc.js';
import {
  parseCgroupMounts,
  parseProcCgroup,
  parseProcStat,
  parseSchedstatNs,
  parseStatusMemory,
} from '../../../src/trial/os/parse.js';

// Recorded on this project's machine by scripts/record-os-fixtures.sh (see test/fixtures/os/README.md);
// the expected numbers below were read off those files with cut/grep/awk, not computed by the code under test.
const FIX = join(import.meta.dirname, '../../fixtures/os');
const read = (...p: string[]): string => readFileSync(join(FIX, ...p), 'utf8');
const filesOf = (dir: string, names: string[]): Record<string, string | undefined> =>
  Object.fromEntries(
    names.map((n) => [
      n,
      (() => {
        try {
          return read(dir, n);
        } catch {
          return undefined;
        }
      })(),
    ]),
  );

describe('/proc readers on a recorded process tree', () => {
  it('parses stat fields after the command name, whatever the name contains', () => {
    const s = parseProcStat(read('proc-tree/24056/stat'));
    assert.equal(s?.comm, 'sleep');
    assert.equal(s?.ppid, 24054);
    assert.equal(s?.utimeTicks, 51);
    assert.equal(s?.threads, 1);
    assert.equal(s?.startTicks, 80461);
    const odd = parseProcStat('7 (a) b (c)) S 1 7 7 0 -1 0 0 0 0 0 3 4 5 6 20 0 2 0 99 0 0');
    assert.deepEqual(
      [odd?.comm, odd?.ppid, odd?.utimeTicks, odd?.cstimeTicks, odd?.threads, odd?.startTicks],
      ['a) b (c)', 1, 3, 6, 2, 99],
    );
    assert.equal(parseProcStat('not a stat line'), undefined);
  });

  it('reads schedstat ns and VmRSS/VmHWM in bytes', () => {
    assert.equal(parseSchedstatNs(read('proc-tree/24056/task/24056/schedstat')), 513821835);
    assert.deepEqual(parseStatusMemory(read('proc-tree/24058/status')), {
      rssBytes: 9984 * 1024,
      hwmBytes: 9984 * 1024,
    });
    assert.equal(parseStatusMemory('Name:\tkthreadd\nState:\tS\n'), undefined);
  });

  it('walks the whole tree from its root: every descendant and every thread', async () => {
    const root = Number(read('proc-tree/ROOT_PID').trim());
    const tree = await readProcTree(root, { procRoot: join(FIX, 'proc-tree'), nowMs: () => 1 });
    assert.deepEqual(tree.processes.map((p) => p.pid).sort(), [24054, 24056, 24057, 24058]);
    const go = tree.processes.find((p) => p.pid === 24058);
    assert.equal(Object.keys(go?.threadNs ?? {}).length, 7);
    const ns = tree.processes.reduce((s, p) => s + Object.values(p.threadNs).reduce((a, b) => a + b, 0), 0);
    assert.equal(ns, 2687013 + 513821835 + 972715 + 8396360);
    assert.equal(
      tree.processes.reduce((s, p) => s + (p.rssBytes ?? 0), 0),
      (1780 + 1664 + 1748 + 9984) * 1024,
    );
  });

  it('a pid that is gone gives an empty tree, not an error', async () => {
    const tree = await readProcTree(999999, { procRoot: join(FIX, 'proc-tree') });
    assert.deepEqual(tree.processes, []);
  });
});

describe('cgroup readers on recorded groups', () => {
  it('v1: cpuacct.usage in ns, memory usage and high-water mark in bytes', () => {
    const r = cgroupReading(
      1,
      filesOf('cgroup-v1', ['cpuacct.usage', 'memory.usage_in_bytes', 'memory.max_usage_in_bytes']),
    );
    assert.deepEqual(r, { cpuNs: 523831132, memoryBytes: 10223616, peakBytes: 10575872 });
  });

  it('v2 without the memory controller: CPU from cpu.stat usage_usec, no memory', () => {
    const r = cgroupReading(2, filesOf('cgroup-v2-cpu-only', ['cpu.stat', 'memory.current', 'memory.peak']));
    assert.deepEqual(r, { cpuNs: 523831000 });
  });

  it('v2 with memory.current but no memory.peak (kernels before 5.19): no peak, not a zero peak', () => {
    const r = cgroupReading(2, filesOf('cgroup-v2-no-peak', ['cpu.stat', 'memory.current', 'memory.peak']));
    assert.deepEqual(r, { cpuNs: 523831000, memoryBytes: 41943040 });
  });

  it('the same tree counted by v1 cpuacct and v2 cpu.stat agrees to the µs', () => {
    const v1 = cgroupReading(1, filesOf('cgroup-v1', ['cpuacct.usage']))?.cpuNs ?? 0;
    const v2 = cgroupReading(2, filesOf('cgroup-v2-cpu-only', ['cpu.stat']))?.cpuNs ?? 0;
    assert.ok(Math.abs(v1 - v2) < 1000, `${v1} vs ${v2}`);
  });

  it('no CPU counter → undefined', () => {
    assert.equal(cgroupReading(1, {}), undefined);
    assert.equal(cgroupReading(2, { 'cpu.stat': 'nr_periods 0\n' }), undefined);
  });
});

describe('where the service group goes', () => {
  it('on the recorded hybrid host: v1 cpuacct and memory, each under our own group', () => {
    const plan = planCgroup(
      parseCgroupMounts(read('mounts')),
      parseProcCgroup(read('self-cgroup')),
      'hotswap-1-1',
    );
    assert.deepEqual(plan, {
      version: 1,
      cpuDir: '/sys/fs/cgroup/cpuacct/hotswap-1-1',
      memoryDir: '/sys/fs/cgroup/memory/process_api/3496aee428282b40a80d3110336bd1d9/hotswap-1-1',
      parents: [
        '/sys/fs/cgroup/cpuacct',
        '/sys/fs/cgroup/memory/process_api/3496aee428282b40a80d3110336bd1d9',
      ],
    });
  });

  it('on a v2-only host: one group under ours', () => {
    const mounts = parseCgroupMounts(
      'cgroup2 /sys/fs/cgroup cgroup2 rw,nosuid,nodev,noexec,relatime,nsdelegate 0 0\n',
    );
    const plan = planCgroup(mounts, parseProcCgroup('0::/user.slice/session-3.scope\n'), 'g');
    assert.deepEqual(plan, {
      version: 2,
      cpuDir: '/sys/fs/cgroup/user.slice/session-3.scope/g',
      memoryDir: '/sys/fs/cgroup/user.slice/session-3.scope/g',
      parents: ['/sys/fs/cgroup/user.slice/session-3.scope'],
    });
  });

  it('with a combined cpu,cpuacct v1 hierarchy and no cgroup at all', () => {
    const mounts = parseCgroupMounts('cgroup /sys/fs/cgroup/cpu,cpuacct cgroup rw,nosuid,cpu,cpuacct 0 0\n');
    const plan = planCgroup(mounts, parseProcCgroup('3:cpu,cpuacct:/docker/abc\n'), 'g');
    assert.equal(plan?.cpuDir, '/sys/fs/cgroup/cpu,cpuacct/docker/abc/g');
    assert.equal(plan?.memoryDir, undefined);
    assert.equal(planCgroup([], [], 'g'), undefined);
  });
});
