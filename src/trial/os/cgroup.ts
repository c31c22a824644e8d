import { mkdir, readdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import {
  parseCgroupMounts,
  parseFlatKeyed,
  parseProcCgroup,
  parseSingleValue,
  type CgroupMembership,
  type CgroupMount,
} from './parse.js';

/**
 * A cgroup hotswap creates for one service, so the whole process tree's CPU and memory are one kernel
 * counter each (no thread or child escapes it, and a thread that exits keeps its time in the group).
 *
 * - cgroup v1 (this project's CI machine: cpuacct and memory as v1 hierarchies, v2 with hugetlb only):
 *   `cpuacct.usage` (ns), `memory.usage_in_bytes`, `memory.max_usage_in_bytes` (reset by writing 0).
 * - cgroup v2 (most current hosts): `cpu.stat` `usage_usec` (present with or without the cpu controller),
 *   `memory.current` and `memory.peak` when the memory controller is enabled for the group (memory.peak
 *   exists from Linux 5.19; without it the peak is the largest sample).
 *
 * The group is created under the cgroup this process is already in (so the limits set for us still hold),
 * named `hotswap-<our pid>-<n>`, and removed on stop; `sweepStaleCgroups` removes groups a killed hotswap
 * left behind. Layout planning is pure (`planCgroup`); the rest is thin I/O.
 */

export interface CgroupPlan {
  version: 1 | 2;
  /** Directory whose counter gives CPU (v1: the cpuacct hierarchy; v2: the group). */
  cpuDir: string;
  /** v1 memory hierarchy directory; v2: the same as cpuDir. Absent when no memory controller is mounted. */
  memoryDir?: string;
  /** Parent directories (where the group is created and where stray pids go back on removal). */
  parents: string[];
}

/** `join` without the trailing slash it keeps for a path of '/'. */
const under = (dir: string, path: string): string => join(dir, path).replace(/(.)\/+$/, '$1');

const membershipFor = (
  list: CgroupMembership[],
  pick: (m: CgroupMembership) => boolean,
): string | undefined => list.find(pick)?.path;

/**
 * Where the service's group goes, from /proc/self/mounts and /proc/self/cgroup. v1 cpuacct wins over v2
 * (ns against µs); a v2 memory controller is only known once the group exists (see createServiceCgroup).
 * Undefined when neither a v1 cpuacct hierarchy nor a v2 mount is present.
 */
export const planCgroup = (
  mounts: CgroupMount[],
  self: CgroupMembership[],
  name: string,
): CgroupPlan | undefined => {
  const v1cpu = mounts.find((m) => m.version === 1 && m.controllers.includes('cpuacct'));
  const v2 = mounts.find((m) => m.version === 2);
  const v2path = membershipFor(self, (m) => m.hierarchy === 0) ?? '/';
  if (v1cpu) {
    const cpuParent = under(v1cpu.dir, membershipFor(self, (m) => m.controllers.includes('cpuacct')) ?? '/');
    const v1mem = mounts.find((m) => m.version === 1 && m.controllers.includes('memory'));
    const memParent = v1mem
      ? under(v1mem.dir, membershipFor(self, (m) => m.controllers.includes('memory')) ?? '/')
      : undefined;
    return {
      version: 1,
      cpuDir: join(cpuParent, name),
      ...(memParent ? { memoryDir: join(memParent, name) } : {}),
      parents: memParent && memParent !== cpuParent ? [cpuParent, memParent] : [cpuParent],
    };
  }
  if (v2) {
    const parent = under(v2.dir, v2path);
    return { version: 2, cpuDir: join(parent, name), memoryDir: join(parent, name), parents: [parent] };
  }
  return undefined;
};

/** One reading of a group. */
export interface CgroupReading {
  cpuNs: number;
  memoryBytes?: number;
  /** The kernel's high-water mark (v1 max_usage_in_bytes, v2 memory.peak), when the kernel keeps one. */
  peakBytes?: number;
}

/** Parses a group's files (name → text) into a reading; pure, so recorded files test it. */
export const cgroupReading = (
  version: 1 | 2,
  files: Record<string, string | undefined>,
): CgroupReading | undefined => {
  const num = (f: string): number | undefined => {
    const t = files[f];
    return t === undefined ? undefined : parseSingleValue(t);
  };
  if (version === 1) {
    const cpuNs = num('cpuacct.usage');
    if (cpuNs === undefined) return undefined;
    const memoryBytes = num('memory.usage_in_bytes');
    const peakBytes = num('memory.max_usage_in_bytes');
    return {
      cpuNs,
      ...(memoryBytes !== undefined ? { memoryBytes } : {}),
      ...(peakBytes !== undefined ? { peakBytes } : {}),
    };
  }
  const usec = parseFlatKeyed(files['cpu.stat'] ?? '')['usage_usec'];
  if (usec === undefined) return undefined;
  const memoryBytes = num('memory.current');
  const peakBytes = num('memory.peak');
  return {
    cpuNs: usec * 1000,
    ...(memoryBytes !== undefined ? { memoryBytes } : {}),
    ...(peakBytes !== undefined ? { peakBytes } : {}),
  };
};

export const CGROUP_FILES = {
  1: { cpu: ['cpuacct.usage'], memory: ['memory.usage_in_bytes', 'memory.max_usage_in_bytes'] },
  2: { cpu: ['cpu.stat'], memory: ['memory.current', 'memory.peak'] },
} as const;

export interface ServiceCgroup {
  version: 1 | 2;
  /** Whether the group also counts memory (else memory comes from /proc). */
  memory: boolean;
  /** 1e-9 (v1 cpuacct) or 1e-6 (v2 usage_usec). */
  cpuResolutionSeconds: number;
  dirs: string[];
  /**
   * Prefixes a command line so the process joins the group before it execs (no child started before the
   * move can escape it, and its first pages are charged to the group): `spawnChild({command: cg.wrap(argv)})`.
   */
  wrap: (argv: string[]) => string[];
  /** Moves a running process and its threads into the group (its children started later follow it). */
  attach: (pid: number) => Promise<void>;
  read: () => Promise<CgroupReading>;
  /** Resets the memory high-water mark to the current usage (v1 only); false when it cannot. */
  resetPeak: () => Promise<boolean>;
  /** Moves any process still inside back to the parent and removes the group; safe to call twice. */
  remove: () => Promise<void>;
}

const readOr = async (file: string): Promise<string | undefined> => {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
};

let counter = 0;

/** A shell prefix that writes its own pid into each cgroup.procs, then execs the command. */
export const wrapForCgroup = (procsFiles: string[], argv: string[]): string[] => [
  'sh',
  '-c',
  'n=$1; shift; while [ "$n" -gt 0 ]; do echo $$ > "$1" || exit 125; shift; n=$((n-1)); done; exec "$@"',
  'hotswap-cgroup',
  String(procsFiles.length),
  ...procsFiles,
  ...argv,
];

const removeDir = async (dir: string, parent: string): Promise<void> => {
  for (let attempt = 0; attempt < 20; attempt++) {
    try {
      await rmdir(dir);
      return;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return;
      if (code !== 'EBUSY') throw err;
      // A process still inside (or a zombie not yet reaped): move what is left to the parent, retry.
      for (const pid of ((await readOr(join(dir, 'cgroup.procs'))) ?? '').split('\n').filter(Boolean))
        await writeFile(join(parent, 'cgroup.procs'), pid).catch(() => {});
      await delay(50);
    }
  }
  throw new Error(`could not remove cgroup ${dir}: still busy`);
};

export interface CgroupOptions {
  /** /proc/self/mounts and /proc/self/cgroup texts (read from the system when absent). */
  mountsText?: string;
  selfCgroupText?: string;
  name?: string;
}

/**
 * Creates the service's group. Resolves to the group, or to `{ reason }` when there is none to be had
 * (no cgroup file system, not permitted): the caller then measures from /proc and says why.
 */
export const createServiceCgroup = async (
  opts: CgroupOptions = {},
): Promise<ServiceCgroup | { reason: string }> => {
  const mounts = parseCgroupMounts(opts.mountsText ?? (await readOr('/proc/self/mounts')) ?? '');
  const self = parseProcCgroup(opts.selfCgroupText ?? (await readOr('/proc/self/cgroup')) ?? '');
  const name = opts.name ?? `hotswap-${process.pid}-${++counter}`;
  const plan = planCgroup(mounts, self, name);
  if (!plan) return { reason: 'no cgroup file system is mounted' };
  const dirs = [...new Set([plan.cpuDir, ...(plan.memoryDir ? [plan.memoryDir] : [])])];
  const made: string[] = [];
  try {
    for (const dir of dirs) {
      await mkdir(dir);
      made.push(dir);
    }
  } catch (err) {
    for (const dir of made.reverse()) await rmdir(dir).catch(() => {});
    return {
      reason: `cannot create a cgroup (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
    };
  }
  let memory = plan.memoryDir !== undefined;
  if (plan.version === 2) {
    const controllers = ((await readOr(join(plan.cpuDir, 'cgroup.controllers'))) ?? '').split(/\s+/);
    if (!controllers.includes('memory')) {
      // Enable memory for the parent's children; refused (EBUSY) when the parent itself holds processes.
      await writeFile(join(plan.parents[0] as string, 'cgroup.subtree_control'), '+memory').catch(() => {});
      memory = ((await readOr(join(plan.cpuDir, 'memory.current'))) ?? '') !== '';
    }
  } else if (plan.memoryDir) {
    // Charge the pages a process brings with it on attach (v1 only; without it they stay in the old group).
    await writeFile(join(plan.memoryDir, 'memory.move_charge_at_immigrate'), '3').catch(() => {});
  }
  const procsFiles = dirs.map((d) => join(d, 'cgroup.procs'));
  const parentOf = (dir: string): string => dir.slice(0, dir.lastIndexOf('/'));
  let removed = false;
  const read = async (): Promise<CgroupReading> => {
    const files: Record<string, string | undefined> = {};
    for (const f of CGROUP_FILES[plan.version].cpu) files[f] = await readOr(join(plan.cpuDir, f));
    if (memory && plan.memoryDir)
      for (const f of CGROUP_FILES[plan.version].memory) files[f] = await readOr(join(plan.memoryDir, f));
    const r = cgroupReading(plan.version, files);
    if (!r) throw new Error(`cgroup ${plan.cpuDir}: no CPU counter`);
    return r;
  };
  return {
    version: plan.version,
    memory,
    cpuResolutionSeconds: plan.version === 1 ? 1e-9 : 1e-6,
    dirs,
    wrap: (argv) => wrapForCgroup(procsFiles, argv),
    attach: async (pid) => {
      for (const f of procsFiles) await writeFile(f, String(pid));
    },
    read,
    resetPeak: async () => {
      if (plan.version !== 1 || !memory || !plan.memoryDir) return false;
      return writeFile(join(plan.memoryDir, 'memory.max_usage_in_bytes'), '0').then(
        () => true,
        () => false,
      );
    },
    remove: async () => {
      if (removed) return;
      removed = true;
      for (const dir of dirs) await removeDir(dir, parentOf(dir));
    },
  };
};

/**
 * Removes empty `hotswap-<pid>-<n>` groups whose hotswap process is gone (a run killed with SIGKILL cannot
 * clean up after itself). Returns the directories removed.
 */
export const sweepStaleCgroups = async (opts: CgroupOptions = {}): Promise<string[]> => {
  const mounts = parseCgroupMounts(opts.mountsText ?? (await readOr('/proc/self/mounts')) ?? '');
  const self = parseProcCgroup(opts.selfCgroupText ?? (await readOr('/proc/self/cgroup')) ?? '');
  const plan = planCgroup(mounts, self, 'x');
  const removed: string[] = [];
  for (const parent of plan?.parents ?? []) {
    const names = await readdir(parent).catch(() => [] as string[]);
    for (const n of names) {
      const m = /^hotswap-(\d+)-\d+$/.exec(n);
      if (!m || Number(m[1]) === process.pid) continue;
      const alive = await readFile(`/proc/${m[1]}/stat`).then(
        () => true,
        () => false,
      );
      if (alive) continue;
      const ok = await rmdir(join(parent, n)).then(
        () => true,
        () => false,
      );
      if (ok) removed.push(join(parent, n));
    }
  }
  return removed;
};
