import { OS_RAW_SCHEMA, type OsRaw } from '../../ingest/os.js';
import { writeFileAtomic } from '../../store/index.js';
import { createProcAccount, steadyBytes, treeHwmBytes, treeRssBytes, type OsSample } from './account.js';
import type { CgroupReading, ServiceCgroup } from './cgroup.js';
import { readProcTree, resetPeakRss } from './proc.js';

/**
 * The OS sampler of one load run: reads the service's CPU and memory before the run, every `intervalMs`
 * during it and after it, from its cgroup when it has one, else from /proc for its process tree. Shaped
 * for a gatherer's lifecycle: `startOsRun` is the before hook (and starts the during sampling), `stop()`
 * the after hook; `writeOsRaw` writes the run's raw file.
 */

export interface OsTarget {
  /** The service's process (the tree under it is measured when there is no cgroup). */
  pid: number;
  /** The group the service runs in (createServiceCgroup + wrap/attach), when there is one. */
  cgroup?: ServiceCgroup;
}

export interface OsRunOptions {
  /** Sampling interval during the run (250 ms). */
  intervalMs?: number;
  /** /proc, or a copy (tests). */
  procRoot?: string;
  /**
   * Where the memory figures come from when the group counts memory too (default 'proc'). A cgroup's
   * memory is charged, not resident: page cache (the binary's own pages, log writes) is charged to the
   * group that first touched it, so two arms running the same binary one after the other see different
   * figures; VmRSS is what process_resident_memory_bytes reports. The group's figures are kept beside.
   */
  memory?: 'proc' | 'cgroup';
}

export interface OsRun {
  /** The after reading: stops sampling and returns the run's figures. */
  stop: () => Promise<OsRaw>;
}

const maxOf = (values: (number | undefined)[]): number | undefined => {
  const v = values.filter((x): x is number => x !== undefined);
  return v.length ? Math.max(...v) : undefined;
};

/** Calls `tick` every `ms` without overlapping itself; `stop` waits for the tick in flight. */
const every = (ms: number, tick: () => Promise<void>): (() => Promise<void>) => {
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    if (running) return;
    running = tick()
      .catch(() => {})
      .finally(() => (running = undefined));
  }, ms);
  // Sampling never keeps the process alive (a run whose driver threw is never stopped by its after hook).
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
};

export const startOsRun = async (target: OsTarget, opts: OsRunOptions = {}): Promise<OsRun> => {
  // Never init's tree (the whole machine): a child that failed to spawn has pid -1 or undefined.
  if (!Number.isInteger(target.pid) || target.pid <= 1) throw new Error(`not a service pid: ${target.pid}`);
  const intervalMs = opts.intervalMs ?? 250;
  const { cgroup } = target;
  const procMemory = !cgroup || !cgroup.memory || opts.memory !== 'cgroup';
  const notes: string[] = [];
  // Memory from /proc (no cgroup, or a v2 group without the memory controller): reset VmHWM first.
  let peakReset = false;
  const procOpts = { procRoot: opts.procRoot };
  let tree = await readProcTree(target.pid, procOpts);
  if (procMemory) {
    peakReset = await resetPeakRss(
      tree.processes.map((p) => p.pid),
      opts.procRoot,
    );
    tree = await readProcTree(target.pid, procOpts);
  }
  if (cgroup?.memory) {
    const groupReset = await cgroup.resetPeak();
    if (!procMemory) peakReset = groupReset;
  }
  const account = cgroup ? undefined : createProcAccount(tree);
  const startedAtMs = Date.now();
  const first: CgroupReading | undefined = cgroup ? await cgroup.read() : undefined;
  const samples: OsSample[] = [];
  const cgroupPeaks: (number | undefined)[] = [];
  const cgroupMemory: number[] = [];
  /** /proc: both CPU figures per sample, so the series can use the one the run ends up using. */
  const both = new Map<number, { schedstat: number; ticks: number }>();

  const read = async (): Promise<OsSample> => {
    const tMs = Date.now();
    let cpuSeconds: number;
    let rssBytes: number;
    if (cgroup && first) {
      const r = await cgroup.read();
      cpuSeconds = (r.cpuNs - first.cpuNs) / 1e9;
      cgroupPeaks.push(r.peakBytes);
      if (r.memoryBytes !== undefined) cgroupMemory.push(r.memoryBytes);
      rssBytes = r.memoryBytes ?? 0;
      if (procMemory) rssBytes = treeRssBytes(await readProcTree(target.pid, procOpts));
    } else {
      const snap = await readProcTree(target.pid, procOpts);
      account?.add(snap);
      const cpu = account?.cpu();
      cpuSeconds = cpu?.cpuSeconds ?? 0;
      both.set(tMs, { schedstat: cpu?.schedstatSeconds ?? 0, ticks: cpu?.ticksSeconds ?? 0 });
      rssBytes = treeRssBytes(snap);
    }
    return { tMs, cpuSeconds, rssBytes };
  };

  const stopSampling = every(intervalMs, async () => {
    samples.push(await read());
  });

  return {
    stop: async () => {
      await stopSampling();
      const last = await read();
      const endedAtMs = last.tMs;
      const during = samples.length > 0 ? samples : [last];
      const sampledPeak = maxOf([...during.map((s) => s.rssBytes), last.rssBytes]);
      let watermark: number | undefined;
      if (procMemory) {
        const latest = account ? account.latest() : await readProcTree(target.pid, procOpts);
        watermark = latest.processes.length ? treeHwmBytes(latest) : undefined;
      } else {
        watermark = maxOf(cgroupPeaks);
      }
      // A watermark reaching back to the service's start says nothing about this run when it is larger.
      const peakMethod: OsRaw['peakMethod'] =
        watermark === undefined ? 'samples' : peakReset ? 'watermark-run' : 'watermark-start';
      const rssBytesPeak = peakMethod === 'watermark-run' ? maxOf([watermark, sampledPeak]) : sampledPeak;
      if (peakMethod === 'watermark-start')
        notes.push('the memory high-water mark could not be reset: the peak is the largest sample');
      const rssBytesSteady = steadyBytes(during);
      const base = {
        schema: OS_RAW_SCHEMA as typeof OS_RAW_SCHEMA,
        pid: target.pid,
        startedAtMs,
        endedAtMs,
        ...(rssBytesSteady !== undefined ? { rssBytesSteady } : {}),
        ...(rssBytesPeak !== undefined ? { rssBytesPeak } : {}),
        peakMethod,
        samples: [...samples, last],
      };
      if (cgroup) {
        const groupSteady = steadyBytes(
          cgroupMemory.map((rss) => ({ tMs: 0, cpuSeconds: 0, rssBytes: rss })),
        );
        const groupPeak = maxOf([...cgroupMemory, ...cgroupPeaks]);
        return {
          ...base,
          ...(procMemory && groupSteady !== undefined
            ? {
                cgroupMemory: {
                  steadyBytes: groupSteady,
                  ...(groupPeak !== undefined ? { peakBytes: groupPeak } : {}),
                },
              }
            : {}),
          sources: { cpu: 'cgroup', memory: procMemory ? 'proc' : 'cgroup' },
          cpuMethod: cgroup.version === 1 ? 'cgroup-cpuacct' : 'cgroup-cpu.stat',
          resolutionSeconds: cgroup.cpuResolutionSeconds,
          cpuSeconds: last.cpuSeconds,
          notes,
        };
      }
      const cpu = (account as NonNullable<typeof account>).cpu();
      const series = base.samples.map((x) => {
        const b = both.get(x.tMs);
        return b ? { ...x, cpuSeconds: cpu.method === 'proc-stat' ? b.ticks : b.schedstat } : x;
      });
      return {
        ...base,
        samples: series,
        sources: { cpu: 'proc', memory: 'proc' },
        cpuMethod: cpu.method,
        resolutionSeconds: cpu.resolutionSeconds,
        cpuSeconds: cpu.cpuSeconds,
        proc: { schedstatSeconds: cpu.schedstatSeconds, ticksSeconds: cpu.ticksSeconds },
        notes: [...notes, ...cpu.notes],
      };
    },
  };
};

/** Writes the run's figures as raw/<run-id>/os.json (see src/ingest/os.ts for the format). */
export const writeOsRaw = (file: string, raw: OsRaw): Promise<void> =>
  writeFileAtomic(file, `${JSON.stringify(raw, null, 2)}\n`);
