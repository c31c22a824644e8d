import { CLOCK_TICKS_PER_SECOND } from './parse.js';

/**
 * Pure accounting of a process tree's CPU and memory from successive /proc snapshots (no I/O, no clock:
 * the snapshots carry their own time). Two CPU measures are kept side by side:
 *
 * - schedstat: per thread, nanoseconds on the CPU (Documentation/scheduler/sched-stats.rst). Exact for
 *   every thread seen, but a thread that exits between two snapshots takes its last interval with it, and
 *   a thread-per-connection server loses most of its CPU that way.
 * - ticks: per process, utime + stime + cutime + cstime of /proc/<pid>/stat (proc(5)). The kernel folds
 *   exited threads into the process's own times and waited-for children into cutime/cstime, so the sum
 *   over the live tree survives exits, at the price of 10 ms ticks (a 0.15 s run is quantised by ±7 %).
 *
 * The run's CPU is the schedstat figure when the tick total agrees with it within the ticks' own
 * quantisation, else the tick figure (and the result says which).
 */

/** One process of the tree at one moment. */
export interface ProcessSnapshot {
  pid: number;
  /** /proc/<pid>/stat starttime: a pid with a different start time is a different process. */
  startTicks: number;
  /** utime + stime (ticks). */
  ownTicks: number;
  /** cutime + cstime (ticks): reaped children. */
  childTicks: number;
  /** VmRSS, VmHWM; absent for a zombie. */
  rssBytes?: number;
  hwmBytes?: number;
  /** Thread id → schedstat ns on the CPU. */
  threadNs: Record<number, number>;
}

export interface TreeSnapshot {
  /** Wall-clock time of the reading, epoch ms (taken by the reader, not here). */
  tMs: number;
  processes: ProcessSnapshot[];
}

export type ProcCpuMethod = 'proc-schedstat' | 'proc-stat';

export interface ProcCpuFigure {
  cpuSeconds: number;
  method: ProcCpuMethod;
  /** Seconds per unit of the figure used: 1e-9 for schedstat, 0.01 for ticks. */
  resolutionSeconds: number;
  schedstatSeconds: number;
  ticksSeconds: number;
  /** Why ticks were used, or that the tree lost CPU to a process reaped outside it. */
  notes: string[];
}

const threadKey = (p: ProcessSnapshot, tid: number): string => `${p.pid}/${p.startTicks}/${tid}`;
const treeTicks = (s: TreeSnapshot): number =>
  s.processes.reduce((sum, p) => sum + p.ownTicks + p.childTicks, 0);

/**
 * Follows a tree from its first snapshot (the "before" reading): `add` each later snapshot in time order,
 * then `cpu()` gives the CPU spent since the first one.
 */
export const createProcAccount = (
  first: TreeSnapshot,
): { add: (s: TreeSnapshot) => void; cpu: () => ProcCpuFigure; latest: () => TreeSnapshot } => {
  const base = new Map<string, number>();
  const last = new Map<string, number>();
  for (const p of first.processes)
    for (const [tid, ns] of Object.entries(p.threadNs)) {
      base.set(threadKey(p, Number(tid)), ns);
      last.set(threadKey(p, Number(tid)), ns);
    }
  const firstTicks = treeTicks(first);
  let latest = first;
  let prevTicks = firstTicks;
  let lostToOutside = false;
  let maxProcesses = first.processes.length;
  return {
    add: (s) => {
      for (const p of s.processes)
        for (const [tid, ns] of Object.entries(p.threadNs)) last.set(threadKey(p, Number(tid)), ns);
      const t = treeTicks(s);
      // Conserved while every exiting process is reaped inside the tree; a drop means one was not.
      if (t + 2 * s.processes.length < prevTicks) lostToOutside = true;
      prevTicks = t;
      maxProcesses = Math.max(maxProcesses, s.processes.length);
      latest = s;
    },
    latest: () => latest,
    cpu: () => {
      let ns = 0;
      for (const [key, v] of last) ns += v - (base.get(key) ?? 0);
      const schedstatSeconds = ns / 1e9;
      const ticksSeconds = Math.max(0, treeTicks(latest) - firstTicks) / CLOCK_TICKS_PER_SECOND;
      // Each of the four tick fields of a process truncates, so a difference is off by < 1 tick each.
      const tolerance = (4 * maxProcesses) / CLOCK_TICKS_PER_SECOND + 0.01 * ticksSeconds;
      const notes: string[] = [];
      if (lostToOutside)
        notes.push('a process of the tree was reaped outside it: its CPU before it exited is missing');
      if (ticksSeconds - schedstatSeconds > tolerance) {
        notes.push(
          `per-thread schedstat (${schedstatSeconds.toFixed(4)} s) is below the process totals ` +
            `(${ticksSeconds.toFixed(2)} s): threads exited during the run, so the 10 ms totals are used`,
        );
        return {
          cpuSeconds: ticksSeconds,
          method: 'proc-stat',
          resolutionSeconds: 0.01,
          schedstatSeconds,
          ticksSeconds,
          notes,
        };
      }
      return {
        cpuSeconds: schedstatSeconds,
        method: 'proc-schedstat',
        resolutionSeconds: 1e-9,
        schedstatSeconds,
        ticksSeconds,
        notes,
      };
    },
  };
};

/** Sum of VmRSS over the tree (bytes). */
export const treeRssBytes = (s: TreeSnapshot): number =>
  s.processes.reduce((sum, p) => sum + (p.rssBytes ?? 0), 0);

/**
 * Sum of VmHWM over the tree: the exact peak for one process; for several an upper bound on the peak of
 * their sum (they need not peak together).
 */
export const treeHwmBytes = (s: TreeSnapshot): number =>
  s.processes.reduce((sum, p) => sum + (p.hwmBytes ?? 0), 0);

/** One point of the run's time series: cumulative CPU since the before reading, and memory now. */
export interface OsSample {
  tMs: number;
  cpuSeconds: number;
  rssBytes: number;
}

/** Median of the samples' memory (the run's steady level); undefined with no samples. */
export const steadyBytes = (samples: OsSample[]): number | undefined => {
  if (samples.length === 0) return undefined;
  const v = samples.map((s) => s.rssBytes).sort((a, b) => a - b);
  const mid = v.length >> 1;
  return v.length % 2 ? (v[mid] as number) : ((v[mid - 1] as number) + (v[mid] as number)) / 2;
};
