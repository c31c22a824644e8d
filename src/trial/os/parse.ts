/**
 * Pure parsers of the Linux files the OS sampler reads: text in, numbers out, no I/O (the readers in
 * proc.ts and cgroup.ts do the reading). Formats: proc(5) for /proc/<pid>/stat, status, schedstat
 * (Documentation/scheduler/sched-stats.rst: the first field is time on the CPU in ns), cgroups(7) for
 * /proc/<pid>/cgroup and the kernel's cgroup-v1/cpuacct.rst, cgroup-v1/memory.rst and cgroup-v2.rst.
 */

/** The fields of /proc/<pid>/stat the sampler uses. Times in clock ticks (USER_HZ, 100 on Linux). */
export interface ProcStat {
  pid: number;
  comm: string;
  ppid: number;
  utimeTicks: number;
  stimeTicks: number;
  /** CPU of children this process has waited for (their time survives their exit here). */
  cutimeTicks: number;
  cstimeTicks: number;
  threads: number;
  /** Start time after boot in ticks: with the pid it identifies a process across pid reuse. */
  startTicks: number;
}

/** USER_HZ: the unit of /proc/<pid>/stat times on every Linux architecture hotswap runs on. */
export const CLOCK_TICKS_PER_SECOND = 100;

/**
 * Parses /proc/<pid>/stat. The command name is in parentheses and may itself contain spaces and ')',
 * so the fields after it are found from the last ')'. Undefined when the text is not a stat line.
 */
export const parseProcStat = (text: string): ProcStat | undefined => {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  const pid = Number(text.slice(0, open).trim());
  // rest[0] is field 3 (state); field n is rest[n - 3].
  const rest = text
    .slice(close + 1)
    .trim()
    .split(/\s+/);
  const field = (n: number): number => Number(rest[n - 3]);
  const out: ProcStat = {
    pid,
    comm: text.slice(open + 1, close),
    ppid: field(4),
    utimeTicks: field(14),
    stimeTicks: field(15),
    cutimeTicks: field(16),
    cstimeTicks: field(17),
    threads: field(20),
    startTicks: field(22),
  };
  return Object.values(out).every((v) => typeof v === 'string' || Number.isFinite(v)) ? out : undefined;
};

/** The first field of /proc/<pid>/task/<tid>/schedstat: nanoseconds this thread has run on a CPU. */
export const parseSchedstatNs = (text: string): number | undefined => {
  const first = text.trim().split(/\s+/)[0];
  if (first === undefined || !/^\d+$/.test(first)) return undefined;
  return Number(first);
};

/** VmRSS and VmHWM (peak RSS) of a /proc/<pid>/status text, in bytes; undefined for a kernel thread or zombie. */
export const parseStatusMemory = (text: string): { rssBytes: number; hwmBytes: number } | undefined => {
  const kb = (key: string): number | undefined => {
    const m = new RegExp(`^${key}:\\s*(\\d+)\\s*kB`, 'm').exec(text);
    return m ? Number(m[1]) * 1024 : undefined;
  };
  const rssBytes = kb('VmRSS');
  const hwmBytes = kb('VmHWM');
  return rssBytes === undefined || hwmBytes === undefined ? undefined : { rssBytes, hwmBytes };
};

/** The pids of a /proc/<pid>/task/<tid>/children text (space separated). */
export const parseChildren = (text: string): number[] =>
  text
    .trim()
    .split(/\s+/)
    .filter((s) => /^\d+$/.test(s))
    .map(Number);

/** One line of /proc/<pid>/cgroup: `hierarchy-id:controller-list:path` (v2 is `0::path`). */
export interface CgroupMembership {
  hierarchy: number;
  controllers: string[];
  path: string;
}

export const parseProcCgroup = (text: string): CgroupMembership[] =>
  text
    .split('\n')
    .map((line) => /^(\d+):([^:]*):(.*)$/.exec(line.trim()))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({
      hierarchy: Number(m[1]),
      controllers: (m[2] ?? '').split(',').filter(Boolean),
      path: m[3] ?? '/',
    }));

/** One cgroup file system from /proc/self/mounts: where it is mounted and, for v1, its controllers. */
export interface CgroupMount {
  version: 1 | 2;
  dir: string;
  /** v1: the controllers bound to this hierarchy (from the mount options); v2: empty (see cgroup.controllers). */
  controllers: string[];
}

const V1_CONTROLLERS = new Set([
  'cpu',
  'cpuacct',
  'cpuset',
  'memory',
  'devices',
  'freezer',
  'net_cls',
  'blkio',
  'perf_event',
  'net_prio',
  'hugetlb',
  'pids',
  'rdma',
  'misc',
]);

/** The cgroup and cgroup2 mounts of a /proc/self/mounts text (octal escapes such as \040 decoded). */
export const parseCgroupMounts = (text: string): CgroupMount[] => {
  const out: CgroupMount[] = [];
  for (const line of text.split('\n')) {
    const [, dir, type, options] = line.trim().split(/\s+/);
    if (!dir || (type !== 'cgroup' && type !== 'cgroup2')) continue;
    const decoded = dir.replace(/\\(\d{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
    out.push({
      version: type === 'cgroup2' ? 2 : 1,
      dir: decoded,
      controllers: type === 'cgroup' ? (options ?? '').split(',').filter((o) => V1_CONTROLLERS.has(o)) : [],
    });
  }
  return out;
};

/** A flat-keyed cgroup file (`key value` per line: cpu.stat, memory.stat, cpuacct.stat). */
export const parseFlatKeyed = (text: string): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const m = /^(\S+)\s+(-?\d+)$/.exec(line.trim());
    if (m?.[1] && m[2] !== undefined) out[m[1]] = Number(m[2]);
  }
  return out;
};

/** A single-value cgroup file (cpuacct.usage, memory.current, memory.peak …); undefined when not a number. */
export const parseSingleValue = (text: string): number | undefined => {
  const t = text.trim();
  return /^\d+$/.test(t) ? Number(t) : undefined;
};
